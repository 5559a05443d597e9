"""Writing an import into the registry: all or nothing, merging the same person, in batches.

The whole import is one transaction: an import killed midway (a crash, ``kill -9``, a stopped
row with ``on_error="stop"``) leaves nothing behind. Rows are read and written in batches, so
memory stays bounded whatever the file's size: a batch's merge keys are looked up in the
database (the rows of earlier batches of the same import included, inside the transaction)
instead of being kept in memory.

Progress cannot go through the database while the import's transaction is open (others do not
see uncommitted rows, and SQLite has one writer), so it goes to the ``progress`` cache
(``rouei.config.settings``: a folder in the data directory, or Redis with several machines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import transaction

from rouei.core.audit import record_event
from rouei.core.crypto import blind_indexes, index_keys
from rouei.core.errors import ActionError
from rouei.people import bulk
from rouei.people.importing import ImportFileError, ParsedRow, RowError, Source, parse_row
from rouei.people.models import EventKind, Person, PersonEvent, PersonKey
from rouei.people.registry import MERGE_KINDS, digests, lookup_values, new_reference

BATCH_ROWS = 2_000
PREVIEW_ROWS = 5


class ImportStopped(ActionError):
    """A bad row with ``on_error="stop"``: the import is rolled back, nothing is written."""


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    merged: int = 0
    rejected: list[dict] = field(default_factory=list)
    people: int = 0

    def to_dict(self) -> dict:
        return {"rows": self.rows, "imported": self.imported, "merged": self.merged,
                "rejected": self.rejected, "people": self.people}


def preview(source: Source, rows: int = PREVIEW_ROWS) -> dict:
    """The mapping and the first rows, masked, before anything is written (``--dry-run``)."""
    from rouei.domain import items as catalogue

    mapping = [{"header": c.header, "item": c.item, "part": c.part, "role": c.role,
                "label": catalogue.get(c.item).label_ja if c.item else (c.role or "")}
               for c in source.columns]
    first: list[dict] = []
    for number, cells, _ in source.rows():
        if len(first) >= rows:
            break
        try:
            parsed = parse_row(source, number, cells)
        except RowError as exc:
            first.append({"row": number, "error": exc.reason})
            continue
        first.append({"row": number, "items": sorted(parsed.items),
                      "confirmed": parsed.confirmed, **parsed.record.masked()})
    return {"file": source.path.name, "format": source.kind, "encoding": source.encoding,
            "mapping": mapping, "first_rows": first}


def run_import(incident, source: Source, *, actor, on_error: str = "stop",
               confirmed: bool = True, controller: str = "",
               progress: Callable[[int, int], None] | None = None,
               import_id: int | None = None) -> ImportResult:
    """Import every row of ``source`` into ``incident``'s registry; one audit event."""
    if on_error not in ("stop", "skip"):
        raise ActionError("bad_option", "on_error は stop か skip です", field="on_error")
    result = ImportResult()
    with transaction.atomic():
        type(incident).objects.select_for_update().filter(pk=incident.pk).first()
        batch: list[ParsedRow] = []
        read = 0
        try:
            for number, cells, read in source.rows():
                result.rows += 1
                try:
                    batch.append(parse_row(source, number, cells, confirmed_default=confirmed,
                                           controller_default=controller))
                except RowError as exc:
                    if on_error == "stop":
                        raise ImportStopped(
                            "bad_row", f"{number} 行目: {exc.reason}（何も取り込んでいません）",
                            row=number, reason=exc.reason) from None
                    result.rejected.append({"row": number, "reason": exc.reason})
                if len(batch) >= BATCH_ROWS:
                    _write_batch(incident, batch, result, actor)
                    batch = []
                    if progress:
                        progress(result.rows, read)
        except ImportFileError as exc:
            raise ActionError(exc.code, str(exc)) from None
        _write_batch(incident, batch, result, actor)
        if progress:
            progress(result.rows, read)
        result.people = Person.objects.filter(incident=incident).count()
        record_event(actor=actor, action="people.import", incident_id=incident.pk,
                     details={"import": import_id, "format": source.kind,
                              **{k: v for k, v in result.to_dict().items() if k != "rejected"},
                              "rejected": len(result.rejected)})
    return result


@dataclass
class _Keyed:
    """A row with its look-up keys, computed once: (kind, digests under every index key)."""

    row: ParsedRow
    keys: list[tuple[str, list[bytes]]]

    @classmethod
    def of(cls, row: ParsedRow, keys: tuple[bytes, ...] | None = None) -> _Keyed:
        keys = keys or index_keys()
        return cls(row, [(kind, blind_indexes(kind, value, keys))
                         for kind, value in lookup_values(row.record)])

    @property
    def merge_digests(self) -> list[bytes]:
        return [d for kind, digests in self.keys if kind in MERGE_KINDS for d in digests]

    @property
    def stored_digests(self) -> list[tuple[str, bytes]]:
        return [(kind, digests[0]) for kind, digests in self.keys]  # the current key's


