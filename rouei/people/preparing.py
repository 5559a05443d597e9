"""The per-row work of an import, apart from the database: each row read, normalised, its
record sealed (``rouei.core.crypto.seal``) and its blind indexes computed — for a large file
in worker processes when ``ROUEI_IMPORT_WORKERS`` asks for them (none by default).

``prepared_rows`` yields the rows of a source in file order, each a ``Keyed`` or the
``RowError`` that rejects it. A large file is cut into chunks that a pool of worker processes
prepares (started afresh and given the keys of this process; they never open a database
connection) while this process merges and writes (``rouei.people.imports``). The writer takes
the chunks in file order, so a stop at a bad row, the row numbers and the progress are what
they are without the pool. At most ``AHEAD`` chunks per worker are in flight: memory stays
bounded whatever the file's size.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from array import array
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from operator import attrgetter, is_not, itemgetter

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rouei.core.crypto import aeads, blind_indexer, blind_indexes, data_key, index_keys, seal
from rouei.people import columnwise
from rouei.people.importing import ParsedRow, RowError, Source, parse_row
from rouei.people.registry import MERGE_KINDS, RECORD_FIELDS, PersonRecord, lookup_values
from rouei.scanning import identity

CHUNK_ROWS = 2_000
AHEAD = 3  # chunks in flight per worker
# Below this size a file is prepared in this process: starting a pool (~1 s of CPU a worker to
# import the modules) costs more than it saves.
PARALLEL_MIN_BYTES = 8 << 20
# Worker processes (``ROUEI_IMPORT_WORKERS``; default none; 0 or 1: none).
WORKERS_ENV = "ROUEI_IMPORT_WORKERS"


# The kinds of key, in the order of the codes of a ``KeyBlock`` (``_rowkeys.KINDS``).
KEY_KINDS = ("ref", "phone", "email", "name_birth", "name_phone", "name_email", "name_address",
             "name_place", "kana_birth")
_KIND_CODE = {kind: code for code, kind in enumerate(KEY_KINDS)}


class KeyBlock:
    """A chunk's keys as arrays, as the compiled ``chunk_keys`` gives them, instead of a tuple
    of Python objects a key: each key's kind code (a byte, its place in ``KEY_KINDS``), the
    digests end to end (16 bytes each), and each row's first key's place (int64, one more at
    the end: the number of keys). A row's ``Keyed`` points into it; the writer takes a batch's
    new keys from the blocks with numpy (``key_arrays``), never as a tuple a key."""

    __slots__ = ("codes", "digests", "starts")

    def __init__(self, codes: bytes, digests: bytes, starts: bytes | array):
        self.codes = codes
        self.digests = digests
        self.starts = starts if isinstance(starts, array) else array("q", starts)

    def __reduce__(self):
        return (KeyBlock, (self.codes, self.digests, self.starts))

    def keys(self, at: int) -> tuple[tuple[str, tuple[bytes]], ...]:
        """Row ``at``'s keys as ``Keyed.keys`` has them: (kind, (digest,)) each."""
        start, end = self.starts[at], self.starts[at + 1]
        digests = self.digests
        return tuple((KEY_KINDS[code], (digests[16 * m:16 * m + 16],))
                     for m, code in zip(range(start, end), self.codes[start:end], strict=True))

    def first_digest(self, at: int, code: int) -> bytes | None:
        """Row ``at``'s first digest of the kind ``code``."""
        start, end = self.starts[at], self.starts[at + 1]
        found = self.codes.find(bytes((code,)), start, end)
        return None if found < 0 else self.digests[16 * found:16 * found + 16]


