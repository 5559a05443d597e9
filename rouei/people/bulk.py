"""Writing many registry rows at once, below the ORM: an import of ten million people cannot
afford a model instance per row. PostgreSQL gets COPY (ids reserved from the table's sequence
first, so the keys can point at their person); SQLite gets ``executemany`` with ids after the
highest ever given (the import holds SQLite's write lock: nobody else is inserting).

Both run inside the import's transaction; the values are what the ORM would write (the sealed
record as ``rouei.core.crypto.seal`` gives it, JSON as text, the timestamps). PostgreSQL's COPY
gets one block of text per batch (a row per line), not a call per row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from operator import itemgetter

from django.db import connection
from django.utils import timezone

from rouei.core.crypto import BLIND_INDEX_BYTES
from rouei.people.models import KeyKind, NoticeStatus, Person, PersonKey, digest_prefix

try:
    from rouei.people import _rowkeys
except ImportError:  # not built (a checkout without its C extensions): the COPY text in Python
    _rowkeys = None

PERSON_COLUMNS = ("id", "created_at", "updated_at", "incident_id", "sealed", "items",
                  "confirmed", "controller", "has_email", "has_postal", "notice_status")
# The kind last: in COPY's binary rows it is the one field whose length varies (``_binary_keys``).
KEY_COLUMNS = ("person_id", "incident_id", "digest_prefix", "digest", "kind")
KINDS = tuple(KeyKind.values)  # a kind's code in a run of key rows: its place here


def reserve_ids(count: int) -> list[int]:
    """``count`` new ids of people, from the table's own sequence on PostgreSQL (so other
    writers, which take theirs from it too, never get one of them)."""
    table = Person._meta.db_table
    if not count:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence named once, not once per id: ``pg_get_serial_sequence`` in the
            # select list is called for every row, and cost PostgreSQL nine times what
            # drawing the ids did (docs/benchmarks.md, session 15).
            cursor.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
                           [_id_sequence(cursor), count])
            return cursor.fetchone()[0]
        cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608 — a model's own table
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _id_sequence(cursor) -> str:
    """The name of the sequence people's ids come from: asked once per connection."""
    known = getattr(connection, "_rouei_person_id_sequence", None)
    if known is None:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Person._meta.db_table])
        known = connection._rouei_person_id_sequence = cursor.fetchone()[0]
    return known


def find_keys(incident_id: int, wanted: set[tuple[str, bytes]],
              held: HeldKeys | None = None) -> list[tuple[str, bytes, int]]:
    """(kind, digest, person id) of the incident's keys among ``wanted`` (kind, digest): one
    query per batch on PostgreSQL (the pairs as two arrays, each found through the index);
    the rows an import holds back (``held``) after those of the table (they are its newest
    people)."""
    if not wanted:
        return []
    found = _find_written(incident_id, wanted)
    if held is not None:
        found.extend(held.find(wanted))
    return found


def _find_written(incident_id: int,
                  wanted: set[tuple[str, bytes]]) -> list[tuple[str, bytes, int]]:
    table = PersonKey._meta.db_table
    pairs = list(wanted)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One index probe per pair (the subquery per pair, OFFSET 0 so that it stays one).
            # Left to itself the planner may scan all the incident's keys instead, the
            # import's own rows having no statistics yet: a full scan per batch. The primary
            # key holds the digest's first 8 bytes; the full digest (and the kind) are tested
            # in the row, so a digest sharing only its first bytes is not found.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL jit = off")
            probe = (f'SELECT person_id FROM "{table}" k WHERE k.incident_id = %s '  # noqa: S608 — a model's own table
                     "AND k.digest_prefix = w.prefix AND k.digest = w.digest "
                     "AND k.kind = w.kind OFFSET 0")
            pairs_sql = "unnest(%s::text[], %s::bytea[], %s::bigint[]) AS w(kind, digest, prefix)"
            joined = f"{pairs_sql} CROSS JOIN LATERAL ({probe}) AS k"
            query = f"SELECT w.kind, w.digest, k.person_id FROM {joined}"  # noqa: S608
            cursor.execute(query, [[k for k, _ in pairs], [d for _, d in pairs],
                                   [digest_prefix(d) for _, d in pairs], incident_id])
            found = [(kind, bytes(digest), pid) for kind, digest, pid in cursor.fetchall()]
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET jit")
            return found
    found = []
    for start in range(0, len(pairs), SQLITE_CHUNK):
        part = pairs[start:start + SQLITE_CHUNK]
        found.extend(
            (kind, bytes(digest), pid) for kind, digest, pid in PersonKey.objects.filter(
                incident_id=incident_id,
                digest_prefix__in={digest_prefix(d) for _, d in part}).values_list(
                    "kind", "digest", "person_id")
            if (kind, bytes(digest)) in wanted)
    return found


