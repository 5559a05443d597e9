"""Distinct people across rows and files: records that share an identity key are one person.

The PPC counts individuals (本人の数), not rows (appi.md §2.1), and an undercount is the dangerous
error (it can hide the 1,000-person trigger). So records are linked only on keys that belong to
one person: My Number, e-mail address, card number, or a name together with a birth date, phone
number or address. A phone number or an address alone is not a key (a household shares them).
A record with no key at all counts as a person of its own.

Memory is bounded (issue 4: a 10 GB file must not need 10 GB of RAM):

- Each key is hashed to 64 bits as it arrives (polars ``hash``, xxh3-based, stable within one
  polars version; the key kind's name is part of the hashed text). An edge (key hash, record,
  kind) is 17 bytes in numpy arrays, whatever the length of the values. Two different keys
  collide with probability 2⁻⁶⁴ per pair: for n = 10⁸ keys the expected number of colliding
  pairs is n²/2⁶⁵ ≈ 2.7·10⁻⁴, i.e. one scan in ~3,700 of that size would merge two people
  once (an undercount of one in 10⁸ keys).
- Edges are buffered up to a memory budget (``memory`` bytes, ``ROUEI_SCAN_MEMORY``, default
  256 MB; "512M", "2G" accepted). A third of it fills the buffer; the rest is headroom for
  sorting. A full buffer is sorted by key hash and written as a run (three raw numpy files)
  to a temporary folder, removed with the counter; the run remembers where each 1/4096 of the
  key space starts in it.
- ``count`` splits the 64-bit key space into ranges small enough for the budget, reads each
  range from every run (a plain read at a known offset, not a memory map, so the pages do not
  stay resident), finds the keys shared by
  more than one record and unites those records in a union-find over record numbers: a numpy
  array of 4 bytes per record (8 beyond 2³¹ records). That array is the only part that grows
  with the input: ~200 MB for 50M rows (a 10 GB CSV of customer rows), on top of the budget;
  the spilled runs take 17 bytes per key on disk.

Counters of separate processes combine with ``merge``. A pickled counter carries its spilled
runs by path (the files stay where the worker wrote them and the unpickled copy owns them), so
workers on other hosts (Dask) need a shared temporary folder (``TMPDIR``) or a budget large
enough not to spill.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field

import numpy as np
import polars as pl

# Each key is a tuple of catalogue ids whose (normalised) values together identify a person; a
# "!field" means the record must NOT have that field (an e-mail address is a key on its own
# only in records without a name: family members share addresses, and with a name the pair
# name + e-mail is the key).
IDENTITY_KEYS: tuple[tuple[str, ...], ...] = (
    ("my_number",),
    ("credit_card",),
    ("person_name", "birth_date"),
    ("person_name", "phone"),
    ("person_name", "address"),
    ("person_name", "email"),
    ("email", "!person_name"),
)
KEY_FIELDS: frozenset[str] = frozenset(f for key in IDENTITY_KEYS for f in key
                                       if not f.startswith("!"))

DEFAULT_MEMORY = 256 << 20
EDGE_BYTES = 17  # uint64 key hash + int64 record + uint8 kind
MEMORY_ENV = "ROUEI_SCAN_MEMORY"


def key_name(key: tuple[str, ...]) -> str:
    """``person_name+email``; ``email(no person_name)``."""
    positive = "+".join(f for f in key if not f.startswith("!"))
    negative = ",".join(f[1:] for f in key if f.startswith("!"))
    return f"{positive}(no {negative})" if negative else positive


def memory_budget(value: int | str | None = None) -> int:
    """Bytes from an int, ``"300000000"``, ``"256M"``, ``"2G"`` …; ``ROUEI_SCAN_MEMORY`` or the
    default when None."""
    if value is None:
        value = os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY
    if isinstance(value, int):
        return max(value, 1 << 10)
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)i?b?\s*", str(value), re.IGNORECASE)
    if not m:
        raise ValueError(f"{MEMORY_ENV}: not a size: {value!r}")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[m[2].lower()]
    return max(int(float(m[1]) * scale), 1 << 10)


@dataclass(frozen=True)
class PeopleCount:
    records: int
    people: int
    # key name → number of records that were merged into another record through that key
    linked_by: dict[str, int] = field(default_factory=dict)
    records_without_key: int = 0

    def to_dict(self) -> dict:
        return {"records": self.records, "people": self.people,
                "linked_by": dict(self.linked_by),
                "records_without_key": self.records_without_key}


# Free text has no columns to pair values with, so a line's lone phone number or name is a key
# too: the same number on several lines of one mail is more likely one person than several.
TEXT_KEYS: tuple[tuple[str, ...], ...] = (*IDENTITY_KEYS, ("phone", "!person_name"),
                                          ("person_name",))


class _SpillDir:
    """A temporary folder of runs, removed when the last object holding it goes. Pickling hands
    the folder to the unpickled copy (the pickled object no longer removes it)."""

    def __init__(self, parent: str | None = None) -> None:
        self.path = tempfile.mkdtemp(prefix="rouei-people-", dir=parent)
        self.files = 0
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.path, True)

    def new_prefix(self) -> str:
        self.files += 1
        return os.path.join(self.path, f"run{self.files:05d}")

    def __getstate__(self) -> dict:
        self._finalizer.detach()
        return {"path": self.path, "files": self.files}

    def __setstate__(self, state: dict) -> None:
        self.path = state["path"]
        self.files = state["files"]
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.path, True)


BUCKETS = 4096  # a run records where each 1/4096 of the key space starts in it
_DTYPES = {"keys": np.uint64, "records": np.int64, "kinds": np.uint8}


class _Run:
    """Edges sorted by key hash, in memory or in three raw files; ``kinds`` index
    ``kind_names``; ``offset`` is added to the record numbers when read; ``cuts`` (``BUCKETS +
    1`` positions) is where each bucket of the key space starts, so a key range is read from
    disk without searching it."""

    def __init__(self, keys: np.ndarray, records: np.ndarray, kinds: np.ndarray,
                 kind_names: tuple[str, ...], offset: int = 0) -> None:
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = (keys, records, kinds)
        self.kind_names = kind_names
        self.offset = offset
        self.size = len(keys)
        self._cuts: np.ndarray | None = None  # kept only once spilled (32 KB a run)
        self.prefix: str | None = None
        self.spill: _SpillDir | None = None

    @property
    def in_memory(self) -> bool:
        return self.prefix is None

    @property
    def nbytes(self) -> int:
        return self.size * EDGE_BYTES if self.in_memory else 0

    def shifted(self, offset: int) -> _Run:
        """The same edges (shared, not copied) with record numbers moved by ``offset``."""
        run = _Run.__new__(_Run)
        run.__dict__.update(self.__dict__)
        run.offset = self.offset + offset
        return run

    @property
    def cuts(self) -> np.ndarray:
        if self._cuts is not None:
            return self._cuts
        return _bucket_cuts(self._arrays[0])

    def write(self, spill: _SpillDir) -> None:
        self._cuts = _bucket_cuts(self._arrays[0])
        prefix = spill.new_prefix()
        for name, array in zip(_DTYPES, self._arrays, strict=True):
            array.tofile(f"{prefix}.{name}")
        self.prefix, self.spill, self._arrays = prefix, spill, None

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edges ``start:stop`` (copies from disk; views in memory)."""
        if self._arrays is not None:
            return tuple(a[start:stop] for a in self._arrays)  # type: ignore[return-value]
        out = []
        for name, dtype in _DTYPES.items():
            size = np.dtype(dtype).itemsize
            out.append(np.fromfile(f"{self.prefix}.{name}", dtype=dtype, count=stop - start,
                                   offset=start * size))
        return tuple(out)  # type: ignore[return-value]

    def __getstate__(self) -> dict:
        return dict(self.__dict__)  # spilled: _arrays is None, the files travel by path