class Keyed:
    """A row with its look-up keys and its sealed record, computed once: ``keys`` is (kind,
    digests under every index key), held as a row of its chunk's ``KeyBlock`` when the compiled
    path keyed it; ``sealed`` the record's JSON sealed under the first data key;
    what the person row needs besides (``items``, ``confirmed``, ``controller``, ``has_email``,
    ``has_postal``) beside them.

    A worker process sends it to the writer as one tuple of strings, bytes and booleans
    (``__reduce__``), and the writer builds the ``ParsedRow`` only if it asks for ``row`` (a
    merge, a reference drawn again): unpickling the row's dataclasses cost the writer more per
    row than the work the pool took off it (docs/benchmarks.md "Session 11: the import")."""

    __slots__ = ("_at", "_block", "_keys", "_record", "_row", "address_forms", "confirmed",
                 "controller", "has_email", "has_postal", "items", "merge_flat", "number",
                 "sealed")

    def __init__(self, row: ParsedRow | None,
                 keys: tuple[tuple[str, tuple[bytes, ...]], ...] | None,
                 sealed: str, parts: tuple | None = None, merge_flat: bytes | None = None,
                 block: KeyBlock | None = None, at: int = 0,
                 address_forms: tuple[str | None, str | None] | None = None):
        self._row = row
        # The address's two key forms (``identity.address_forms``) when known: a row combined
        # with another (``imports._classify``) is keyed again without the address rules.
        self.address_forms = address_forms
        self._keys = keys  # None: row ``at`` of ``block``
        self._block = block
        self._at = at
        self.sealed = sealed
        # The merge digests end to end (``merge_digests`` joined): the writer's look-ups and
        # filter take a batch's at once. Given by the compiled keys, else made here.
        self.merge_flat = (b"".join(d for kind, digests in keys if kind in _MERGE
                                    for d in digests) if merge_flat is None else merge_flat)
        if row is not None:
            record = row.record
            parts = (row.row, tuple(getattr(record, name) for name in RECORD_FIELDS),
                     row.items, row.confirmed, row.controller)
        self.number, self._record, self.items, self.confirmed, self.controller = parts
        self.has_email = bool(self._record[_EMAIL])
        self.has_postal = bool(self._record[_ADDRESS])

    @classmethod
    def of(cls, row: ParsedRow, keys: tuple[bytes, ...] | None = None, cipher=None,
           addresses: tuple[str | None, str | None] | None = None) -> Keyed:
        """``addresses``: the row's address in its two key forms, computed for its chunk at
        once (``identity.address_forms``)."""
        keys = keys or index_keys()
        values = lookup_values(row.record, addresses)
        if len(keys) == 1 and columnwise.available():  # one digest per value, hashed compiled
            found = columnwise.index_messages(
                keys[0], [f"{kind}\x1f{value}".encode() for kind, value in values])
            digests = tuple((kind, (digest,)) for (kind, _), digest in zip(values, found,
                                                                           strict=True))
        elif len(keys) == 1:  # no re-index under way: one digest per value
            index = blind_indexer(keys[0])
            digests = tuple((kind, (index(kind, value),)) for kind, value in values)
        else:
            digests = tuple((kind, tuple(blind_indexes(kind, value, keys)))
                            for kind, value in values)
        return cls(row, digests, seal(row.record.to_json(), cipher), address_forms=addresses)

    @property
    def keys(self) -> tuple[tuple[str, tuple[bytes, ...]], ...]:
        if self._keys is None:
            return self._block.keys(self._at)
        return self._keys

    @property
    def row(self) -> ParsedRow:
        if self._row is None:
            self._row = ParsedRow(self.number, PersonRecord(*self._record), self.items,
                                  self.confirmed, self.controller)
        return self._row

    def __reduce__(self):
        # a chunk's rows share their block: pickled once with the chunk (pickle's memo)
        return (_keyed, (self._keys, self.sealed, self.number, self._record, self.items,
                         self.confirmed, self.controller, self.merge_flat, self._block, self._at,
                         self.address_forms))

    @property
    def merge_digests(self) -> list[bytes]:
        flat = self.merge_flat
        return [flat[at:at + 16] for at in range(0, len(flat), 16)]

    @property
    def stored_digests(self) -> list[tuple[str, bytes]]:
        return [(kind, digests[0]) for kind, digests in self.keys]  # the current key's

    @property
    def ref_digest(self) -> bytes:
        if self._keys is None:
            return self._block.first_digest(self._at, 0)
        first = self.keys[0]  # the reference comes first (``lookup_values``)
        if first[0] == "ref":
            return first[1][0]
        return next(digests[0] for kind, digests in self.keys if kind == "ref")