SQLITE_CHUNK = 5_000  # SQLite's limit on a query's parameters is 32,766


def update_merged(rows: list[tuple]) -> bool:
    """People of earlier batches after a merge: (id, sealed token, item ids, confirmed, has
    e-mail, has postal address) each, in one UPDATE from arrays on PostgreSQL. Django's
    ``bulk_update`` writes a CASE with a branch per person for every column, which PostgreSQL
    tests branch by branch for every row (the cost per person grows with the people merged in
    the batch, and those grow with the file). Returns False elsewhere (the caller's ORM path)."""
    if connection.vendor != "postgresql":
        return False
    if not rows:
        return True
    table = Person._meta.db_table
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS p SET sealed = u.sealed, items = u.items::jsonb, '  # noqa: S608 — a model's own table
            "confirmed = u.confirmed, has_email = u.has_email, has_postal = u.has_postal "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bool[], %s::bool[], "
            "%s::bool[]) AS u(id, sealed, items, confirmed, has_email, has_postal) "
            "WHERE p.id = u.id",
            [list(columns[0]), list(columns[1]), [_items_json(frozenset(i)) for i in columns[2]],
             list(columns[3]), list(columns[4]), list(columns[5])])
    return True


def add_keys(incident_id: int, rows: list[tuple[int, str, bytes]]) -> bool:
    """Keys of people of earlier batches after a merge, (person id, kind, digest) each, those
    already there skipped (any constraint, as ``ignore_conflicts``), in one INSERT from arrays
    on PostgreSQL, in the primary key's order. Returns False elsewhere (the ORM path)."""
    if connection.vendor != "postgresql":
        return False
    if not rows:
        return True
    table = PersonKey._meta.db_table
    rows = sorted(((digest_prefix(d), pid, kind, d) for pid, kind, d in rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" (person_id, incident_id, digest_prefix, kind, digest) '  # noqa: S608 — a model's own table
            "SELECT u.person_id, %s, u.prefix, u.kind, u.digest FROM unnest(%s::bigint[], "
            "%s::bigint[], %s::text[], %s::bytea[]) AS u(person_id, prefix, kind, digest) "
            "ON CONFLICT DO NOTHING",
            [incident_id, [r[1] for r in rows], [r[0] for r in rows], [r[2] for r in rows],
             [r[3] for r in rows]])
    return True


def _copy_text(value: str) -> str:
    """``value`` as a field of COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return value


@lru_cache(maxsize=4096)
def _items_json(items: frozenset[str]) -> str:
    # A list repeats a few item sets on every row: each is written out once.
    return json.dumps(sorted(items))


def _people_copy_text(rows: list[tuple], head: str, not_notified: str) -> str:
    """The people rows' COPY text (a row per line): ``head`` the fields between the id and the
    sealed token. The reference ``_rowkeys.people_copy`` is tested against."""
    return "".join(
        f"{pid}{head}{sealed}\t{_copy_text(_items_json(frozenset(items)))}\t"
        f"{'t' if confirmed else 'f'}\t{_copy_text(controller)}\t"
        f"{'t' if has_email else 'f'}\t{'t' if has_postal else 'f'}\t{not_notified}\n"
        for pid, sealed, items, confirmed, controller, has_email, has_postal in rows)


def _people_copy(rows: list[tuple], head: str, not_notified: str) -> bytes | str:
    """``_people_copy_text`` written by the compiled kernel as UTF-8 (no Python step a row; the
    item sets, a few a list, are written out once each), or by Python where it is not built."""
    if _rowkeys is None:
        return _people_copy_text(rows, head, not_notified)
    texts = {items: _copy_text(_items_json(frozenset(items)))
             for items in set(map(itemgetter(2), rows))}
    return _rowkeys.people_copy(rows, head, texts, not_notified)


def insert_people(incident_id: int, rows: list[tuple]) -> None:
    """New people of one incident: (id, sealed token, item ids, confirmed, controller,
    has e-mail, has postal address) each."""
    if not rows:
        return
    now = timezone.now()
    not_notified = NoticeStatus.NOT_NOTIFIED.value
    if connection.vendor == "postgresql":
        stamp = now.isoformat()
        head = f"\t{stamp}\t{stamp}\t{incident_id}\t"
        text = _people_copy(rows, head, not_notified)
        if isinstance(text, bytes) and connection.connection.info.encoding != "utf-8":
            text = text.decode("utf-8")  # psycopg encodes a str to the connection's encoding
        _copy(Person, PERSON_COLUMNS, text)
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    _executemany(Person, PERSON_COLUMNS, [
        (pid, stamp, stamp, incident_id, sealed, _items_json(frozenset(items)), confirmed,
         controller, has_email, has_postal, not_notified)
        for pid, sealed, items, confirmed, controller, has_email, has_postal in rows])


def insert_keys(incident_id: int,
                rows: list[tuple[int, tuple[tuple[str, tuple[bytes, ...]], ...]]]) -> None:
    """The blind indexes of new people: (person id, its prepared keys: (kind, digests under
    every index key)…) each, the current key's digest stored, written in the order of the
    table's primary key (the digest's first 8 bytes, then the person): the index's pages are
    then visited once each, in order, instead of at random for every key (digests are random).
    On PostgreSQL one binary COPY, made by numpy (``_binary_keys``): formatting and sorting ~8
    keys a person in Python cost the import more than PostgreSQL's writing them."""
    insert_key_columns(incident_id, _key_columns(rows))


