"""Reading the register for the pages: items with their last verification, headers, notes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils.safestring import mark_safe

from rouei.core.crypto import decrypt, seal
from rouei.core.fingerprints import Remembered
from rouei.evidence import store
from rouei.evidence.choices import CustodyKind
from rouei.evidence.models import CustodyEvent, EvidenceItem, Note
from rouei.evidence.rendering import render_markdown

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()\[\]+,=@-]+")


def items_for(incident):
    """The incident's items, each with ``last_verified_at`` and ``last_result``."""
    last = (CustodyEvent.objects.filter(item=OuterRef("pk"), kind=CustodyKind.VERIFIED)
            .order_by("-at", "-id"))
    return (EvidenceItem.objects.filter(incident=incident)
            .select_related("collected_by_user", "created_by")
            .annotate(last_verified_at=Subquery(last.values("at")[:1]),
                      last_result=Subquery(last.values("result")[:1])))


def last_verification(item) -> CustodyEvent | None:
    return (item.custody_events.filter(kind=CustodyKind.VERIFIED).order_by("-at", "-id")
            .first())


def content_disposition(name: str) -> str:
    """``attachment`` with the name twice: a plain-ASCII ``filename`` for old clients and the
    exact name as ``filename*`` (RFC 5987/6266, UTF-8, percent-encoded). Slashes and control
    characters cannot survive either form, so the name never reaches a header as a path."""
    ascii_name = _UNSAFE_ASCII.sub("_", unicodedata.normalize("NFKD", name))
    ascii_name = re.sub(r"_+", "_", ascii_name).strip(" .") or "evidence"
    encoded = quote(name, safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"


def notes_for(incident, limit: int | None = None):
    """The incident's notes, newest first (the first ``limit``), each with ``html``
    (rendered, sanitised) and its revisions' history."""
    notes = Note.objects.filter(incident=incident).select_related("author", "edited_by")
    notes = list(notes[:limit] if limit is not None else notes)
    users = {u.pk: u for u in get_user_model().objects.filter(
        pk__in={r.get("by") for n in notes for r in n.revisions})}
    for note in notes:
        note.html = render_markdown(note.body)
        note.history = [
            {**r, "author": users.get(r.get("by")), "html": render_markdown(r.get("body", "")),
             "at": dt.datetime.fromisoformat(r["at"]) if r.get("at") else None}
            for r in reversed(note.revisions)]
    return notes


# Each note's rendered HTML per version, for the pages that show notes without their history
# (the incident page, on every view): Markdown and sanitising ran once per version instead of
# once per view. The HTML holds what the note says, so it is kept sealed under the data key,
# never in clear; opening it costs a few microseconds.
_rendered_notes = Remembered(size=1024)


def latest_notes(incident, limit: int) -> list[Note]:
    """The newest ``limit`` notes, each with ``html`` (as ``notes_for``, without the
    history). A note's text is read and decrypted only when its version was not rendered yet
    in this process."""
    notes = list(Note.objects.filter(incident=incident).select_related("author", "edited_by")
                 .defer("body", "revisions")[:limit])
    kept = {note.pk: _rendered_notes.peek(note.pk, _version(note)) for note in notes}
    missing = [pk for pk, sealed in kept.items() if sealed is None]
    bodies = dict(Note.objects.filter(pk__in=missing).values_list("pk", "body")) if missing else {}
    for note in notes:
        sealed = kept[note.pk]
        if sealed is None:
            html = render_markdown(bodies.get(note.pk, ""))
            _rendered_notes.get(note.pk, _version(note), lambda html=html: seal(html))
        else:
            html = mark_safe(decrypt(sealed))  # noqa: S308 — sanitised before it was sealed
        note.html = html
    return notes


def _version(note: Note) -> tuple:
    return (note.version, note.edited_at)


@dataclass(frozen=True)
class BlobCheck:
    """One stored file as found on disk by ``check_blobs``, with the items that use it."""

    sha256: str
    observed: str | None  # None: the file is missing
    item_ids: tuple[int, ...]
    incident_ids: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return self.observed == self.sha256

    def __str__(self) -> str:
        state = ("OK" if self.ok else "MISSING" if self.observed is None
                 else f"ALTERED (found {self.observed})")
        items = ", ".join(f"#{i}" for i in self.item_ids)
        incidents = ", ".join(f"#{i}" for i in self.incident_ids)
        return f"{state}: blob {self.sha256} — items {items} — incidents {incidents}"


def check_blobs(incident_id: int | None = None) -> list[BlobCheck]:
    """Re-hash every stored file (each once, however many items share it), or only those of
    one incident. Read-only: records nothing (the page's re-verification records)."""
    items = EvidenceItem.objects.order_by("sha256", "id")
    if incident_id is not None:
        items = items.filter(incident_id=incident_id)
    by_blob: dict[str, list[tuple[int, int]]] = {}
    for sha256, item_id, inc in items.values_list("sha256", "id", "incident_id"):
        by_blob.setdefault(sha256, []).append((item_id, inc))
    return [BlobCheck(sha256, store.hash_blob(sha256), tuple(i for i, _ in uses),
                      tuple(sorted({inc for _, inc in uses})))
            for sha256, uses in by_blob.items()]
