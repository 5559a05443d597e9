"""Distinct people across rows and files: records that share an identity key are one person.

The PPC counts individuals (本人の数), not rows (appi.md §2.1), and an undercount is the dangerous
error (it can hide the 1,000-person trigger). So records are linked only on keys that belong to
one person: My Number, e-mail address, card number, or a name together with a birth date, phone
number or address. A phone number or an address alone is not a key (a household shares them).
A record with no key at all counts as a person of its own.

Keys are hashed to 64-bit integers as they arrive, so memory grows with the number of records
(16 bytes per key), not with their text. Linking is connected components
(scipy.sparse.csgraph) over the records that share a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

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


def key_name(key: tuple[str, ...]) -> str:
    """``person_name+email``; ``email(no person_name)``."""
    positive = "+".join(f for f in key if not f.startswith("!"))
    negative = ",".join(f[1:] for f in key if f.startswith("!"))
    return f"{positive}(no {negative})" if negative else positive


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


class PeopleCounter:
    """Collects identity values record by record (in batches) and counts distinct people.

    Counters filled in separate processes combine with ``merge`` (record numbers are offset)."""

    def __init__(self) -> None:
        self._edges: dict[str, list[pl.DataFrame]] = {}  # key kind → frames of (record, key)
        self._records = 0

    @property
    def records(self) -> int:
        return self._records

    def add(self, values: pl.DataFrame,
            keys: tuple[tuple[str, ...], ...] = IDENTITY_KEYS) -> None:
        """Add one batch of records: one row per record, columns named by catalogue ids (any
        subset of ``KEY_FIELDS``; others are ignored), values already normalised by the
        detectors (digits only, lower-case e-mail …); null or empty = not present."""
        n = values.height
        if n == 0:
            return
        ids = pl.int_range(self._records, self._records + n, dtype=pl.UInt64, eager=True)
        self._records += n
        fields = {f.lstrip("!") for key in keys for f in key}
        present = [c for c in values.columns if c in fields]
        frame = values.select(present).with_columns(
            pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None) for c in present)
        for key in keys:
            if not all(f in present for f in key if not f.startswith("!")):
                continue
            edge = pl.DataFrame({"record": ids, "key": _key_hash(frame, key)}).drop_nulls("key")
            if edge.height:
                self._edges.setdefault(key_name(key), []).append(edge)

    def merge(self, other: PeopleCounter) -> None:
        """Take in another counter's records (numbered after this one's)."""
        offset = self._records
        for kind, frames in other._edges.items():
            self._edges.setdefault(kind, []).extend(
                f.with_columns(pl.col("record") + offset) for f in frames)
        self._records += other._records

    def count(self) -> PeopleCount:
        if not self._edges:
            return PeopleCount(self._records, self._records, {}, self._records)
        edges = pl.concat([pl.concat(frames).with_columns(kind=pl.lit(kind, pl.Categorical))
                           for kind, frames in self._edges.items()])
        with_key = edges.get_column("record").n_unique()
        # Most keys belong to one record and link nothing: keep only shared keys, and link each
        # of their records to the key's first record. A person is a connected component.
        shared = (edges.group_by("key")
                  .agg(pl.col("record").min().alias("root"), pl.len().alias("n"),
                       pl.col("kind").first())
                  .filter(pl.col("n") > 1))
        linked_by = {str(kind): int(n) for kind, n in shared.group_by("kind")
                     .agg((pl.col("n") - 1).sum()).iter_rows() if n}
        links = (edges.join(shared.select("key", "root"), on="key")
                 .filter(pl.col("record") != pl.col("root")).select("record", "root"))
        if links.height == 0:
            return PeopleCount(self._records, self._records, linked_by,
                               self._records - with_key)
        pairs = links.to_numpy().astype(np.int64)
        nodes, dense = np.unique(pairs, return_inverse=True)
        dense = dense.reshape(pairs.shape)
        size = len(nodes)
        graph = coo_matrix((np.ones(len(dense), dtype=np.int8), (dense[:, 0], dense[:, 1])),
                           shape=(size, size))
        components, _ = connected_components(graph, directed=False)
        people = self._records - size + components
        return PeopleCount(self._records, people, linked_by, self._records - with_key)


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