def insert_key_columns(incident_id: int, columns: dict[str, tuple]) -> None:
    """``insert_keys`` of keys given as columns: kind → (its digests end to end, their people's
    ids), as ``_key_columns`` makes them (or an import's arrays, with no tuple a key)."""
    if not columns:
        return
    write_key_run(incident_id, _in_key_order(
        [(kind, _sorted(*columns[kind])) for kind in sorted(columns)]))


class HeldKeys:
    """New people's key rows held back over several batches of an import and written as
    sorted runs, at most about ``limit`` rows a run: a batch's ~75,000 sorted keys land on most
    leaves of the primary key's index, so fewer, larger runs visit each leaf fewer times
    (PostgreSQL's CPU for the keys, which grew per key with the registry: docs/benchmarks.md,
    session 16). Held as three numpy columns a kind (~24 bytes a key), each batch sorted once so
    that a look-up is a binary search per batch.

    A run is written **between batches, in pieces** (``between_batches``): each piece a COPY of
    the next ``PIECE_ROWS`` rows of the run, in the primary key's order, so the run visits each
    leaf once however many pieces it is cut into, while the importing thread waits on
    PostgreSQL and the preparing thread has the interpreter to itself. The held rows become a
    run when no run is being written and they reach ``GROWTH``-th of the keys this import has
    written before them (an empty incident: the first runs are a batch each, into a small
    index, and they grow with it) or ``limit``; a run is written at least as fast as keys are
    held, and faster while no batch waits for the writer, so that little is left to write
    after the last batch (docs/benchmarks.md, session 18). Into an incident that has people
    already every run is ``limit`` rows, as its index may be large.

    The import's own look-ups ask the rows held and the rest of the run being written as well
    as the table (``find_keys``), and a merged person's keys skip those (``not_held``), as the
    primary key would skip them. Nothing is written if the import stops before its runs are:
    its transaction is rolled back (and what was written with it)."""

    PIECE_ROWS = 50_000  # rows a COPY of a run being written between batches (~60 ms)
    GROWTH = 4  # a run is at least this share of the keys written before it (1 / GROWTH)

    def __init__(self, incident_id: int, limit: int, grow: bool = False):
        self.incident_id = incident_id
        self.limit = limit
        self.grow = grow
        self.rows = 0  # held, not yet in a run
        self._runs: dict[str, list[tuple]] = {}  # kind → sorted (first words, second words, ids)
        self._writing: tuple | None = None  # the run being written: ``_in_key_order``'s columns
        self._at = 0  # its rows written so far
        self._in_runs = 0  # rows this import has put in runs
        self._added = 0  # rows held since the last ``between_batches``

    def add(self, rows: list[tuple[int, tuple[tuple[str, tuple[bytes, ...]], ...]]]) -> None:
        """New people's keys, as ``insert_keys`` takes them."""
        self.add_columns(_key_columns(rows))

    def add_columns(self, columns: dict[str, tuple]) -> None:
        """New people's keys as ``insert_key_columns`` takes them."""
        for kind, kind_columns in columns.items():
            run = _sorted(*kind_columns)
            self._runs.setdefault(kind, []).append(run)
            self.rows += len(run[2])
            self._added += len(run[2])

    @property
    def full(self) -> bool:
        return self.rows >= self.limit

    @property
    def unwritten(self) -> int:
        """Rows not in the table yet: held, and the rest of the run being written."""
        return self.rows + self._left()

    def _left(self) -> int:
        return 0 if self._writing is None else len(self._writing[2]) - self._at

    def _run_due(self) -> bool:
        if not self.rows:
            return False
        if self.full:
            return True
        return self.grow and self.rows * self.GROWTH >= self._in_runs

    def _start_run(self) -> None:
        held, self._runs, rows, self.rows = self._runs, {}, self.rows, 0
        runs = [(kind, run) for kind in sorted(held) for run in held.pop(kind)]
        self._writing, self._at = _in_key_order(runs), 0  # lets ``runs`` go as it sorts
        self._in_runs += rows

    def _write(self, rows: int) -> int:
        """The next ``rows`` rows of the run being written (at most what is left)."""
        run, start = self._writing, self._at
        end = min(start + rows, len(run[2]))
        write_key_run(self.incident_id, tuple(column[start:end] for column in run))
        if end == len(run[2]):
            self._writing, self._at = None, 0
        else:
            self._at = end
        return end - start

    def between_batches(self, batch_waiting: Callable[[], bool] = lambda: False) -> None:
        """After a batch is written: a run started if one is due, and written on in pieces —
        at least as many rows as were held since the last call, then on while
        ``batch_waiting()`` says no batch waits for the writer; the whole run at once if the
        held rows reached ``limit`` (memory stays bounded: at most ``limit`` rows held and one
        run being written)."""
        quota, self._added = self._added, 0
        done = 0
        while True:
            if not self._left():
                if not self._run_due():
                    return
                self._start_run()
            if done >= quota and not self.full and batch_waiting():
                return
            done += self._write(self.PIECE_ROWS)

    def flush(self) -> None:
        """Write everything still unwritten: the rest of the run being written, then the held
        rows as one run sorted in the primary key's order."""
        if self._left():
            self._write(self._left())
        if self.rows:
            self._start_run()
            self._write(self._left())

    def find(self, wanted: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes, int]]:
        """(kind, digest, person id) of the rows not in the table yet among ``wanted`` (kind,
        digest): the rest of the run being written (its people older), then the held rows."""
        import numpy as np

        wanted = list(wanted)
        found = self._find_writing(wanted)
        asked: dict[str, list[bytes]] = {}
        for kind, digest in wanted:
            if kind in self._runs:
                asked.setdefault(kind, []).append(digest)
        for kind, digests in asked.items():
            words = np.frombuffer(b"".join(digests), dtype=">u8").reshape(-1, 2).astype(np.uint64)
            for first, second, people in self._runs[kind]:
                low = np.searchsorted(first, words[:, 0], side="left")
                high = np.searchsorted(first, words[:, 0], side="right")
                for at in np.flatnonzero(high > low).tolist():
                    wanted_second = int(words[at, 1])
                    found.extend((kind, digests[at], int(people[row]))
                                 for row in range(int(low[at]), int(high[at]))
                                 if int(second[row]) == wanted_second)
        return found

    def _find_writing(self, wanted: list[tuple[str, bytes]]) -> list[tuple[str, bytes, int]]:
        """``find`` in the rows of the run being written that are not written yet (those
        written are the table's)."""
        import numpy as np

        if not self._left() or not wanted:
            return []
        first, second, people, codes = (column[self._at:] for column in self._writing)
        signed = first.view(np.int64)
        digests = [digest for _kind, digest in wanted]
        words = np.frombuffer(b"".join(digests), dtype=">u8").reshape(-1, 2).astype(np.uint64)
        asked_first = words[:, 0].view(np.int64)
        low = np.searchsorted(signed, asked_first, side="left")
        high = np.searchsorted(signed, asked_first, side="right")
        found = []
        for at in np.flatnonzero(high > low).tolist():
            kind, digest = wanted[at]
            if kind not in KINDS:
                continue
            code, wanted_second = KINDS.index(kind), int(words[at, 1])
            found.extend((kind, digest, int(people[row]))
                         for row in range(int(low[at]), int(high[at]))
                         if int(second[row]) == wanted_second and int(codes[row]) == code)
        return found

    def not_held(self, rows: list[tuple[int, str, bytes]]) -> list[tuple[int, str, bytes]]:
        """``rows`` (person id, kind, digest) less those the rows not written yet would refuse:
        the same row, or a reference number held for anyone (the unique constraint)."""
        if not self.unwritten or not rows:
            return rows
        held = self.find({(kind, digest) for _pid, kind, digest in rows})
        if not held:
            return rows
        same = {(kind, digest, pid) for kind, digest, pid in held}
        references = {digest for kind, digest, _pid in held if kind == "ref"}
        return [(pid, kind, digest) for pid, kind, digest in rows
                if (kind, digest, pid) not in same and not (kind == "ref" and digest in references)]


