"""Writing an import into the registry: all or nothing, merging the same person, in batches.

The whole import is one transaction: an import killed midway (a crash, ``kill -9``, a stopped
row with ``on_error="stop"``) leaves nothing behind. Rows are read and written in batches, so
memory stays bounded whatever the file's size: a batch's merge keys are looked up in the
database (the rows of earlier batches of the same import included, inside the transaction)
instead of being kept in memory. The new people's key rows alone are held over a few batches
(``KEY_RUN_ROWS`` at most, ~24 bytes a row) and written as sorted runs, in pieces between
batches while the next batch is prepared: the look-ups ask them too.

Progress cannot go through the database while the import's transaction is open (others do not
see uncommitted rows, and SQLite has one writer), so it goes to the ``progress`` cache
(``rouei.config.settings``: a folder in the data directory, or Redis with several machines).
"""

from __future__ import annotations

import gc
import os
import queue
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from django.core.cache import caches
from django.db import transaction

from rouei.core.audit import record_event
from rouei.core.crypto import seal
from rouei.core.errors import ActionError
from rouei.people import bulk, preparing
from rouei.people.importing import ImportFileError, ParsedRow, RowError, Source, parse_row
from rouei.people.maintenance import record_current_key_rules
from rouei.people.models import EventKind, Person, PersonEvent, PersonKey
from rouei.people.preparing import Keyed, SeenDigests
from rouei.people.registry import MERGE_KINDS, digests, new_reference

# Rows written per batch: one merge look-up and one COPY of the people.
BATCH_ROWS = 10_000
# The new people's key rows are held over batches and written as sorted runs of at most about
# this many rows (~100,000 people; ~24 bytes a row held): PostgreSQL's CPU for the keys grows
# with the number of runs times the index's size (docs/benchmarks.md, session 16). Into an
# empty incident the runs start at a batch and grow with the keys written (``bulk.HeldKeys``).
# ``ROUEI_IMPORT_KEY_RUN`` sets it (0: each batch's keys written with the batch).
KEY_RUN_ROWS = 800_000
KEY_RUN_ENV = "ROUEI_IMPORT_KEY_RUN"
PREVIEW_ROWS = 5


class ImportStopped(ActionError):
    """A bad row with ``on_error="stop"``: the import is rolled back, nothing is written."""


class RejectedRows(Sequence):
    """The rows an import skipped, ``{"row": number, "reason": why}`` each in file order, kept
    as two arrays of numbers (the row's number and its reason's place among the distinct
    reasons, which are few): ~12 bytes a rejected row instead of a dict's ~300, so that a large
    file with many bad rows does not grow the import's memory by a dict a row while it runs.
    Reads, and compares equal, as the list of those dicts."""

    def __init__(self, rows: Iterable[dict] = ()):
        self._numbers = array("q")
        self._reason_at = array("I")
        self._reasons: list[str] = []
        self._reason_index: dict[str, int] = {}
        for entry in rows:
            self.add(entry["row"], entry["reason"])

    def add(self, row: int, reason: str) -> None:
        index = self._reason_index.get(reason)
        if index is None:
            index = self._reason_index[reason] = len(self._reasons)
            self._reasons.append(reason)
        self._numbers.append(row)
        self._reason_at.append(index)

    def __len__(self) -> int:
        return len(self._numbers)

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        return {"row": self._numbers[at], "reason": self._reasons[self._reason_at[at]]}

    def __eq__(self, other) -> bool:
        if isinstance(other, RejectedRows | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # mutable, as a list

    def __repr__(self) -> str:
        return repr(list(self))


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    merged: int = 0
    rejected: RejectedRows = field(default_factory=RejectedRows)
    people: int = 0

    def to_dict(self) -> dict:
        return {"rows": self.rows, "imported": self.imported, "merged": self.merged,
                "rejected": list(self.rejected), "people": self.people}


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
            "sheet": source.sheet, "sheets": source.sheets,
            "hidden_sheets": source.hidden_sheets, "header_row": source.header_row,
            "notes": source.notes, "mapping": mapping, "first_rows": first}