_EMAIL = RECORD_FIELDS.index("email")
_ADDRESS = RECORD_FIELDS.index("address")


_MERGE = frozenset(MERGE_KINDS)


def _keyed(keys, sealed, number, record, items, confirmed, controller, merge_flat=None,
           block=None, at=0, address_forms=None) -> Keyed:
    return Keyed(None, keys, sealed, (number, record, items, confirmed, controller), merge_flat,
                 block, at, address_forms)


# The slots ``keyed_rows`` sets, in the order of its values.
_CHUNK_SLOTS = ("_row", "address_forms", "_keys", "_block", "_at", "sealed", "merge_flat",
                "number", "_record", "items", "confirmed", "controller", "has_email",
                "has_postal")


def keyed_rows(numbers: list[int], sealed: list[str], records: list[tuple], items: list,
               confirmed: list[bool], controller: list[str], merges: list[bytes],
               block: KeyBlock, forms: list) -> list[tuple[int, Keyed]]:
    """(row number, ``Keyed``) for each of a chunk's rows keyed in ``block`` (row n its row n),
    given as columns: each the ``Keyed`` that ``_keyed(None, sealed, number, record, items,
    confirmed, controller, merge, block, n, forms)`` makes, made by the compiled kernel for the
    whole chunk at once (no Python call a row)."""
    from rouei.people import _rowkeys

    # a value given as a list is a column (one a row); any other is the same for every row
    columns = [c if type(c) is list else list(c) for c in (
        forms, sealed, merges, numbers, records, items, confirmed, controller)]
    forms, sealed, merges, numbers, records, items, confirmed, controller = columns
    return _rowkeys.instances(Keyed, _CHUNK_SLOTS, (
        None, forms, None, block, list(range(len(numbers))), sealed, merges, numbers, records,
        items, confirmed, controller,
        list(map(bool, map(itemgetter(_EMAIL), records))),
        list(map(bool, map(itemgetter(_ADDRESS), records)))), _CHUNK_SLOTS.index("number"))


_BLOCK = attrgetter("_block")
_AT = attrgetter("_at")


def key_arrays(rows: list[Keyed], every_digest: bool = False):
    """Every key of ``rows`` (the current index key's digest; with ``every_digest``, those
    under every index key while a re-index is under way) as three numpy arrays: the kind
    codes (``KEY_KINDS``), the digests (n × 16 bytes) and each key's row (its index in
    ``rows``), in the rows' order and each row's keys in their order. The rows of a chunk's
    ``KeyBlock`` are taken a run of consecutive rows at a time, with no Python step per key;
    a row keyed alone (``Keyed.of``) from its tuple."""
    import numpy as np

    count = len(rows)
    codes: list = []
    digests: list = []
    owners: list = []
    if not count:
        return (np.zeros(0, dtype=np.uint8), np.zeros((0, 16), dtype=np.uint8),
                np.zeros(0, dtype=np.int64))
    blocks = list(map(_BLOCK, rows))
    ats = np.fromiter(map(_AT, rows), dtype=np.int64, count=count)
    cuts = [0, *itertools.compress(range(1, count), map(is_not, blocks[1:], blocks[:-1])),
            count]
    for low, high in itertools.pairwise(cuts):
        block = blocks[low]
        if block is None:
            alone = [(_KIND_CODE[kind], digest, i) for i in range(low, high)
                     for kind, found in rows[i].keys
                     for digest in (found if every_digest else found[:1])]
            codes.append(np.array([c for c, _, _ in alone], dtype=np.uint8))
            digests.append(np.frombuffer(b"".join(d for _, d, _ in alone),
                                         dtype=np.uint8).reshape(-1, 16))
            owners.append(np.array([i for _, _, i in alone], dtype=np.int64))
            continue
        starts = np.frombuffer(block.starts, dtype=np.int64)
        at = ats[low:high]
        first = starts[at]
        counts = starts[at + 1] - first
        ends = np.cumsum(counts)
        # each key's place in the block: its row's first key plus its rank in the row
        places = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(first - (ends - counts),
                                                                      counts)
        codes.append(np.frombuffer(block.codes, dtype=np.uint8)[places])
        # gathered as 16-byte items (a row of 16 uint8 gathers several times slower)
        digests.append(np.frombuffer(block.digests, dtype="V16")[places].view(np.uint8)
                       .reshape(-1, 16))
        owners.append(np.repeat(np.arange(low, high, dtype=np.int64), counts))
    return np.concatenate(codes), np.concatenate(digests), np.concatenate(owners)