def _key_columns(rows) -> dict[str, tuple[bytes, list[int]]]:
    """Each kind's current digests end to end and their people, from ``insert_keys``' rows."""
    by_kind: dict[str, tuple[list[bytes], list[int]]] = {}
    for pid, keys in rows:
        for kind, digests in keys:
            found = by_kind.get(kind)
            if found is None:
                found = by_kind[kind] = ([], [])
            found[0].append(digests[0])
            found[1].append(pid)
    return {kind: (b"".join(digests), pids) for kind, (digests, pids) in by_kind.items()}


def _sorted(digests, people):
    """A kind's rows as (first 64-bit words, second words, person ids), sorted by the digest's
    bytes (its two big-endian words) and then the person: ``HeldKeys.find`` searches them."""
    import numpy as np

    words = np.frombuffer(digests, dtype=">u8").reshape(-1, 2).astype(np.uint64)
    first, second = words[:, 0], words[:, 1]
    people = np.asarray(people, dtype=np.int64)
    order = np.lexsort((people, second, first))
    return (np.ascontiguousarray(first[order]), np.ascontiguousarray(second[order]),
            np.ascontiguousarray(people[order]))


def _in_key_order(runs: list[tuple[str, tuple]]) -> tuple:
    """Sorted runs of kinds (``_sorted``; a kind's runs in the order their people were
    written) as one run (first words, second words, person ids, kind codes) in the primary
    key's order: the first words as signed integers (``models.digest_prefix``), then the
    person. A stable sort of the first words is enough: rows with equal first words are one
    digest (so one kind), whose runs are already in the people's order; two digests sharing
    their first 8 bytes only may come out of the person's order, which costs a little of the
    write and nothing else. ``runs`` is emptied: each column of the held rows is let go as
    soon as its sorted copy is made (the import's memory is the held rows and one column)."""
    import numpy as np

    columns: list[list] = [[], [], [], []]
    for kind, run in runs:
        for column, part in zip(columns, (*run, np.full(len(run[2]), KINDS.index(kind),
                                                        dtype=np.int8)), strict=True):
            column.append(part)
    runs.clear()
    if not columns[0]:
        empty = np.empty(0, dtype=np.int64)
        return empty.view(np.uint64), empty.view(np.uint64), empty, empty.astype(np.int8)
    first = np.concatenate(columns[0])
    columns[0].clear()
    order = np.argsort(first.view(np.int64), kind="stable")
    ordered = [first[order]]
    del first
    for column in columns[1:]:
        ordered.append(np.concatenate(column)[order])
        column.clear()
    return tuple(ordered)


