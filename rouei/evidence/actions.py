"""Every write of the evidence register and the notes: ``do_<verb>_<noun>(…, *, actor)``.

Each action checks the actor's role (``choices.py`` says who may do what), runs in one
transaction and records exactly one audit event. The audit details carry ids, codes and hashes
only: never a file name, a description or a note's text (an audit row can never be erased).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role, role_allows, role_of
from rouei.core.audit import record_event, state
from rouei.core.crypto import refuse_undecryptable
from rouei.core.dates import FUTURE_DATE, future_date_message, in_future
from rouei.core.errors import ActionError, Conflict
from rouei.evidence import filetypes, store
from rouei.evidence.choices import (
    MANUAL_CUSTODY_KINDS,
    CustodyKind,
    VerifyResult,
)
from rouei.evidence.models import Blob, CustodyEvent, EvidenceItem, Note

ITEM_FIELDS = ("incident", "sha256", "size", "original_name", "detected_type", "description",
               "collected_from", "collected_at", "collected_by_user", "collected_by_name")
CUSTODY_FIELDS = ("item", "kind", "at", "from_person", "to_person", "purpose", "note", "result",
                  "observed_sha256")
NOTE_FIELDS = ("incident", "body", "version")
MAX_NAME = 255


class NoteConflict(Conflict):
    def __init__(self, current: int, expected: int):
        super().__init__("version_conflict", _(
            "Someone else saved this note first (version %(current)s; you started from version "
            "%(expected)s). Their text is shown; yours is kept in the form below.")
            % {"current": current, "expected": expected})
        self.current = current


def clean_name(name: str) -> str:
    """The sender's file name as data: control characters dropped, at most 255 characters.
    Slashes, dots and everything else are kept as they were: this is never a path."""
    text = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    return text[:MAX_NAME] or "unnamed"


def do_add_evidence(incident, pending: store.PendingBlob, *, original_name: str,
                    description: str, collected_from: str, collected_at: dt.datetime,
                    collected_by_user=None, collected_by_name: str = "", purpose: str = "",
                    actor) -> EvidenceItem:
    """Register content already hashed into the store's tmp/ folder (``store.BlobWriter`` or
    ``store.ingest``): the blob is linked under its SHA-256 (kept if it exists), the item and
    the first link of its chain of custody ("collected") are saved."""
    try:
        if timezone.is_naive(collected_at):
            raise ActionError("naive_datetime", "collected_at must be timezone-aware")
        if in_future(collected_at):
            raise ActionError(FUTURE_DATE, future_date_message(_("Collected at")))
        if not (collected_by_user or collected_by_name.strip()):
            raise ActionError("collector_required", _("Say who collected it."))
        if not description.strip():
            raise ActionError("description_required", _("Describe what this is."))
        if not collected_from.strip():
            raise ActionError("source_required",
                                _("Say where it was collected from (system, host or place)."))
        with transaction.atomic():
            require_role(actor, incident, Need.EDIT)
            if collected_by_user is not None and role_of(collected_by_user, incident) is None:
                raise ActionError("collector_not_member",
                                    _("The collector must be a member of this incident."))
            kind = filetypes.detect(pending.path)
            created = store.commit(pending)
            blob, _new = Blob.objects.get_or_create(sha256=pending.sha256,
                                                    defaults={"size": pending.size})
            item = EvidenceItem.objects.create(
                incident=incident, blob=blob, sha256=pending.sha256, size=pending.size,
                original_name=clean_name(original_name), detected_type=kind,
                media_type=filetypes.media_type(kind), description=description.strip(),
                collected_from=collected_from.strip(), collected_at=collected_at,
                collected_by_user=collected_by_user,
                collected_by_name=collected_by_name.strip(), created_by=actor)
            CustodyEvent.objects.create(
                item=item, kind=CustodyKind.COLLECTED, at=collected_at,
                from_person=collected_from.strip()[:200], to_person=item.collected_by[:200],
                purpose=purpose.strip()[:500], actor=actor)
            record_event(actor=actor, action="evidence.add", obj=item, incident_id=incident.pk,
                         after=state(item, ITEM_FIELDS),
                         details={"item_id": item.pk, "sha256": item.sha256, "size": item.size,
                                  "type": kind.value, "new_blob": created})
    finally:
        pending.discard()  # already gone when committed; removes it on any refusal
    return item


def add_evidence_from_stream(incident, stream: BinaryIO, **fields) -> EvidenceItem:
    """``do_add_evidence`` for content read from a stream (CLI, demo, tests)."""
    pending = store.ingest(stream, limit=store.max_bytes())
    return do_add_evidence(incident, pending, **fields)


def do_add_custody_event(item: EvidenceItem, *, kind: str, at: dt.datetime,
                         from_person: str = "", to_person: str = "", purpose: str = "",
                         note: str = "", actor) -> CustodyEvent:
    """Record a hand-over, an access, a return or a disposal (lead, legal, forensics)."""
    kind = CustodyKind(kind)
    if kind not in MANUAL_CUSTODY_KINDS:
        raise ActionError("system_kind", _("This kind of record is written by rouei itself."))
    if timezone.is_naive(at):
        raise ActionError("naive_datetime", "custody times must be timezone-aware")
    if kind in (CustodyKind.TRANSFERRED, CustodyKind.RETURNED) and not (
            from_person.strip() and to_person.strip()):
        raise ActionError("persons_required",
                            _("Say who handed it over and who received it."))
    if not purpose.strip():
        raise ActionError("purpose_required", _("Give the purpose."))
    with transaction.atomic():
        require_role(actor, item.incident, Need.HANDLE_EVIDENCE)
        event = CustodyEvent.objects.create(
            item=item, kind=kind, at=at, from_person=from_person.strip(),
            to_person=to_person.strip(), purpose=purpose.strip(), note=note.strip(), actor=actor)
        record_event(actor=actor, action="evidence.custody", obj=event,
                     incident_id=item.incident_id, after=state(event, CUSTODY_FIELDS),
                     details={"item_id": item.pk, "kind": kind.value})
    return event


@dataclass
class Access:
    """What ``do_access_evidence`` opened: the blob (binary, for reading) and its record."""

    file: BinaryIO
    event: CustodyEvent


def do_access_evidence(item: EvidenceItem, *, purpose: str, actor) -> Access:
    """Open the content for download (lead, legal, forensics). Every opening is a link of the
    chain of custody ("accessed") and an audit event, recorded before a byte is sent."""
    if not purpose.strip():
        raise ActionError("purpose_required", _("Give the purpose."))
    with transaction.atomic():
        require_role(actor, item.incident, Need.HANDLE_EVIDENCE)
        try:
            fh = store.open_blob(item.sha256)
        except FileNotFoundError:
            raise ActionError("blob_missing", _(
                "The stored file of this item is missing. Re-verify it and report the loss."
            )) from None
        try:
            event = CustodyEvent.objects.create(
                item=item, kind=CustodyKind.ACCESSED, at=timezone.now(),
                to_person=actor.get_username()[:200], purpose=purpose.strip()[:500],
                note=_("Downloaded from rouei"), actor=actor)
            record_event(actor=actor, action="evidence.download", obj=event,
                         incident_id=item.incident_id, after=state(event, CUSTODY_FIELDS),
                         details={"item_id": item.pk, "sha256": item.sha256})
        except BaseException:
            fh.close()
            raise
    return Access(fh, event)


def do_verify_evidence(item: EvidenceItem, *, actor) -> CustodyEvent:
    """Re-hash the stored file and record the result as a "verified" link of the chain of
    custody: ``ok``, ``mismatch`` (the file was altered) or ``missing``."""
    require_role(actor, item.incident, Need.EDIT)
    observed = store.hash_blob(item.sha256)  # outside the transaction: it may take a while
    if observed is None:
        result = VerifyResult.MISSING
    elif observed == item.sha256:
        result = VerifyResult.OK
    else:
        result = VerifyResult.MISMATCH
    with transaction.atomic():
        require_role(actor, item.incident, Need.EDIT)
        event = CustodyEvent.objects.create(
            item=item, kind=CustodyKind.VERIFIED, at=timezone.now(), result=result,
            observed_sha256=observed or "", purpose=_("Hash re-verification"), actor=actor)
        record_event(actor=actor, action="evidence.verify", obj=event,
                     incident_id=item.incident_id, after=state(event, CUSTODY_FIELDS),
                     details={"item_id": item.pk, "result": result.value,
                              "expected": item.sha256, "observed": observed or ""})
    return event


def do_add_note(incident, *, body: str, actor) -> Note:
    if not body.strip():
        raise ActionError("empty_note", _("The note is empty."))
    with transaction.atomic():
        require_role(actor, incident, Need.EDIT)
        note = Note.objects.create(incident=incident, author=actor, body=body.strip())
        record_event(actor=actor, action="note.add", obj=note, incident_id=incident.pk,
                     after=state(note, NOTE_FIELDS), details={"note_id": note.pk, "version": 1})
    return note


def do_edit_note(note: Note, *, body: str, expected_version: int, actor) -> Note:
    """Change a note's text (its author or the lead); the earlier text is kept."""
    if not body.strip():
        raise ActionError("empty_note", _("The note is empty."))
    with transaction.atomic():
        note = Note.objects.select_for_update().get(pk=note.pk)
        role = require_role(actor, note.incident, Need.EDIT)
        if note.author_id != actor.pk and not role_allows(role, Need.MANAGE):
            raise ActionError("not_author",
                                _("Only its author or the incident lead can edit a note."))
        if note.version != expected_version:
            raise NoteConflict(note.version, expected_version)
        refuse_undecryptable(note.body, note.revisions)
        if note.body == body.strip():
            return note
        before = state(note, NOTE_FIELDS)
        note.revisions = [*note.revisions, {
            "version": note.version, "body": note.body,
            "by": (note.edited_by_id or note.author_id),
            "at": (note.edited_at or note.created_at).isoformat()}]
        note.body = body.strip()
        note.version += 1
        note.edited_at, note.edited_by = timezone.now(), actor
        note.save()
        record_event(actor=actor, action="note.edit", obj=note, incident_id=note.incident_id,
                     before=before, after=state(note, NOTE_FIELDS),
                     details={"note_id": note.pk, "version": note.version})
    return note