def ref_digests(rows: list[Keyed], arrays: tuple | None = None) -> bytes:
    """Each row's reference digest (``Keyed.ref_digest``), end to end; ``arrays``: the rows'
    ``key_arrays`` when already made."""
    import numpy as np

    codes, digests, owners = key_arrays(rows) if arrays is None else arrays
    chosen = codes == _KIND_CODE["ref"]
    if int(np.count_nonzero(chosen)) == len(rows) and \
            np.array_equal(owners[chosen], np.arange(len(rows))):
        return digests[chosen].tobytes()
    return b"".join(k.ref_digest for k in rows)  # a row without one raises there


def key_columns(codes, digests, people) -> dict[str, tuple[bytes, object]]:
    """Each kind's digests end to end and their people (``bulk.HeldKeys.add_columns``), from
    ``key_arrays``' codes and digests and each key's person id."""
    import numpy as np

    out = {}
    for code in np.unique(codes).tolist():
        chosen = codes == code
        out[KEY_KINDS[code]] = (digests[chosen].tobytes(), people[chosen])
    return out


@dataclass(frozen=True)
class _Options:
    columns: list
    confirmed_default: bool
    controller_default: str
    index_keys: tuple[bytes, ...] = ()
    data_key: bytes = b""  # the AES key of ``aeads()[0]``, for a worker started afresh


def _prepare(options: _Options, chunk: list[tuple[int, list[str]]], keys=None,
             cipher=None) -> list[tuple]:
    """(row number, ``Keyed``) or (row number, error code, reason) for each row of ``chunk``:
    a column at a time (``rouei.people.columnwise``), the rows it cannot take row by row."""
    keys, cipher = keys or index_keys(), cipher or aeads()[0]
    if len(keys) == 1 and columnwise.available():  # no re-index under way: one digest per value
        return columnwise.prepare(options, chunk, keys[0], cipher, _prepare_each,
                                  _seal_key(options, cipher))
    return _prepare_each(options, chunk, keys, cipher)


def _seal_key(options: _Options, cipher) -> bytes | None:
    """The AES key of ``cipher`` when it is the one ``seal`` uses: the worker's (given with its
    options) or this process's first data key; None for any other cipher (sealed in Python)."""
    if options.data_key:
        return options.data_key
    return data_key() if cipher is aeads()[0] else None


def _prepare_each(options: _Options, chunk: list[tuple[int, list[str]]], keys=None,
                  cipher=None) -> list[tuple]:
    """``_prepare`` row by row: the reference the column-wise path is tested against, and what
    it uses for the rows it leaves (a rejected row, a former name, a re-index under way)."""
    keys, cipher = keys or index_keys(), cipher or aeads()[0]
    parsed: list[ParsedRow | tuple] = []
    for number, cells in chunk:
        try:
            parsed.append(parse_row(options, number, cells,
                                    confirmed_default=options.confirmed_default,
                                    controller_default=options.controller_default))
        except RowError as exc:  # as a tuple: an exception with two arguments does not pickle
            parsed.append((number, exc.code, exc.reason))
    # The chunk's addresses in one call of the compiled rules, not two calls a row in Python.
    rows = [row for row in parsed if type(row) is ParsedRow]
    forms = iter(identity.address_forms([row.record.address for row in rows]))
    return [entry if type(entry) is tuple
            else (entry.row, Keyed.of(entry, keys, cipher, next(forms))) for entry in parsed]


