"""Distinct people across rows and files: records that share an identity key are one person.

The PPC counts individuals (本人の数), not rows (appi.md §2.1), and an undercount is the dangerous
error (it can hide the 1,000-person trigger). So records are linked only on keys that belong to
one person: My Number, e-mail address, card number, or a name together with a birth date, phone
number or address (or its kana reading with a phone number or e-mail address). A phone number or an address alone is not a key (a household shares them).
A record with no key at all counts as a person of its own.

Memory is bounded (issue 4: a 10 GB file must not need 10 GB of RAM):

- Each field is hashed to 64 bits as it arrives (polars ``hash``, xxh3-based, stable within one
  polars version), and a key's hash combines the hashes of its fields with a constant for the
  key kind through a bijective 64-bit mixer (SplitMix64's finaliser). An edge (key hash,
  record, kind) is 17 bytes in numpy arrays, whatever the length of the values. Two different
  keys collide with probability 2⁻⁶⁴ per pair: for n = 10⁸ keys the expected number of
  colliding pairs is n²/2⁶⁵ ≈ 2.7·10⁻⁴, i.e. one scan in ~3,700 of that size would merge two
  people once (an undercount of one in 10⁸ keys).
- Edges are buffered up to a memory budget (``memory`` bytes, ``ROUEI_SCAN_MEMORY``, default
  512 MB; "256M", "2G" accepted). A third of it fills the buffer; the rest is headroom for
  counting. A full buffer is written as a run (three raw numpy files) to a temporary folder,
  removed with the counter, grouped by the top 12 bits of the key hash (a radix pass, not a
  sort): the run remembers where each 1/4096 of the key space starts in it.
- ``count`` splits the 64-bit key space into ranges small enough for the budget and takes each
  range from every run (on disk: a plain read at a known offset, not a memory map, so the pages
  do not stay resident; in memory: a mask). The key hashes of a range alone, grouped by their
  top bits with a hash table per group (or sorted, without the compiled kernels), give the keys
  shared by more than one record; the edges of those few keys are
  picked out and their records united in a union-find over record numbers: a numpy
  array of 4 bytes per record (8 beyond 2³¹ records). That array is the only part that grows
  with the input: ~200 MB for 50M rows (a 10 GB CSV of customer rows), on top of the budget;
  the spilled runs take 17 bytes per key on disk.

Counters of separate processes combine with ``merge``. A pickled counter carries its spilled
runs by path (the files stay where the worker wrote them and the unpickled copy owns them), so
workers on other hosts (Dask) need a shared temporary folder (``TMPDIR``) or a budget large
enough not to spill.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import polars as pl

try:
    from rouei.scanning import _kernels
except ImportError:  # a tree whose _kernels.c is not built: numpy's expression
    _kernels = None  # type: ignore[assignment]

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
    # A reading identifies as the name does when it goes with one of the person's own items:
    # a sign-up typed 山崎 ゆい and a customer file's 山崎 結衣 share ヤマザキユイ and a mobile.
    # Not with a birth date: homophones (佐藤花子, 佐藤華子) born on one day are met in a
    # million rows (341 in bench/bigfile.py's), and an undercount is the dangerous error.
    ("name_kana", "phone"),
    ("name_kana", "email"),
)
KEY_FIELDS: frozenset[str] = frozenset(f for key in IDENTITY_KEYS for f in key
                                       if not f.startswith("!"))
# Records that hold one identifier only, which a fuller record also holds, are one of the
# people of the fuller records: each attaches to one of them (the first) and adds no person,
# and it never joins two fuller records.
# - An e-mail address without a name (a login account, a newsletter list) attaches to a named
#   record with that address; a family sharing one address stays several people.
# - A name without any other identifier (an attendee list, a gift's card) attaches to a record
#   of that name with an identifier; two namesakes with their own data stay two.
# Each attach field has its own key hash per value (both roles share it) and two edge kinds.
ATTACH_RULES: tuple[tuple[str, str, str], ...] = (
    # (field, kind of a fuller record's edge (an anchor), kind of an attaching record's edge)
    ("email", "email→person_name+email", "email(no person_name)→person_name+email"),
    ("person_name", "person_name→person_name+identifier", "person_name(alone)→person_name+identifier"),
)
ATTACH_ANCHORS = frozenset(rule[1] for rule in ATTACH_RULES)
ATTACH_KINDS = frozenset(kind for rule in ATTACH_RULES for kind in rule[1:])

# 512 MB: the edges of a 1M-row customer file (~8 a row since the reading and attach keys:
# ~140 MB) stay in memory; at 256 MB a third was filled at ~640k rows and every such file paid
# a spill (a radix pass, a copy and a write of each edge, then reading them back), ~0.5 CPU-s
# a million rows, with a higher peak, not a lower one (the spill's copies).
DEFAULT_MEMORY = 512 << 20
EDGE_BYTES = 17  # uint64 key hash + int64 record + uint8 kind
# In-memory runs kept apart before ``merge`` joins them into one: a run per batch and key kind
# (~100 for a 1M-row file) costs ``count`` only a few numpy calls each; many small files would
# give thousands.
MAX_IN_MEMORY_RUNS = 256
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


BUCKET_BITS = 12  # a spilled run records where each 1/4096 of the key space starts in it
BUCKETS = 1 << BUCKET_BITS
_BUCKET_SHIFT = np.uint64(64 - BUCKET_BITS)
_DTYPES = {"keys": np.uint64, "records": np.int64, "kinds": np.uint8}


class _Run:
    """The edges of one buffer: in memory in arrival order, or in three raw files grouped by
    key bucket (the top ``BUCKET_BITS`` of the key hash), with ``cuts`` (``BUCKETS + 1``
    positions) saying where each bucket starts, so a key range is read from disk without
    searching it. ``kinds`` index ``kind_names``; ``offset`` is added to the record numbers
    when read."""

    def __init__(self, keys: np.ndarray, records: np.ndarray, kinds: np.ndarray,
                 kind_names: tuple[str, ...], offset: int = 0) -> None:
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = (keys, records, kinds)
        self.kind_names = kind_names
        self.offset = offset
        self.size = len(keys)
        self.cuts: np.ndarray | None = None  # once spilled (32 KB a run)
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

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every edge of an in-memory run (views, not copies)."""
        if self._arrays is None:
            raise RuntimeError("the run is on disk, not in memory")
        return self._arrays

    def write(self, spill: _SpillDir) -> None:
        keys, records, kinds = self._arrays
        buckets = (keys >> _BUCKET_SHIFT).astype(np.uint16)
        order = np.argsort(buckets, kind="stable")  # 16-bit values: numpy's radix sort
        self.cuts = np.concatenate(
            ([0], np.cumsum(np.bincount(buckets, minlength=BUCKETS)))).astype(np.int64)
        del buckets
        prefix = spill.new_prefix()
        for name, array in zip(_DTYPES, (keys, records, kinds), strict=True):
            array[order].tofile(f"{prefix}.{name}")
        self.prefix, self.spill, self._arrays = prefix, spill, None

    def edges(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The edges whose key is in buckets ``lo:hi``: read from disk, or picked from memory
        (all of them, uncopied, for the whole key space)."""
        if self._arrays is not None:
            if lo == 0 and hi == BUCKETS:
                return self._arrays
            buckets = self._arrays[0] >> _BUCKET_SHIFT
            inside = (buckets >= lo) & (buckets < hi)
            return tuple(a[inside] for a in self._arrays)  # type: ignore[return-value]
        start, stop = int(self.cuts[lo]), int(self.cuts[hi])
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
        # key hashes, record numbers and kind indexes of the edges not yet in a run, by batch
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
        detectors (digits only, lower-case e-mail, no surrounding spaces …); null or empty =
        not present."""
        n = values.height
        if n == 0:
            return
        first = self._records
        self._records += n
        fields = {f.lstrip("!") for key in keys for f in key}
        present = [c for c in values.columns if c in fields]
        # each field hashed once, whatever the number of keys it is part of
        # (one polars query for all fields: a query per field and test cost more than the
        # hashing itself on a batch of 50,000 records)
        text = [pl.col(c).cast(pl.Utf8) for c in present]
        found = values.select(*(t.hash().alias(f"hash{i}") for i, t in enumerate(text)),
                              *((t.str.len_bytes() > 0).fill_null(False).alias(f"here{i}")
                                for i, t in enumerate(text)))
        hashes = {c: found.get_column(f"hash{i}").to_numpy() for i, c in enumerate(present)}
        here = {c: found.get_column(f"here{i}").to_numpy() for i, c in enumerate(present)}
        has_key = np.zeros(n, dtype=bool)
        # The record numbers of the whole batch, one array shared by every key that all its
        # records hold (most keys of a customer table): read only, like every edge array.
        every: list[np.ndarray] = []

        def append(mask: np.ndarray, fields: list[str], key: tuple[str, ...], kind: str) -> None:
            if mask.all():
                rows = None
                if not every:
                    every.append(np.arange(first, first + n, dtype=np.int64))
                records = every[0]
            else:
                rows = np.flatnonzero(mask)
                if not len(rows):
                    return
                records = np.add(rows, first, dtype=np.int64)
            np.logical_or(has_key, mask, out=has_key)
            self._buffer[0].append(_key_hash([hashes[f] for f in fields], key, rows))
            self._buffer[1].append(records)
            # one kind for all the part's edges: a zero-stride view, not a byte per edge
            self._buffer[2].append(np.broadcast_to(np.uint8(self._kind_index(kind)),
                                                   (len(records),)))
            self._buffered += len(records)

        for key in keys:
            positive = [f for f in key if not f.startswith("!")]
            if not all(f in present for f in positive):
                continue
            mask = np.logical_and.reduce([here[f] for f in positive])
            for f in key:
                if f.startswith("!") and f[1:] in here:
                    mask &= ~here[f[1:]]
            append(mask, positive, key, key_name(key))
        for field_name, anchor_kind, attach_kind in ATTACH_RULES:
            if field_name not in present:
                continue
            fuller, alone = _attach_roles(field_name, here, n)
            for kind, mask in ((anchor_kind, fuller), (attach_kind, alone)):
                append(mask, [field_name], (field_name, "@attach"), kind)
        self._with_key += int(has_key.sum())
        if self._buffered * EDGE_BYTES > self.memory // 3:
            self._seal()
            self._spill_runs()

    def merge(self, other: PeopleCounter) -> None:
        """Take in another counter's records (numbered after this one's). ``other``'s spilled
        runs are shared, not copied."""
        other._runs.extend(other._batch_runs())
        offset = self._records
        self._runs.extend(run.shifted(offset) for run in other._runs)
        self._records += other._records
        self._with_key += other._with_key
        if sum(run.in_memory for run in self._runs) > MAX_IN_MEMORY_RUNS:
            self._combine_in_memory()
        if self._in_memory_bytes() > self.memory // 3:
            self._seal()
            self._spill_runs()

    def count(self) -> PeopleCount:
        self._runs.extend(self._batch_runs())
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
        ranges = self._ranges(total, all(run.in_memory for run in runs))
        edges = [i * BUCKETS // ranges for i in range(ranges + 1)]
        attach = (np.array([i for i, k in enumerate(names) if k in ATTACH_ANCHORS], dtype=np.uint8),
                  np.array([i for i, k in enumerate(names) if k in ATTACH_KINDS
                            and k not in ATTACH_ANCHORS], dtype=np.uint8))
        for lo, hi in itertools.pairwise(edges):
            parts = []
            for run, remap in zip(runs, remaps, strict=True):
                keys, records, kinds = run.edges(lo, hi)
                if len(keys):
                    parts.append((keys, records, kinds, run.offset, remap))
            if parts:
                self._link_range(parts, parent, linked, attach)
        people = _count_roots(parent)
        linked_by = {name: int(linked[i]) for i, name in enumerate(names)
                     if linked[i] and name not in ATTACH_ANCHORS}
        return PeopleCount(n, people, linked_by, without_key)

    def _ranges(self, edges: int, in_memory: bool) -> int:
        """Into how many key ranges ``count`` splits ``edges`` edges. Per range: the edges
        taken (17 B/edge), a sorted copy of their keys (8), the membership test's low bits and
        lookups (~9), plus the links; kept within about two thirds of the budget. Edges that
        are all in memory already are taken whole without a copy when one range will do
        (split, each range copies its edges out)."""
        headroom = 2 * self.memory // 3
        if in_memory and edges * 24 <= headroom:
            return 1
        return min(BUCKETS, max(1, math.ceil(edges * (EDGE_BYTES + 24) / headroom)))

    @staticmethod
    def _link_range(parts, parent: np.ndarray, linked: np.ndarray,
                    attach: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Unite the records that share a key among the edges of one key range.

        Almost every key occurs once: only the key hashes are searched for the shared ones
        (``_shared_keys``), then each part's edges of those few keys are picked out, so the
        records and kinds of the unshared edges are never gathered."""
        if attach is not None and len(attach[0]):
            taken, parts = _keys_to_take(parts, attach)
        else:
            taken = [(p[0], None) for p in parts]
        shared_keys = _shared_keys(taken)
        del taken
        if not len(shared_keys):
            return
        # The edges of shared keys, part by part and in edge order within a part: with a
        # stable sort below, each key's edges keep the order they were added in.
        picked_keys, picked_records, picked_kinds = [], [], []
        is_shared = _membership(shared_keys)
        for part_keys, records, kinds, offset, remap in parts:
            index = is_shared(part_keys)
            if len(index):
                picked_keys.append(part_keys[index])
                picked_records.append(records[index] + offset)
                picked_kinds.append(remap[kinds[index]])
        keys = np.concatenate(picked_keys)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        records = np.concatenate(picked_records)[order]
        kinds = np.concatenate(picked_kinds)[order]
        if attach is not None and (len(attach[0]) or len(attach[1])):
            # the attach keys' groups never mix with others (their own salt): link them apart
            # (fuller records alone in a group are not linked at all)
            special = np.isin(kinds, np.concatenate(attach))
            if special.any():
                _attach(keys[special], records[special], kinds[special], attach, parent,
                        linked)
                keys, records, kinds = keys[~special], records[~special], kinds[~special]
                if not len(keys):
                    return
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

    def _batch_runs(self) -> list[_Run]:
        """The buffer as in-memory runs of one batch each, without copying: ``count`` copies
        the keys once anyway to sort them, so joining the batches first would only add a
        copy of every edge (~0.05 s and 76 MB for 1M rows)."""
        runs = [_Run(*arrays, tuple(self._kinds)) for arrays in zip(*self._buffer, strict=True)]
        for column in self._buffer:
            column.clear()
        self._buffered = 0
        return runs

    def _seal(self) -> None:
        """The buffer becomes one in-memory run."""
        if not self._buffered:
            return
        arrays = tuple(_take_all(column) for column in self._buffer)
        self._buffered = 0
        self._runs.append(_Run(*arrays, tuple(self._kinds)))

    def _combine_in_memory(self) -> None:
        """One run of all in-memory runs (many small files give many small runs)."""
        small = [run for run in self._runs if run.in_memory]
        self._runs = [run for run in self._runs if not run.in_memory]
        names = sorted({name for run in small for name in run.kind_names})
        keys = np.concatenate([run.arrays()[0] for run in small])
        records = np.concatenate([run.arrays()[1] + run.offset for run in small])
        kinds = np.concatenate([
            np.array([names.index(k) for k in run.kind_names], dtype=np.uint8)[run.arrays()[2]]
            for run in small])
        self._runs.append(_Run(keys, records, kinds, tuple(names)))

    def _spill_runs(self) -> None:
        if self._spill is None:
            self._spill = _SpillDir(self.temp_dir)
        for run in self._runs:
            if run.in_memory and run.size:
                run.write(self._spill)

    def __getstate__(self) -> dict:
        self._seal()
        return dict(self.__dict__)


def _attach_roles(field_name: str, here: dict[str, np.ndarray], n: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """For an attach field, the records that anchor its value (a fuller record) and those that
    attach to one (the field is all they hold of their kind)."""
    has = here[field_name]
    if field_name == "email":
        named = here.get("person_name", np.zeros(n, dtype=bool))
        return has & named, has & ~named
    others = [here[f] for f in KEY_FIELDS if f != field_name and f in here]
    more = np.logical_or.reduce(others) if others else np.zeros(n, dtype=bool)
    return has & more, has & ~more


def _attach(keys: np.ndarray, records: np.ndarray, kinds: np.ndarray,
            attach: tuple[np.ndarray, np.ndarray], parent: np.ndarray,
            linked: np.ndarray) -> None:
    """Each attaching record of an attach key (sorted ``keys``) joins the key's first fuller
    record, if it has one; fuller records of one key are not joined to each other."""
    anchors, attachers = attach
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(keys))))
    none = np.iinfo(np.int64).max
    is_anchor = np.isin(kinds, anchors)
    anchor = np.minimum.reduceat(np.where(is_anchor, records, none), starts)[group]
    joins = np.isin(kinds, attachers) & (anchor != none)
    if joins.any():
        np.add.at(linked, kinds[joins], 1)
        _union(parent, records[joins].astype(parent.dtype), anchor[joins].astype(parent.dtype))


def _one_kind(kinds: np.ndarray) -> int | None:
    """The kind of every edge of a part that ``add`` made (one kind broadcast: zero stride),
    else None (a part joined from several, or read back from disk)."""
    return int(kinds[0]) if len(kinds) and kinds.strides == (0,) else None


def _keys_to_take(parts, attach: tuple[np.ndarray, np.ndarray]
                  ) -> tuple[list[tuple[np.ndarray, np.ndarray | None]], list]:
    """The key hashes of a range's edges to look for shared keys in, per part (its keys and
    the positions taken, None: all), without the anchor edges whose key no attaching edge
    has, and the parts that kept any edge (the others need not be searched for shared keys). Every named record with another identifier anchors its name,
    so namesakes share anchor keys (bench/bigfile.py's million rows have 2,550 names: every
    anchor shared); without a record to attach such a key links nothing, yet its edges were
    picked, sorted and grouped. The anchors of keys that an attaching edge has are kept, so
    the links are the same. A part of one kind (``add``'s) is taken or left whole, with no
    per-edge test."""
    anchors, attachers = attach
    anchor_kind = np.zeros(256, dtype=bool)
    anchor_kind[anchors] = True
    attacher_kind = np.zeros(256, dtype=bool)
    attacher_kind[attachers] = True
    attached = []
    for keys, _records, kinds, _offset, remap in parts:
        kind = _one_kind(kinds)
        if kind is not None:
            if attacher_kind[remap[kind]]:
                attached.append(keys)
            continue
        is_attacher = attacher_kind[remap][kinds]
        if is_attacher.any():
            attached.append(keys[is_attacher])
    wanted = _membership(np.unique(np.concatenate(attached))) if attached else None
    del attached
    # per part: all its keys, the positions kept, or nothing
    taken, kept = [], []
    for part in parts:
        keys, _records, kinds, _offset, remap = part
        kind = _one_kind(kinds)
        if kind is not None and not anchor_kind[remap[kind]]:
            keep = None
        elif kind is not None:
            keep = wanted(keys) if wanted is not None else None
            if keep is None or not len(keep):
                continue
        else:
            keep = ~anchor_kind[remap][kinds]
            if wanted is not None:
                anchored = np.flatnonzero(~keep)
                keep[anchored[wanted(keys[anchored])]] = True
            keep = np.flatnonzero(keep)
            if not len(keep):
                continue
        taken.append((keys, keep))
        kept.append(part)
    return taken, kept


def _shared_keys(taken: list[tuple[np.ndarray, np.ndarray | None]]) -> np.ndarray:
    """The keys found more than once among the taken keys (per part: its keys and the
    positions taken, None: all), sorted, each once. _kernels.shared_keys groups the keys by
    their top bits and finds each group's duplicates in a hash table that stays in cache;
    numpy's way, a sort of every key, cost ~0.4 CPU s for the ~6.4 M keys of a 1M-row
    customer file (the array streamed from memory once per level of the sort)."""
    size = sum(len(keys) if keep is None else len(keep) for keys, keep in taken)
    if _kernels is not None:
        scratch = np.empty(size, dtype=np.uint64)
        found = _kernels.shared_keys(scratch, tuple(
            (np.ascontiguousarray(keys, dtype=np.uint64),
             None if keep is None else np.ascontiguousarray(keep, dtype=np.int64))
            for keys, keep in taken))
        return np.sort(scratch[:found])
    # the kept keys copied once into one array, then sorted
    keys = np.empty(size, dtype=np.uint64)
    at = 0
    for part_keys, keep in taken:
        n = len(part_keys) if keep is None else len(keep)
        if keep is None:
            keys[at:at + n] = part_keys
        else:
            np.take(part_keys, keep, out=keys[at:at + n], mode="clip")  # (in range: no check)
        at += n
    keys.sort()
    same = keys[1:] == keys[:-1]
    return np.unique(keys[1:][same])


def _take_all(parts: list[np.ndarray]) -> np.ndarray:
    joined = np.concatenate(parts)
    parts.clear()
    return joined


def _membership(sorted_keys: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A test of which of some keys are in ``sorted_keys`` (a few, unique): returns their
    positions. A table indexed by the keys' low bits, 64 times larger than the set, lets
    through ~1.5% of the other keys; only those are looked up by binary search (a binary
    search of every key is 10× slower)."""
    bits = min(24, max(16, len(sorted_keys).bit_length() + 6))
    low = np.uint64((1 << bits) - 1)
    table = np.zeros(1 << bits, dtype=bool)
    table[(sorted_keys & low).view(np.int64)] = True  # < 2**24: the same bits as uint64
    last = len(sorted_keys) - 1
    if _kernels is not None:  # the same in one compiled pass, without temporary arrays
        members = np.ascontiguousarray(sorted_keys, dtype=np.uint64)

        def compiled(keys: np.ndarray) -> np.ndarray:
            out = np.empty(len(keys), dtype=np.int64)
            found = _kernels.shared_positions(
                out, np.ascontiguousarray(keys, dtype=np.uint64), table, members)
            return out[:found]

        return compiled

    def positions(keys: np.ndarray) -> np.ndarray:
        candidates = np.flatnonzero(table[(keys & low).view(np.int64)])
        found = keys[candidates]
        at = np.minimum(np.searchsorted(sorted_keys, found), last)
        return candidates[sorted_keys[at] == found]

    return positions


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


@cache
def _salt(key: tuple[str, ...]) -> np.uint64:
    """A 64-bit constant for a key kind, the same in every process."""
    return np.uint64(int.from_bytes(hashlib.blake2b(key_name(key).encode(), digest_size=8)
                                    .digest(), "little"))


_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection of uint64 that spreads every input bit over the
    output (unsigned arithmetic wraps, as intended)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def _key_hash(field_hashes: list[np.ndarray], key: tuple[str, ...],
              rows: np.ndarray | None = None) -> np.ndarray:
    """The hash of a key from the hashes of its fields, in the key's order, for the records
    ``rows`` (None: every record). _kernels.key_hashes in one pass, else numpy."""
    size = len(field_hashes[0]) if rows is None else len(rows)
    if _kernels is not None:
        out = np.empty(size, dtype=np.uint64)
        _kernels.key_hashes(out, int(_salt(key)), rows,
                            tuple(np.ascontiguousarray(h, dtype=np.uint64) for h in field_hashes))
        return out
    combined = np.full(size, _salt(key), dtype=np.uint64)
    for hashes in field_hashes:
        combined = _mix(combined ^ (hashes if rows is None else hashes[rows]))
    return combined
