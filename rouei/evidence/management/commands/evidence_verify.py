"""``rouei manage evidence_verify`` (and ``rouei evidence verify``): re-hash the stored evidence.

Prints one line per stored file that is missing or altered (item and incident ids, hashes;
never a file name) and fails if there is any.
"""

from django.core.management.base import BaseCommand, CommandError

from rouei.evidence.services import check_blobs


class Command(BaseCommand):
    help = "Re-hash every stored evidence file; name each missing or altered one and fail."

    def add_arguments(self, parser):
        parser.add_argument("--incident", type=int, default=None,
                            help="only the evidence of this incident (id)")

    def handle(self, *args, incident=None, **options):
        checks = check_blobs(incident)
        bad = [c for c in checks if not c.ok]
        items = sum(len(c.item_ids) for c in checks)
        for check in bad:
            self.stderr.write(str(check))
        if bad:
            raise CommandError(f"FAILED: {len(bad)} of {len(checks)} stored files do not match "
                               f"their SHA-256 ({items} items checked)")
        self.stdout.write(f"OK: {len(checks)} stored files, {items} items")