def write_key_run(incident_id: int, run: tuple) -> None:
    """Key rows already in the primary key's order (``_in_key_order``): written by
    PostgreSQL's binary COPY (``_binary_keys``), else as rows."""
    if not len(run[2]):
        return
    if connection.vendor == "postgresql" and _bigint_keys():
        _copy(PersonKey, KEY_COLUMNS, _binary_keys(incident_id, run), binary=True)
        return
    keys = list(_digest_rows(run))
    if connection.vendor == "postgresql":
        _copy(PersonKey, KEY_COLUMNS, "".join(
            f"{pid}\t{incident_id}\t{digest_prefix(digest)}\t\\\\x{digest.hex()}\t{kind}\n"
            for digest, pid, kind in keys))
        return
    _executemany(PersonKey, KEY_COLUMNS, [(pid, incident_id, digest_prefix(digest), digest, kind)
                                          for digest, pid, kind in keys])


def _digest_rows(run) -> Iterator[tuple[bytes, int, str]]:
    import numpy as np

    first, second, people, codes = run
    blob = np.stack((first, second), axis=1).astype(">u8").tobytes()
    return ((blob[16 * i:16 * i + 16], pid, KINDS[code])
            for i, (pid, code) in enumerate(zip(people.tolist(), codes.tolist(), strict=True)))