_worker: tuple[_Options, tuple[bytes, ...], AESGCM] | None = None


def _init_worker(options: _Options) -> None:
    # A process started afresh (spawn): the keys come with the options, not from settings.
    global _worker  # one worker process, one import
    _worker = (options, options.index_keys, AESGCM(options.data_key))


def _prepare_in_worker(chunk: list[tuple[int, list[str]]]) -> list[tuple]:
    options, keys, cipher = _worker
    return _prepare(options, chunk, keys, cipher)


def _chunks(source: Source) -> Iterator[tuple[list[tuple[int, list[str]]], int]]:
    """(rows, bytes read after them) in chunks of ``CHUNK_ROWS``."""
    chunk: list[tuple[int, list[str]]] = []
    read = 0
    for number, cells, read in source.rows():
        chunk.append((number, cells))
        if len(chunk) >= CHUNK_ROWS:
            yield chunk, read
            chunk = []
    if chunk:
        yield chunk, read


def workers(source: Source) -> int:
    """Worker processes for ``source``: none by default (``ROUEI_IMPORT_WORKERS`` sets the
    number; 0 or 1: none), and none for a small file. Since the rows are prepared by a thread
    of the importing process while it writes, a pool costs more than it saves on 2 cores:
    100,000 rows in 15.6 s with two workers against 9.3 s without (docs/benchmarks.md,
    session 14)."""
    if source.size < PARALLEL_MIN_BYTES:
        return 0
    configured = os.environ.get(WORKERS_ENV, "").strip()
    count = int(configured) if configured.isdigit() else 0
    return count if count > 1 else 0


def prepared_rows(source: Source, *, confirmed_default: bool = True,
                  controller_default: str = "") -> Iterator[tuple[int, Keyed | RowError, int]]:
    """(row number, the prepared row or why it is rejected, bytes read so far), in file order."""
    for prepared, read in _prepared_chunks(source, confirmed_default, controller_default):
        yield from _unpacked(prepared, read)


def prepared_batches(source: Source, batch_rows: int, *, confirmed_default: bool = True,
                     controller_default: str = "") -> Iterator[tuple[list[Keyed],
                                                                   list[tuple[int, RowError]],
                                                                   int, int]]:
    """``prepared_rows`` a batch at a time: (the batch's prepared rows, at most ``batch_rows``,
    in file order; the rows rejected among them (row number, why), in file order; how many rows
    of the file the batch covers; bytes read so far). Built from whole chunks by slicing, with
    no Python step per row: the writer takes a batch as it is."""
    keyed: list[Keyed] = []
    errors: list[tuple[int, RowError]] = []
    rows = read = 0
    for entries, read in _prepared_chunks(source, confirmed_default, controller_default):
        start = 0
        while start < len(entries):
            part = entries[start:start + batch_rows - len(keyed)]
            start += len(part)
            good = [entry[1] for entry in part if len(entry) == 2]
            if len(good) != len(part):
                errors.extend((entry[0], RowError(entry[1], entry[2]))
                              for entry in part if len(entry) == 3)
            keyed.extend(good)
            rows += len(part)
            if len(keyed) >= batch_rows:
                yield keyed, errors, rows, read
                keyed, errors, rows = [], [], 0
    if rows:
        yield keyed, errors, rows, read