def run_import(incident, source: Source, *, actor, on_error: str = "stop",
               confirmed: bool = True, controller: str = "",
               progress: Callable[[int, int], None] | None = None,
               import_id: int | None = None) -> ImportResult:
    """Import every row of ``source`` into ``incident``'s registry; one audit event."""
    if on_error not in ("stop", "skip"):
        raise ActionError("bad_option", "on_error は stop か skip です", field="on_error")
    result = ImportResult()
    with transaction.atomic(), _statements_not_counted():
        type(incident).objects.select_for_update().filter(pk=incident.pk).first()
        # Into an empty registry, only this import's own rows can merge or clash: the filter
        # knows them. Otherwise every key is looked up in the database.
        was_empty = not Person.objects.filter(incident=incident).exists()
        seen = SeenDigests.for_size(source.size) if was_empty else None
        # The rows are prepared by a thread of their own, a batch ahead, while this one writes
        # the batch before: psycopg lets go of the GIL while PostgreSQL works, so the client's
        # work and the database's overlap instead of taking turns. Only this thread touches
        # the database (one connection, one transaction).
        batches = Ahead(preparing.prepared_batches(
            source, BATCH_ROWS, confirmed_default=confirmed, controller_default=controller))
        read = batches_done = 0
        held = bulk.HeldKeys(incident.pk, key_run_rows(), grow=was_empty)
        _pause_collector()
        try:
            for keyed, errors, rows, read in batches:
                # The whole heap every so often, so that a cycle that outlived its batch is
                # freed too: memory stays bounded. Not the young objects each batch: they are
                # the next batch in flight, alive, and walking them cost ~60-130 ms a batch,
                # more as the file went on, for no garbage found (docs/benchmarks.md). Before a
                # batch, not after one: after the last it would only delay the COMMIT (~0.15 s
                # at 100,000 rows; docs/benchmarks.md, session 18).
                if batches_done and batches_done % FULL_COLLECTION_BATCHES == 0:
                    gc.collect()
                for number, error in errors:
                    if on_error == "stop":
                        raise ImportStopped(
                            "bad_row", f"{number} 行目: {error.reason}（何も取り込んでいません）",
                            row=number, reason=error.reason)
                    result.rejected.add(number, error.reason)
                result.rows += rows
                _write_batch(incident, keyed, result, actor, seen, held)
                # The new people's keys written on in pieces while the next batch is prepared
                # (this thread waits on PostgreSQL, the preparing one runs): little is left to
                # write after the last batch.
                held.between_batches(batches.ready)
                # What the batch (and a flushed key run) freed, given back: ~6 ms a batch.
                release_freed_memory()
                if progress:
                    progress(result.rows, read)
                batches_done += 1
            held.flush()
        except ImportFileError as exc:
            raise ActionError(exc.code, str(exc)) from None
        finally:
            batches.close()
            _resume_collector()
        if progress and not result.rows:
            progress(result.rows, read)
        result.people = Person.objects.filter(incident=incident).count()
        if was_empty:
            # Every key is this import's, built with the current rules. Into a registry
            # already there, the version stays what its older keys were built with.
            record_current_key_rules([incident.pk])
        record_event(actor=actor, action="people.import", incident_id=incident.pk,
                     details={"import": import_id, "format": source.kind,
                              **{k: v for k, v in result.to_dict().items() if k != "rejected"},
                              "rejected": len(result.rejected)})
    return result


def key_run_rows() -> int:
    """Key rows held before they are written (``KEY_RUN_ROWS``, or ``ROUEI_IMPORT_KEY_RUN``)."""
    raw = os.environ.get(KEY_RUN_ENV, "").strip()
    try:
        return max(0, int(raw)) if raw else KEY_RUN_ROWS
    except ValueError:
        raise ActionError("bad_setting", f"{KEY_RUN_ENV} は 0 以上の整数です") from None