class PeopleCounter:
    """Collects identity values record by record (in batches) and counts distinct people.

    Counters filled in separate processes combine with ``merge`` (record numbers are offset).
    ``memory`` caps the bytes of edges held in memory (see the module's docstring);
    ``temp_dir`` is where runs are spilled (the system's temporary folder by default)."""

    def __init__(self, memory: int | str | None = None, temp_dir: str | None = None) -> None:
        self.memory = memory_budget(memory)
        self.temp_dir = temp_dir
        self._records = 0
        self._with_key = 0  # records with at least one key (each record is added once)
        self._kinds: list[str] = []  # kind index → key name, for the buffer
        # key hashes, record numbers and kind indexes of the edges not yet sorted, by batch
        self._buffer: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]] = ([], [], [])
        self._buffered = 0  # edges in the buffer
        self._runs: list[_Run] = []
        self._spill: _SpillDir | None = None

    @property
    def records(self) -> int:
        return self._records

    @property
    def spilled(self) -> int:
        """Runs written to disk so far."""
        return sum(not run.in_memory for run in self._runs)

    def add(self, values: pl.DataFrame,
            keys: tuple[tuple[str, ...], ...] = IDENTITY_KEYS) -> None:
        """Add one batch of records: one row per record, columns named by catalogue ids (any
        subset of ``KEY_FIELDS``; others are ignored), values already normalised by the
        detectors (digits only, lower-case e-mail …); null or empty = not present."""
        n = values.height
        if n == 0:
            return
        first = self._records
        self._records += n
        fields = {f.lstrip("!") for key in keys for f in key}
        present = [c for c in values.columns if c in fields]
        frame = values.select(present).with_columns(
            pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None) for c in present)
        has_key = np.zeros(n, dtype=bool)
        for key in keys:
            if not all(f in present for f in key if not f.startswith("!")):
                continue
            hashes = _key_hash(frame, key)
            mask = hashes.is_not_null().to_numpy()
            if not mask.any():
                continue
            has_key |= mask
            kind = self._kind_index(key_name(key))
            rows = np.flatnonzero(mask)
            self._buffer[0].append(hashes.filter(pl.Series(mask)).to_numpy().astype(np.uint64))
            self._buffer[1].append(rows.astype(np.int64) + first)
            self._buffer[2].append(np.full(len(rows), kind, dtype=np.uint8))
            self._buffered += len(rows)
        self._with_key += int(has_key.sum())
        if self._buffered * EDGE_BYTES > self.memory // 3:
            self._seal()
            self._spill_runs()

    def merge(self, other: PeopleCounter) -> None:
        """Take in another counter's records (numbered after this one's). ``other``'s spilled
        runs are shared, not copied."""
        other._seal()
        offset = self._records
        self._runs.extend(run.shifted(offset) for run in other._runs)
        self._records += other._records
        self._with_key += other._with_key
        if sum(run.in_memory for run in self._runs) > 32:
            self._combine_in_memory()
        if self._in_memory_bytes() > self.memory // 3:
            self._seal()
            self._spill_runs()

    def count(self) -> PeopleCount:
        self._seal()
        n = self._records
        without_key = n - self._with_key
        runs = [run for run in self._runs if run.size]
        if not runs:
            return PeopleCount(n, n, {}, without_key)
        names = sorted({name for run in runs for name in run.kind_names})
        remaps = [np.array([names.index(k) for k in run.kind_names], dtype=np.uint8)
                  for run in runs]
        linked = np.zeros(len(names), dtype=np.int64)
        parent = np.arange(n, dtype=np.int32 if n < 2**31 - 1 else np.int64)
        total = sum(run.size for run in runs)
        # Per range: the edges read (17 B/edge), a sort order (8) and sorted copies (17), plus
        # the links; keep it within about two thirds of the budget. Ranges are whole buckets.
        per_range = max(1, (2 * self.memory // 3) // (EDGE_BYTES * 3))
        ranges = min(BUCKETS, max(1, math.ceil(total / per_range)))
        edges = [i * BUCKETS // ranges for i in range(ranges + 1)]
        cuts = [run.cuts[edges] for run in runs]
        for lo, hi in itertools.pairwise(range(ranges + 1)):
            parts = []
            for run, remap, run_cuts in zip(runs, remaps, cuts, strict=True):
                start, stop = int(run_cuts[lo]), int(run_cuts[hi])
                if stop > start:
                    parts.append((*run.read(start, stop), run.offset, remap))
            if parts:
                self._link_range(parts, parent, linked)
        people = _count_roots(parent)
        linked_by = {name: int(linked[i]) for i, name in enumerate(names) if linked[i]}
        return PeopleCount(n, people, linked_by, without_key)

    @staticmethod
    def _link_range(parts, parent: np.ndarray, linked: np.ndarray) -> None:
        """Unite the records that share a key among the edges of one key range.

        Each part (a run's slice) is sorted by key, and almost every key occurs once: only the
        keys themselves are sorted together to find the shared ones, then each part's edges of
        those keys are picked out by binary search, so the records and kinds of the ~all
        unshared edges are never gathered."""
        if len(parts) > 1:  # runs are sorted; their concatenation is not (timsort merges runs)
            keys = np.concatenate([p[0] for p in parts])
            keys.sort(kind="stable")
        else:
            keys = parts[0][0]
        same = keys[1:] == keys[:-1]
        if not same.any():
            return
        shared_keys = np.unique(keys[1:][same])
        del keys, same
        # The edges of shared keys, part by part and in edge order within a part: with a
        # stable sort below, each key's edges keep the order of a stable sort of all edges.
        picked_keys, picked_records, picked_kinds = [], [], []
        for part_keys, records, kinds, offset, remap in parts:
            lo = np.searchsorted(part_keys, shared_keys, side="left")
            sizes = np.searchsorted(part_keys, shared_keys, side="right") - lo
            present = sizes > 0
            if not present.any():
                continue
            lo, sizes = lo[present], sizes[present]
            index = (np.arange(int(sizes.sum()), dtype=np.int64)
                     + np.repeat(lo - (np.cumsum(sizes) - sizes), sizes))
            picked_keys.append(part_keys[index])
            picked_records.append(records[index] + offset)
            picked_kinds.append(remap[kinds[index]])
        keys = np.concatenate(picked_keys)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        records = np.concatenate(picked_records)[order]
        kinds = np.concatenate(picked_kinds)[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        sizes = np.diff(np.append(starts, len(keys)))
        # every key here is shared (sizes > 1)
        np.add.at(linked, kinds[starts], sizes - 1)
        # Each record of a shared key is linked to the key's first record.
        group = np.repeat(np.arange(len(starts)), sizes)
        roots = np.minimum.reduceat(records, starts)[group]
        keep = records != roots
        _union(parent, records[keep].astype(parent.dtype), roots[keep].astype(parent.dtype))

    # -- buffer and runs

    def _kind_index(self, name: str) -> int:
        if name not in self._kinds:
            if len(self._kinds) >= 255:
                raise ValueError("too many key kinds")
            self._kinds.append(name)
        return self._kinds.index(name)

    def _in_memory_bytes(self) -> int:
        return self._buffered * EDGE_BYTES + sum(run.nbytes for run in self._runs)

    def _seal(self) -> None:
        """The buffer becomes an in-memory run, sorted by key hash."""
        if not self._buffered:
            return
        # One column at a time, each batch list freed once joined: the peak is about twice the
        # buffer, not three times.
        keys = _take_all(self._buffer[0])
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        records = _take_all(self._buffer[1])[order]
        kinds = _take_all(self._buffer[2])[order]
        del order
        self._buffered = 0
        self._runs.append(_Run(keys, records, kinds, tuple(self._kinds)))

    def _combine_in_memory(self) -> None:
        """One sorted run of all in-memory runs (many small files give many small runs)."""
        small = [run for run in self._runs if run.in_memory]
        self._runs = [run for run in self._runs if not run.in_memory]
        names = sorted({name for run in small for name in run.kind_names})
        keys = np.concatenate([run.read(0, run.size)[0] for run in small])
        order = np.argsort(keys, kind="stable")
        records = np.concatenate([run.read(0, run.size)[1] + run.offset for run in small])
        kinds = np.concatenate([
            np.array([names.index(k) for k in run.kind_names], dtype=np.uint8)[
                run.read(0, run.size)[2]] for run in small])
        self._runs.append(_Run(keys[order], records[order], kinds[order], tuple(names)))

    def _spill_runs(self) -> None:
        if self._spill is None:
            self._spill = _SpillDir(self.temp_dir)
        for run in self._runs:
            if run.in_memory and run.size:
                run.write(self._spill)

    def __getstate__(self) -> dict:
        self._seal()
        return dict(self.__dict__)


def _take_all(parts: list[np.ndarray]) -> np.ndarray:
    joined = np.concatenate(parts)
    parts.clear()
    return joined


def _bucket_cuts(keys: np.ndarray) -> np.ndarray:
    """Where each of ``BUCKETS`` equal slices of the uint64 key space starts in sorted
    ``keys`` (``BUCKETS + 1`` positions, from 0 to ``len(keys)``)."""
    bounds = np.arange(1, BUCKETS, dtype=np.uint64) * np.uint64((1 << 64) // BUCKETS)
    return np.concatenate(([0], np.searchsorted(keys, bounds), [len(keys)])).astype(np.int64)


def _union(parent: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Union-find over numpy: join the trees of ``a[i]`` and ``b[i]``. A tree's root is its
    smallest record (``parent[x] <= x`` always), so no cycle can form."""
    while len(a):
        ra, rb = _roots(parent, a), _roots(parent, b)
        differ = ra != rb
        if not differ.any():
            return
        ra, rb = ra[differ], rb[differ]
        lo, hi = np.minimum(ra, rb), np.maximum(ra, rb)
        np.minimum.at(parent, hi, lo)  # several proposals for one root: the smallest wins
        a, b = hi, lo  # pairs whose proposal lost are joined in the next round


def _roots(parent: np.ndarray, x: np.ndarray) -> np.ndarray:
    r = parent[x]
    for _ in range(16):
        up = parent[r]
        if np.array_equal(up, r):
            return r
        r = up
    _compress(parent)  # deep trees (long chains of links): halve every path until flat
    return parent[x]


def _compress(parent: np.ndarray) -> None:
    while True:
        up = parent[parent]
        if np.array_equal(up, parent):
            return
        parent[:] = up


def _count_roots(parent: np.ndarray, chunk: int = 1 << 22) -> int:
    roots = 0
    for start in range(0, len(parent), chunk):
        part = parent[start:start + chunk]
        roots += int(np.count_nonzero(part == np.arange(start, start + len(part),
                                                        dtype=parent.dtype)))
    return roots


def _key_hash(frame: pl.DataFrame, key: tuple[str, ...]) -> pl.Series:
    parts = [pl.col(f) for f in key if not f.startswith("!")]
    absent = [pl.col(f[1:]).is_null() for f in key
              if f.startswith("!") and f[1:] in frame.columns]
    return frame.select(
        pl.when(pl.all_horizontal(*(p.is_not_null() for p in parts), *absent))
        .then(pl.concat_str([pl.lit(key_name(key)), *parts], separator="\x1f").hash())
        .otherwise(None)
        .alias("key")
    ).get_column("key")