# COPY's binary format: the signature, no flags, no header extension; each row its field count
# and each field its length and value (integers big-endian); -1 as the count ends the data.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_COPY_PART = 25_000  # rows a part of the data: the binary rows are made a part at a time (~2 MB)


def _bigint_keys() -> bool:
    """Whether the key table's person and incident columns are bigint (what the binary rows
    write): asked once per connection."""
    known = getattr(connection, "_rouei_bigint_keys", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                           "WHERE attrelid = %s::regclass AND attname IN "
                           "('person_id', 'incident_id')", [PersonKey._meta.db_table])
            types = dict(cursor.fetchall())
        known = types == {"person_id": "bigint", "incident_id": "bigint"}
        connection._rouei_bigint_keys = known
    return known


def _binary_keys(incident_id: int, run: tuple) -> Iterator[bytes]:
    """COPY's binary data of the keys (``KEY_COLUMNS``), in the run's order, a part of
    ``_COPY_PART`` rows at a time. Each row is a fixed part and the kind's name, whose length
    varies: the rows are made with room for the longest name, and the room a shorter one
    leaves is cut out."""
    import numpy as np

    names = np.array([kind.encode() for kind in KINDS])
    sizes = np.array([len(kind) for kind in names], dtype=np.int64)
    longest = int(sizes.max())
    row = np.dtype([
        ("fields", ">i2"), ("person_size", ">i4"), ("person", ">i8"), ("incident_size", ">i4"),
        ("incident", ">i8"), ("prefix_size", ">i4"), ("prefix", ">i8"), ("digest_size", ">i4"),
        ("digest_first", ">u8"), ("digest_second", ">u8"), ("kind_size", ">i4"),
        ("kind", f"S{longest}")])
    fixed = row.itemsize - longest
    first, second, people, codes = run
    yield _COPY_HEADER
    for start in range(0, len(people), _COPY_PART):
        part = slice(start, start + _COPY_PART)
        out = np.zeros(len(people[part]), dtype=row)
        out["fields"] = len(KEY_COLUMNS)
        out["person_size"] = out["incident_size"] = out["prefix_size"] = 8
        out["person"] = people[part]
        out["incident"] = incident_id
        out["prefix"] = first[part].view(np.int64)
        out["digest_size"] = BLIND_INDEX_BYTES
        out["digest_first"] = first[part]
        out["digest_second"] = second[part]
        kind_sizes = sizes[codes[part]]
        out["kind_size"] = kind_sizes
        out["kind"] = names[codes[part]]
        matrix = out.view(np.uint8).reshape(len(out), row.itemsize)
        yield matrix[np.arange(row.itemsize) < (fixed + kind_sizes)[:, None]].tobytes()
    yield _COPY_TRAILER


def _copy(model, columns: tuple[str, ...], data: str | bytes | Iterable[bytes],
          binary: bool = False) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    form = " (FORMAT BINARY)" if binary else ""
    with connection.cursor() as cursor, cursor.cursor.copy(
            f'COPY "{model._meta.db_table}" ({names}) FROM STDIN{form}') as copy:
        for part in ([data] if isinstance(data, str | bytes) else data):
            copy.write(part)


def _executemany(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({marks})',  # noqa: S608
                           rows)
