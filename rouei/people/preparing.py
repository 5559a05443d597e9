"""The per-row work of an import, apart from the database: each row read, normalised, its
record sealed (``rouei.core.crypto.seal``) and its blind indexes computed — on several cores
when ``ROUEI_IMPORT_WORKERS`` asks for it.

``prepared_rows`` yields the rows of a source in file order, each a ``Keyed`` or the
``RowError`` that rejects it. A large file can be cut into chunks that a pool of worker processes
prepares (forked, so they share the settings and keys of this process and never
open a database connection); the writer (``rouei.people.imports``) takes them in order, so a
stop at a bad row, the row numbers and the progress are what they are without the pool. At most
``AHEAD`` chunks per worker are in flight: memory stays bounded whatever the file's size.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from rouei.core.crypto import aeads, blind_indexes, index_keys, seal
from rouei.people.importing import ParsedRow, RowError, Source, parse_row
from rouei.people.registry import MERGE_KINDS, lookup_values

CHUNK_ROWS = 2_000
AHEAD = 3  # chunks in flight per worker
# Below this size a file is prepared in this process: starting a pool costs more than it saves.
PARALLEL_MIN_BYTES = 2 << 20
# Worker processes (``ROUEI_IMPORT_WORKERS``; default none: 0 or 1). Opt-in: the pool forks a
# running Django process (a worker with threads of its own), and on a busy machine the extra
# processes cost more CPU than they save (docs/benchmarks.md, "Session 9: the import path").
WORKERS_ENV = "ROUEI_IMPORT_WORKERS"


@dataclass
class Keyed:
    """A row with its look-up keys and its sealed record, computed once: ``keys`` is (kind,
    digests under every index key); ``sealed`` the record's JSON sealed under the first data key.
    """

    row: ParsedRow
    keys: list[tuple[str, list[bytes]]]
    sealed: str

    @classmethod
    def of(cls, row: ParsedRow, keys: tuple[bytes, ...] | None = None, cipher=None) -> Keyed:
        keys = keys or index_keys()
        return cls(row, [(kind, blind_indexes(kind, value, keys))
                         for kind, value in lookup_values(row.record)],
                   seal(row.record.to_json(), cipher))

    @property
    def merge_digests(self) -> list[bytes]:
        return [d for kind, digests in self.keys if kind in MERGE_KINDS for d in digests]

    @property
    def stored_digests(self) -> list[tuple[str, bytes]]:
        return [(kind, digests[0]) for kind, digests in self.keys]  # the current key's

    @property
    def ref_digest(self) -> bytes:
        return next(digests[0] for kind, digests in self.keys if kind == "ref")


@dataclass(frozen=True)
class _Options:
    columns: list
    confirmed_default: bool
    controller_default: str


def _prepare(options: _Options, chunk: list[tuple[int, list[str]]]) -> list[tuple]:
    """(row number, ``Keyed``) or (row number, error code, reason) for each row of ``chunk``."""
    keys, cipher = index_keys(), aeads()[0]
    out: list[tuple] = []
    for number, cells in chunk:
        try:
            row = parse_row(options, number, cells, confirmed_default=options.confirmed_default,
                            controller_default=options.controller_default)
        except RowError as exc:  # as a tuple: an exception with two arguments does not pickle
            out.append((number, exc.code, exc.reason))
            continue
        out.append((number, Keyed.of(row, keys, cipher)))
    return out


_worker_options: _Options | None = None


def _init_worker(options: _Options) -> None:
    global _worker_options  # one worker process, one import
    _worker_options = options


def _prepare_in_worker(chunk: list[tuple[int, list[str]]]) -> list[tuple]:
    return _prepare(_worker_options, chunk)


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
    if source.size < PARALLEL_MIN_BYTES:
        return 0
    configured = os.environ.get(WORKERS_ENV, "").strip()
    count = int(configured) if configured.isdigit() else 0
    return count if count > 1 else 0


def prepared_rows(source: Source, *, confirmed_default: bool = True,
                  controller_default: str = "") -> Iterator[tuple[int, Keyed | RowError, int]]:
    """(row number, the prepared row or why it is rejected, bytes read so far), in file order."""
    options = _Options(source.columns, confirmed_default, controller_default)
    count = workers(source)
    if not count:
        for chunk, read in _chunks(source):
            yield from _unpacked(_prepare(options, chunk), read)
        return
    # Forked: the workers inherit the settings and keys; they never touch the database.
    context = multiprocessing.get_context("fork")
    with context.Pool(count, initializer=_init_worker, initargs=(options,)) as pool:
        pending: deque = deque()
        for chunk, read in _chunks(source):
            pending.append((pool.apply_async(_prepare_in_worker, (chunk,)), read))
            if len(pending) >= count * AHEAD:
                done, done_read = pending.popleft()
                yield from _unpacked(done.get(), done_read)
        while pending:
            done, done_read = pending.popleft()
            yield from _unpacked(done.get(), done_read)


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

    def maybe_held(self, digests: list[bytes]) -> list[bool]:
        """For each digest: False when it was never added, True when it may have been."""
        if not digests:
            return []
        at = self._positions(digests)
        hits = (self._bits[at >> 3] >> (at & 7).astype(self._np.uint8)) & 1
        return hits.all(axis=1).tolist()