def _prepared_chunks(source: Source, confirmed_default: bool,
                     controller_default: str) -> Iterator[tuple[list[tuple], int]]:
    """(the prepared entries of a chunk, bytes read after it), in file order: in this process,
    or through the pool of workers (``workers``)."""
    options = _Options(source.columns, confirmed_default, controller_default)
    count = workers(source)
    if not count:
        for chunk, read in _chunks(source):
            yield _prepare(options, chunk), read
        return
    # Started afresh (spawn), not forked: the calling process may have threads (a task
    # worker's), whose locks a fork would copy held. The workers never touch the database.
    options = replace(options, index_keys=index_keys(), data_key=data_key())
    context = multiprocessing.get_context("spawn")
    with context.Pool(count, initializer=_init_worker, initargs=(options,)) as pool:
        pending: deque = deque()
        for chunk, read in _chunks(source):
            pending.append((pool.apply_async(_prepare_in_worker, (chunk,)), read))
            if len(pending) >= count * AHEAD:
                done, done_read = pending.popleft()
                yield done.get(), done_read
        while pending:
            done, done_read = pending.popleft()
            yield done.get(), done_read


def _unpacked(prepared: list[tuple], read: int) -> Iterator[tuple[int, Keyed | RowError, int]]:
    for entry in prepared:
        if len(entry) == 3:
            yield entry[0], RowError(entry[1], entry[2]), read
        else:
            yield entry[0], entry[1], read


class SeenDigests:
    """A Bloom filter of the merge and reference digests an import has written: a digest it
    does not hold is in no row of the registry, so the batch does not ask the database for it
    (an import into an empty registry then asks almost nothing). Digests are HMAC output,
    uniformly random: three 32-bit words of each are its three bit positions. Its size is fixed
    by the file's size up to ``MAX_BITS`` (32 MiB), and does not grow with the rows; a false
    positive only costs a look-up."""

    MAX_BITS = 1 << 28
    MIN_BITS = 1 << 20

    def __init__(self, bits: int):
        import numpy as np

        self._np = np
        self._mask = bits - 1
        self._bits = np.zeros(bits >> 3, dtype=np.uint8)

    @classmethod
    def for_size(cls, size: int) -> SeenDigests:
        # ~10 bits per digest (1 % false positives) for ~5 digests per ~200 bytes of a row.
        bits = cls.MIN_BITS
        while bits < min(size // 4, cls.MAX_BITS):
            bits <<= 1
        return cls(bits)

    def _positions(self, digests: list[bytes]):
        np = self._np
        words = np.frombuffer(b"".join(d[:12] for d in digests), dtype="<u4")
        return words.reshape(-1, 3) & self._mask

    def add(self, digests: list[bytes]) -> None:
        if digests:
            np = self._np
            at = self._positions(digests).ravel()
            np.bitwise_or.at(self._bits, at >> 3, np.left_shift(1, at & 7).astype(np.uint8))

    def _flat_positions(self, flat: bytes):
        np = self._np
        words = np.frombuffer(flat, dtype="<u4").reshape(-1, 4)[:, :3]
        return words & self._mask

    def add_flat(self, flat: bytes) -> None:
        """``add`` of digests of 16 bytes end to end."""
        if flat:
            np = self._np
            at = self._flat_positions(flat).ravel()
            np.bitwise_or.at(self._bits, at >> 3, np.left_shift(1, at & 7).astype(np.uint8))

    def maybe_held_flat(self, flat: bytes):
        """The positions (in 16-byte digests) of those of ``flat`` the filter may hold."""
        np = self._np
        if not flat:
            return np.zeros(0, dtype=np.int64)
        at = self._flat_positions(flat)
        hits = (self._bits[at >> 3] >> (at & 7).astype(np.uint8)) & 1
        return np.flatnonzero(hits.all(axis=1))

    def maybe_held(self, digests: list[bytes]) -> list[bool]:
        """For each digest: False when it was never added, True when it may have been."""
        if not digests:
            return []
        at = self._positions(digests)
        hits = (self._bits[at >> 3] >> (at & 7).astype(self._np.uint8)) & 1
        return hits.all(axis=1).tolist()