@contextmanager
def _statements_not_counted():
    """psycopg counts every distinct statement it runs towards preparing it
    (``prepare_threshold``, set for the views' statements: ``rouei.config.env``) and keeps the
    last 100 texts it counted. Django's cursors bind on the client, so a statement's text has
    its values written in: the import's look-ups and merges (a batch's digests and merged
    sealed records, megabytes a batch when the rows merge into people already there) were
    kept, a hundred of them (docs/benchmarks.md, session 16). Those cursors never prepare
    anything, so for the import nothing is counted."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


# Python's cyclic garbage collector, left to itself, walks the whole heap (Django's modules and
# the batches in flight) again and again as an import allocates its rows: 40 % of the client's
# CPU on 100,000 rows (docs/benchmarks.md, session 14). An import's rows hold no cycles, and
# are freed by their reference counts; so during an import the automatic collections are off
# and the whole heap is collected once in ``FULL_COLLECTION_BATCHES`` batches.
FULL_COLLECTION_BATCHES = 10
_collector = threading.Lock()
_collector_state = {"pauses": 0, "enabled": True}


def _pause_collector() -> None:
    with _collector:
        if _collector_state["pauses"] == 0:
            _collector_state["enabled"] = gc.isenabled()
            gc.disable()
        _collector_state["pauses"] += 1


def _resume_collector() -> None:
    with _collector:
        _collector_state["pauses"] -= 1
        if _collector_state["pauses"] == 0 and _collector_state["enabled"]:
            gc.enable()


def release_freed_memory() -> None:
    """Give the memory the import has freed back to the system: glibc keeps freed blocks in
    its heaps (one per thread that allocates: this one and the reading thread), resident, for
    the next allocation, and gives back only the top of a heap. What a key run's flush or a
    batch frees lies in the middle, under blocks still alive, so it stayed resident and the
    import's resident memory carried 30-40 MB of freed blocks (docs/benchmarks.md, session 17).
    ``malloc_trim`` returns every whole free page of every heap (a few milliseconds); elsewhere
    than glibc nothing is done."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None (another C library, or none found)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        found = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except (OSError, TypeError):
        return None
    if found is not None:
        found.argtypes = [ctypes.c_size_t]
        found.restype = ctypes.c_int
    return found