def _write_batch(incident, batch: list[ParsedRow], result: ImportResult, actor) -> None:
    if not batch:
        return
    keys = index_keys()
    keyed = [_Keyed.of(row, keys) for row in batch]
    wanted = {d for k in keyed for d in k.merge_digests}
    existing = {bytes(d): pid for d, pid in PersonKey.objects.filter(
        incident=incident, kind__in=MERGE_KINDS, digest__in=wanted)
        .values_list("digest", "person_id")}

    new_rows: list[_Keyed] = []
    new_by_digest: dict[bytes, int] = {}  # digest → index in new_rows
    merges: dict[int, list[ParsedRow]] = {}
    for k in keyed:
        digests = k.merge_digests
        person_id = next((existing[d] for d in digests if d in existing), None)
        if person_id is not None:
            merges.setdefault(person_id, []).append(k.row)
            continue
        index = next((new_by_digest[d] for d in digests if d in new_by_digest), None)
        if index is not None:  # the same person twice in this batch
            new_rows[index] = _Keyed.of(_combine(new_rows[index].row, k.row))
            result.merged += 1
            for d in new_rows[index].merge_digests:
                new_by_digest.setdefault(d, index)
            continue
        new_rows.append(k)
        for d in digests:
            new_by_digest.setdefault(d, len(new_rows) - 1)

    _unique_references(incident, new_rows)
    ids = bulk.reserve_ids(len(new_rows))
    bulk.insert_people([bulk.person_row(
        pid, incident.pk, sealed_json=k.row.record.to_json(), items=sorted(k.row.items),
        confirmed=k.row.confirmed, controller=k.row.controller,
        has_email=bool(k.row.record.email), has_postal=bool(k.row.record.address))
        for pid, k in zip(ids, new_rows, strict=True)])
    bulk.insert_keys([(pid, incident.pk, kind, digest)
                      for pid, k in zip(ids, new_rows, strict=True)
                      for kind, digest in k.stored_digests])
    result.imported += len(new_rows)

    if merges:
        _merge_into_existing(incident, merges, result, actor)


def _combine(first: ParsedRow, second: ParsedRow) -> ParsedRow:
    return ParsedRow(first.row, first.record.merged_with(second.record),
                     first.items | second.items, first.confirmed or second.confirmed,
                     first.controller or second.controller)


def _unique_references(incident, rows: list[_Keyed]) -> None:
    """Draw a new reference number for any row whose number is already taken (a 1-in-10^7
    chance per row in a 10-million-person registry: rare, but it must never fail an import)."""
    from dataclasses import replace

    while True:
        by_digest = {dict(k.stored_digests)["ref"]: i for i, k in enumerate(rows)}
        taken = set(PersonKey.objects.filter(incident=incident, kind="ref",
                                             digest__in=list(by_digest))
                    .values_list("digest", flat=True))
        kept = set(by_digest.values())
        clashes = {by_digest[bytes(d)] for d in taken}
        clashes |= {i for i in range(len(rows)) if i not in kept}  # drawn twice in the batch
        if not clashes:
            return
        for i in clashes:
            row = rows[i].row
            rows[i] = _Keyed.of(ParsedRow(row.row, replace(row.record, ref=new_reference()),
                                          row.items, row.confirmed, row.controller))


def _merge_into_existing(incident, merges: dict[int, list[ParsedRow]], result: ImportResult,
                         actor) -> None:
    people = Person.objects.in_bulk(list(merges))
    have = {(pid, kind, bytes(d)) for pid, kind, d in PersonKey.objects.filter(
        person_id__in=list(merges)).values_list("person_id", "kind", "digest")}
    new_keys: list[PersonKey] = []
    events: list[PersonEvent] = []
    for person_id, rows in merges.items():
        person = people[person_id]
        record = person.record()
        items = set(person.items)
        confirmed = person.confirmed
        for row in rows:
            record = record.merged_with(row.record)
            items |= row.items
            confirmed = confirmed or row.confirmed
        person.sealed = record.to_json()
        person.items = sorted(items)
        person.confirmed = confirmed
        person.has_email = bool(record.email)
        person.has_postal = bool(record.address)
        new_keys.extend(PersonKey(person_id=person_id, incident=incident, kind=kind, digest=d)
                        for kind, d in digests(record)
                        if (person_id, kind, d) not in have)
        events.append(PersonEvent(person_id=person_id, kind=EventKind.MERGED, actor=actor,
                                  details={"rows": [r.row for r in rows]}))
        result.merged += len(rows)
    Person.objects.bulk_update(list(people.values()),
                               ["sealed", "items", "confirmed", "has_email", "has_postal"])
    PersonKey.objects.bulk_create(new_keys)
    PersonEvent.objects.bulk_create(events)


# -- progress, for the page while the transaction is open ---------------------------------------

def progress_key(import_id: int) -> str:
    return f"people-import-{import_id}"


def write_progress(import_id: int, rows: int, bytes_done: int, bytes_total: int) -> None:
    caches["progress"].set(progress_key(import_id),
                           {"rows": rows, "bytes": bytes_done, "total": bytes_total}, 24 * 3600)


def read_progress(import_id: int) -> dict | None:
    return caches["progress"].get(progress_key(import_id))
