"""Distinct people across rows and files: records that share an identity key are one person.

The PPC counts individuals (本人の数), not rows (appi.md §2.1), and an undercount is the dangerous
error (it can hide the 1,000-person trigger). So records are linked only on keys that belong to
one person: My Number, e-mail address, card number, or a name together with a birth date, phone
number or address. A phone number or an address alone is not a key (a household shares them).
A record with no key at all counts as a person of its own.

Keys are hashed to 64-bit integers as they arrive, so memory grows with the number of records
(16 bytes per key), not with their text. Linking is connected components
over the graph of records and keys (scipy.sparse.csgraph).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# Each key is a tuple of catalogue ids whose (normalised) values together identify a person.
IDENTITY_KEYS: tuple[tuple[str, ...], ...] = (
    ("my_number",),
    ("email",),
    ("credit_card",),
    ("person_name", "birth_date"),
    ("person_name", "phone"),
    ("person_name", "address"),
)
KEY_FIELDS: frozenset[str] = frozenset(f for key in IDENTITY_KEYS for f in key)


def key_name(key: tuple[str, ...]) -> str:
    return "+".join(key)


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


class PeopleCounter:
    """Collects identity values record by record (in batches) and counts distinct people."""

    def __init__(self) -> None:
        self._edges: list[pl.DataFrame] = []  # (record: u64, key: u64, kind: str)
        self._records = 0

    @property
    def records(self) -> int:
        return self._records

    def add(self, values: pl.DataFrame) -> None:
        """Add one batch of records: one row per record, columns named by catalogue ids (any
        subset of ``KEY_FIELDS``; others are ignored), values already normalised by the
        detectors (digits only, lower-case e-mail …); null or empty = not present."""
        n = values.height
        if n == 0:
            return
        ids = pl.int_range(self._records, self._records + n, dtype=pl.UInt64, eager=True)
        self._records += n
        present = [c for c in values.columns if c in KEY_FIELDS]
        frame = values.select(present).with_columns(
            pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None) for c in present)
        for key in IDENTITY_KEYS:
            if not all(f in present for f in key):
                continue
            edge = (pl.DataFrame({"record": ids, "key": _key_hash(frame, key)})
                    .drop_nulls("key").with_columns(kind=pl.lit(key_name(key))))
            if edge.height:
                self._edges.append(edge)

    def count(self) -> PeopleCount:
        if not self._edges:
            return PeopleCount(self._records, self._records, {}, self._records)
        edges = pl.concat(self._edges).select("record", "key", "kind")
        # Records and keys are the nodes of one graph; a person is a connected component.
        key_index = edges.get_column("key").rank("dense").cast(pl.Int64) - 1
        n_keys = int(key_index.max()) + 1
        rows = edges.get_column("record").cast(pl.Int64).to_numpy()
        cols = key_index.to_numpy() + self._records
        size = self._records + n_keys
        graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(size, size))
        _, labels = connected_components(graph, directed=False)
        people = len(np.unique(labels[: self._records]))
        with_key = edges.get_column("record").n_unique()
        return PeopleCount(self._records, people, _linked_by(edges),
                           self._records - with_key)


def _key_hash(frame: pl.DataFrame, key: tuple[str, ...]) -> pl.Series:
    parts = [pl.col(f) for f in key]
    return frame.select(
        pl.when(pl.all_horizontal(*(p.is_not_null() for p in parts)))
        .then(pl.concat_str([pl.lit(key_name(key)), *parts], separator="\x1f").hash())
        .otherwise(None)
        .alias("key")
    ).get_column("key")


def _linked_by(edges: pl.DataFrame) -> dict[str, int]:
    """Per key kind: records that share that key with another record (so were merged)."""
    merged = edges.group_by("kind").agg((pl.len() - pl.col("key").n_unique()).alias("n"))
    return {kind: int(n) for kind, n in merged.iter_rows() if n}