class Ahead:
    """The items of ``items`` made by a thread of its own, up to ``depth`` ahead of the
    reader: memory stays bounded. An exception in the thread is raised to the reader at the
    item where it happened; ``close`` stops the thread (and closes ``items``) and waits for it,
    so that nothing of the import runs on after it has stopped."""

    def __init__(self, items: Iterator, depth: int = 1):
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(items,), daemon=True,
                                        name="rouei-import-prepare")
        self._thread.start()

    def _run(self, items: Iterator) -> None:
        try:
            for item in items:
                if not self._put((True, item)):
                    return
            self._put((False, None))
        except BaseException as exc:  # handed to the reader, raised there
            self._put((None, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a pool of workers is shut down with its generator

    def _put(self, entry: tuple) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def ready(self) -> bool:
        """Whether an item (or the end) waits for the reader."""
        return not self._queue.empty()

    def __iter__(self) -> Iterator:
        while True:
            done, value = self._queue.get()
            if done is None:
                raise value
            if not done:
                return
            yield value

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def _write_batch(incident, batch: list[Keyed], result: ImportResult, actor,
                 seen: SeenDigests | None = None, held: bulk.HeldKeys | None = None) -> None:
    """One batch: its rows merged or new; the new people written, their keys held in
    ``held`` (written by its ``flush``) or, without it, written now."""
    if not batch:
        return
    merging = [k.merge_flat for k in batch]  # each row's merge digests end to end
    flat, owner = _flat(merging)
    if seen is None:
        wanted = _merge_pairs(batch)
    else:  # only the digests the filter may hold are worth asking about (their kinds too)
        maybe = seen.maybe_held_flat(flat)
        wanted = set()
        for at in maybe.tolist():
            d = flat[16 * at:16 * at + 16]
            wanted.update((kind, d) for kind, ds in batch[owner[at]].keys if d in ds)
    existing = {digest: pid for _kind, digest, pid in bulk.find_keys(incident.pk, wanted, held)}
    # The rows that can merge with anything: a digest another row of the batch has, or one the
    # registry has. The others are new people as they are, with no step of Python each.
    special = _repeated(flat, owner, len(batch))
    if existing:
        for at in _found(flat, existing):
            special[owner[at]] = True
    new_rows, merges, combined = _classify(batch, merging, special.tolist(), existing, result,
                                           flat)
    if new_rows is None:  # a combined row has a key of a row not checked: every row is checked
        new_rows, merges, combined = _classify(batch, merging, [True] * len(batch), existing,
                                               result, None)

    # The new rows' keys as arrays, made once (again only if a reference is drawn again).
    arrays = preparing.key_arrays(new_rows)
    refs, redrawn = _unique_references(incident, new_rows, seen, held, arrays)
    if redrawn:
        arrays = preparing.key_arrays(new_rows)
    ids = bulk.reserve_ids(len(new_rows))
    bulk.insert_people(incident.pk, [
        (pid, k.sealed, k.items, k.confirmed, k.controller, k.has_email, k.has_postal)
        for pid, k in zip(ids, new_rows, strict=True)])
    # The new people's keys as columns a kind (from the chunks' key arrays: no tuple a key).
    import numpy as np

    codes, key_digests, owners = arrays
    new_keys = preparing.key_columns(codes, key_digests,
                                     np.asarray(ids, dtype=np.int64)[owners])
    if held is None:
        bulk.insert_key_columns(incident.pk, new_keys)
    else:
        held.add_columns(new_keys)
    result.imported += len(new_rows)
    if seen is not None:
        # Every merge digest of the batch (those of rows merged away too: a filter may hold
        # more than was written, it only costs a look-up) and the new people's references.
        seen.add_flat(flat)
        seen.add_flat(refs)
        seen.add([d for index in combined for d in new_rows[index].merge_digests])

    if merges:
        _merge_into_existing(incident, merges, result, actor, seen, held)


_MERGE_CODES = [preparing.KEY_KINDS.index(kind) for kind in MERGE_KINDS]


def _merge_pairs(batch: list[Keyed]) -> set[tuple[str, bytes]]:
    """(kind, digest) of every merge key of the batch's rows, under every index key."""
    import numpy as np

    codes, key_digests, _owners = preparing.key_arrays(batch, every_digest=True)
    chosen = np.isin(codes, _MERGE_CODES)
    flat = key_digests[chosen].tobytes()
    return set(zip(map(preparing.KEY_KINDS.__getitem__, codes[chosen].tolist()),
                   (flat[at:at + 16] for at in range(0, len(flat), 16)), strict=True))


def _flat(merging: list[bytes]):
    """The batch's merge digests end to end (16 bytes each) and, for each, its row's index."""
    import numpy as np

    counts = np.fromiter(map(len, merging), dtype=np.int64, count=len(merging)) >> 4
    return b"".join(merging), np.repeat(np.arange(len(merging)), counts)


def _repeated(flat: bytes, owner, rows: int):
    """For each row, whether one of its merge digests is another row's too."""
    import numpy as np

    special = np.zeros(rows, dtype=bool)
    if not flat:
        return special
    words = np.frombuffer(flat, dtype=">u8").reshape(-1, 2)
    # Sorted by the first 8 bytes alone (one key sorts several times faster than two); only
    # if two different digests share those (one in ~2^64 pairs) by both words.
    order = np.argsort(words[:, 0])
    ordered = words[order]
    tied = ordered[1:, 0] == ordered[:-1, 0]
    if bool((tied & (ordered[1:, 1] != ordered[:-1, 1])).any()):
        order = np.lexsort((words[:, 1], words[:, 0]))
        ordered = words[order]
    at = np.flatnonzero((ordered[1:] == ordered[:-1]).all(axis=1))
    first, second = owner[order[at]], owner[order[at + 1]]
    other = first != second  # a digest twice in one row (never so today) merges nothing
    special[first[other]] = True
    special[second[other]] = True
    return special


def _found(flat: bytes, existing: dict[bytes, int]) -> list[int]:
    """Positions in ``flat`` (in 16-byte digests) of the digests the registry has: the batch's
    first words searched among the found digests' sorted first words (one pass, not a scan of
    the batch per found digest: those grow with the file), each hit checked whole."""
    import numpy as np

    if not flat or not existing:
        return []
    known = np.sort(np.frombuffer(b"".join(existing), dtype=">u8")[0::2])
    words = np.frombuffer(flat, dtype=">u8")[0::2]
    at = np.minimum(np.searchsorted(known, words), len(known) - 1)
    return [i for i in np.flatnonzero(known[at] == words).tolist()
            if flat[16 * i:16 * i + 16] in existing]


def _classify(batch, merging, special, existing, result, flat):
    """The batch's new people (the same person twice in it combined) and its rows that merge
    into people already in the registry, in file order; rows not ``special`` are new as they
    are. ``merging``: each row's merge digests end to end (``Keyed.merge_flat``). ``flat``: the
    batch's merge digests, to check that a combined row brings no key of a row not checked
    (then ``None``s: check every row)."""
    new_rows: list[Keyed] = []
    new_by_digest: dict[bytes, int] = {}  # digest → index in new_rows
    merges: dict[int, list[ParsedRow]] = {}
    combined_at: set[int] = set()  # indexes in new_rows of rows combined from two
    merged = 0
    brought: list[bytes] = []  # digests combined rows brought that no row checked had
    for k, merge_flat, check in zip(batch, merging, special, strict=True):
        if not check:
            new_rows.append(k)
            continue
        mine = [merge_flat[at:at + 16] for at in range(0, len(merge_flat), 16)]
        person_id = next((existing[d] for d in mine if d in existing), None)
        if person_id is not None:
            merges.setdefault(person_id, []).append(k.row)
            continue
        index = next((new_by_digest[d] for d in mine if d in new_by_digest), None)
        if index is not None:  # the same person twice in this batch
            new_rows[index] = _combined(new_rows[index], k)
            merged += 1
            combined_at.add(index)
            combined = new_rows[index].merge_digests
            if flat is not None:
                # A key the two rows did not have (a former name with the other's phone) may
                # be a row's that was not checked: then every row is (checked at the end).
                brought.extend(d for d in combined if d not in new_by_digest and d not in mine)
            for d in combined:
                new_by_digest.setdefault(d, index)
            continue
        new_rows.append(k)
        for d in mine:
            new_by_digest.setdefault(d, len(new_rows) - 1)
    if brought and _held_by_unchecked(brought, flat, special, merging):
        return None, None, None
    result.merged += merged
    return new_rows, merges, combined_at


def _held_by_unchecked(brought: list[bytes], flat: bytes, special: list[bool],
                       merging: list[bytes]) -> bool:
    """Whether a digest of ``brought`` is a merge digest of a row not checked (``special``
    false): one pass over the batch's digests with numpy, not a set of them all."""
    import numpy as np

    counts = np.fromiter(map(len, merging), dtype=np.int64, count=len(merging)) >> 4
    unchecked = np.repeat(~np.asarray(special, dtype=bool), counts)
    words = np.frombuffer(flat, dtype=">u8").reshape(-1, 2)[unchecked]
    if not len(words):
        return False
    asked = np.frombuffer(b"".join(brought), dtype=">u8").reshape(-1, 2)
    order = np.lexsort((words[:, 1], words[:, 0]))
    first, second = words[order, 0], words[order, 1]
    low = np.searchsorted(first, asked[:, 0], side="left")
    high = np.searchsorted(first, asked[:, 0], side="right")
    return any(bool((second[lo:hi] == want).any())
               for lo, hi, want in zip(low.tolist(), high.tolist(), asked[:, 1], strict=True)
               if hi > lo)


def _combined(first: Keyed, second: Keyed) -> Keyed:
    """The row of ``first`` completed by ``second`` (``PersonRecord.merged_with``), keyed and
    sealed again; its address's key forms are the row's whose address it keeps."""
    row = _combine(first.row, second.row)
    forms = first.address_forms if first.row.record.address else second.address_forms
    return Keyed.of(row, addresses=forms)


def _combine(first: ParsedRow, second: ParsedRow) -> ParsedRow:
    return ParsedRow(first.row, first.record.merged_with(second.record),
                     first.items | second.items, first.confirmed or second.confirmed,
                     first.controller or second.controller)


def _unique_references(incident, rows: list[Keyed], seen: SeenDigests | None = None,
                       held: bulk.HeldKeys | None = None,
                       arrays: tuple | None = None) -> tuple[bytes, bool]:
    """Draw a new reference number for any row whose number is already taken (a 1-in-10^7
    chance per row in a 10-million-person registry: rare, but it must never fail an import).
    Returns the rows' reference digests end to end, and whether any was drawn again.
    ``arrays``: the rows' ``preparing.key_arrays``."""
    from dataclasses import replace

    redrawn = False
    while True:
        flat = preparing.ref_digests(rows, None if redrawn else arrays)
        refs = [flat[at:at + 16] for at in range(0, len(flat), 16)]
        by_digest = {d: i for i, d in enumerate(refs)}
        if seen is None:
            asked = {("ref", d) for d in by_digest}
        else:
            asked = {("ref", refs[at]) for at in seen.maybe_held_flat(flat).tolist()}
        taken = {d for _kind, d, _pid in bulk.find_keys(incident.pk, asked, held)}
        clashes = {by_digest[d] for d in taken}
        if len(by_digest) != len(rows):  # drawn twice in the batch
            kept = set(by_digest.values())
            clashes |= {i for i in range(len(rows)) if i not in kept}
        if not clashes:
            return flat, redrawn
        redrawn = True
        for i in clashes:
            row = rows[i].row
            rows[i] = Keyed.of(ParsedRow(row.row, replace(row.record, ref=new_reference()),
                                         row.items, row.confirmed, row.controller),
                               addresses=rows[i].address_forms)


def _merge_into_existing(incident, merges: dict[int, list[ParsedRow]], result: ImportResult,
                         actor, seen: SeenDigests | None = None,
                         held: bulk.HeldKeys | None = None) -> None:
    people = Person.objects.in_bulk(list(merges))
    updated: list[tuple] = []
    new_keys: list[tuple[int, str, bytes]] = []
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
        updated.append((person_id, record.to_json(), sorted(items), confirmed,
                        bool(record.email), bool(record.address)))
        # Every key of the merged record: those the person has already are skipped by the
        # primary key (ON CONFLICT DO NOTHING), found through it rather than read by
        # ``person_id``, whose index is a coarse BRIN on PostgreSQL.
        new_keys.extend((person_id, kind, d) for kind, d in digests(record))
        events.append(PersonEvent(person_id=person_id, kind=EventKind.MERGED, actor=actor,
                                  details={"rows": [r.row for r in rows]}))
        result.merged += len(rows)
    # On PostgreSQL one statement each from arrays, whose cost per person does not grow with
    # the people merged in the batch (``bulk.update_merged``); elsewhere the ORM.
    if not bulk.update_merged([(pid, seal(text), *rest) for pid, text, *rest in updated]):
        for pid, text, items, confirmed, has_email, has_postal in updated:
            person = people[pid]
            person.sealed, person.items, person.confirmed = text, items, confirmed
            person.has_email, person.has_postal = has_email, has_postal
        Person.objects.bulk_update(list(people.values()),
                                   ["sealed", "items", "confirmed", "has_email", "has_postal"])
    # A person of an earlier batch of this import may have keys still held: those are not
    # written twice (the held run's COPY would fail on the primary key).
    written = new_keys if held is None else held.not_held(new_keys)
    if not bulk.add_keys(incident.pk, written):
        PersonKey.objects.bulk_create([PersonKey(person_id=pid, incident=incident, kind=kind,
                                                 digest=d) for pid, kind, d in written],
                                      ignore_conflicts=True)
    if seen is not None:
        seen.add([bytes(d) for _pid, _kind, d in new_keys])
    PersonEvent.objects.bulk_create(events)


# -- progress, for the page while the transaction is open ---------------------------------------

def progress_key(import_id: int) -> str:
    return f"people-import-{import_id}"


def write_progress(import_id: int, rows: int, bytes_done: int, bytes_total: int) -> None:
    caches["progress"].set(progress_key(import_id),
                           {"rows": rows, "bytes": bytes_done, "total": bytes_total}, 24 * 3600)


def read_progress(import_id: int) -> dict | None:
    return caches["progress"].get(progress_key(import_id))
