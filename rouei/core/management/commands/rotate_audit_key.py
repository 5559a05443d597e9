"""``rouei manage rotate_audit_key``: start signing the audit trail with a new key.

Without ``ROUEI_AUDIT_KEYS`` a new key is generated and put first in the key file of the data
directory (``audit_keys``, 0600), the old ones kept after it. With ``ROUEI_AUDIT_KEYS`` set,
the operator puts the new key first in the setting and runs this to record the switch. Either
way one ``audit_key.rotate`` event (the new and the previous key id) is signed with the new
key, and a checkpoint (reason ``rotate``) records it outside the database. Old keys stay: the
rows they signed are verified with them (re-signing would be rewriting the trail)."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rouei.core import audit_keys, checkpoints
from rouei.core.audit import record_event
from rouei.core.models import AuditEvent


def _write_key_file(path, keys: list[str]) -> None:
    """Replace the key file atomically, readable by its owner only."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(",".join(keys))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class Command(BaseCommand):
    help = ("Sign the audit trail with a new key from now on (generated into the data "
            "directory, or the first of ROUEI_AUDIT_KEYS); old keys keep verifying old rows.")

    def handle(self, *args, **options):
        previous = (AuditEvent.objects.filter(hash_format__gte=2).order_by("-sequence")
                    .values_list("key_id", flat=True).first()) or ""
        path = settings.ROUEI_AUDIT_KEY_FILE
        if path is None:  # the keys come from ROUEI_AUDIT_KEYS
            if audit_keys.signing_key()[0] == previous:
                raise CommandError(
                    "ROUEI_AUDIT_KEYS の先頭の鍵はすでに使われています / the first key of "
                    "ROUEI_AUDIT_KEYS already signs the trail: put a new key (32 characters or "
                    "more) first, keep the old ones after it, restart rouei and run this again")
        else:
            new_keys = [secrets.token_urlsafe(32), *settings.ROUEI_AUDIT_KEYS]
            _write_key_file(Path(path), new_keys)
            audit_keys.use(new_keys)
        new_id = audit_keys.signing_key()[0]
        with transaction.atomic():
            event = record_event(actor=None, action="audit_key.rotate",
                                 details={"key_id": new_id, "previous_key_id": previous})
        checkpoint = checkpoints.write(event.sequence, event.hash, reason="rotate")
        self.stdout.write(f"OK: the audit trail is signed with key {new_id} from sequence "
                          f"{event.sequence:,} (previous key {previous or '-'}); checkpoint "
                          f"written to {checkpoints.path()} at {checkpoint.at}")
        self.stdout.write("Restart rouei (web and workers) so that every process signs with the "
                          "new key; keep the old keys: they verify the rows they signed. / "
                          "rouei を再起動してください。古い鍵は削除しないでください。")
