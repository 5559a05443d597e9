"""An import's keys as arrays (``_rowkeys.chunk_keys(..., arrays=True)``, ``preparing.KeyBlock``,
``preparing.key_arrays``) and the writer's checks done with numpy (``imports._repeated``,
``imports._held_by_unchecked``): each must give what the Python form gives — the same keys, in
the same order, for the same rows — or a registry would depend on which form carried them."""

from __future__ import annotations

import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.people import _rowkeys, bulk, imports, preparing

KEY = b"k" * 32
_TEXT = st.sampled_from(["", "山田太郎", "ヤマダタロウ", "1985-04-01", "千代田区丸の内1-9-1",
                         "taro@example.jp", "a" * 600])
_MAYBE = st.one_of(st.none(), _TEXT.filter(bool))


@st.composite
def _columns(draw):
    rows = draw(st.integers(0, 12))

    def column(values):
        return [draw(values) for _ in range(rows)]

    phones = [tuple(draw(st.lists(st.sampled_from(["09012345678", "0312345678", "0120123456"]),
                                  max_size=8, unique=True))) for _ in range(rows)]
    return (column(_TEXT.filter(bool).map(lambda v: "R" + v)), phones, column(_MAYBE),
            column(_MAYBE), column(_MAYBE), column(_MAYBE), column(_MAYBE), column(_MAYBE))


@settings(max_examples=200, deadline=None)
@given(_columns())
def test_a_chunks_key_arrays_are_its_keys_as_tuples(columns):
    keys, merges = _rowkeys.chunk_keys(KEY, *columns, True)
    codes, digests, starts, array_merges = _rowkeys.chunk_keys(KEY, *columns, True, True)
    block = preparing.KeyBlock(codes, digests, starts)
    assert [block.keys(at) for at in range(len(keys))] == keys
    assert array_merges == merges


def test_the_compiled_kinds_are_the_codes_kinds():
    assert _rowkeys.KINDS == preparing.KEY_KINDS


def _block_rows(count: int, seed: int) -> list[preparing.Keyed]:
    rng = np.random.default_rng(seed)
    columns = ([f"R{seed}-{i}" for i in range(count)],
               [tuple(f"090{n:08d}" for n in rng.integers(0, 10**8, rng.integers(0, 4)))
                for _ in range(count)],
               [f"u{i}@example.jp" if i % 3 else None for i in range(count)],
               ["山田太郎" if i % 5 else None for i in range(count)],
               [f"1980-01-{1 + i % 28:02d}" for i in range(count)],
               [f"千代田区{i}" if i % 2 else None for i in range(count)],
               [None] * count, ["ヤマダタロウ"] * count)
    codes, digests, starts, merges = _rowkeys.chunk_keys(KEY, *columns, True, True)
    block = preparing.KeyBlock(codes, digests, starts)
    return [preparing._keyed(None, "sealed", i, ("ref",) + ("",) * 8, frozenset(), True, "",
                             merges[i], block, i) for i in range(count)]


def _alone(number: int, digests_per_kind: int) -> preparing.Keyed:
    """A row keyed alone (``Keyed.of``), its digests under one index key or several."""
    keys = tuple((kind, tuple(bytes([number, at, k]) * 5 + b"!" for k in range(digests_per_kind)))
                 for at, kind in enumerate(("ref", "phone", "name_birth")))
    return preparing.Keyed(None, keys, "sealed", (number, ("ref",) + ("",) * 8, frozenset(),
                                                  True, ""))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "alone"]), st.integers(0, 39)),
                max_size=60), st.booleans(), st.integers(1, 3))
def test_a_batchs_key_arrays_are_its_rows_keys_in_order(picks, every, per_kind):
    blocks = {"a": _block_rows(40, 1), "b": _block_rows(40, 2)}
    rows = [(_alone(at, per_kind) if name == "alone" else blocks[name][at]) for name, at in picks]
    codes, digests, owners = preparing.key_arrays(rows, every_digest=every)
    expected = [(kind, digest, i) for i, row in enumerate(rows) for kind, found in row.keys
                for digest in (found if every else found[:1])]
    assert [(preparing.KEY_KINDS[c], bytes(d), o) for c, d, o in
            zip(codes.tolist(), digests, owners.tolist(), strict=True)] == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "alone"]), st.integers(0, 39)), max_size=40))
def test_held_keys_from_columns_are_those_from_tuples(picks):
    block = _block_rows(40, 3)
    rows = [(_alone(at, 2) if name == "alone" else block[at]) for name, at in picks]
    ids = np.arange(100, 100 + len(rows), dtype=np.int64)
    codes, digests, owners = preparing.key_arrays(rows)
    from_columns, from_tuples = bulk.HeldKeys(1, 10**6), bulk.HeldKeys(1, 10**6)
    from_columns.add_columns(preparing.key_columns(codes, digests, ids[owners]))
    from_tuples.add(list(zip(ids.tolist(), (row.keys for row in rows), strict=True)))
    assert from_columns.rows == from_tuples.rows
    assert {kind: [part.tolist() for run in runs for part in run]
            for kind, runs in from_columns._runs.items()} == \
        {kind: [part.tolist() for run in runs for part in run]
         for kind, runs in from_tuples._runs.items()}


def test_reference_digests_from_arrays_are_each_rows():
    rows = [*_block_rows(30, 4)[5:], _alone(7, 1), *_block_rows(10, 5)]
    assert preparing.ref_digests(rows) == b"".join(row.ref_digest for row in rows)
    assert preparing.ref_digests(rows, preparing.key_arrays(rows)) == \
        b"".join(row.ref_digest for row in rows)


def test_a_block_row_pickles_with_its_keys():
    rows = _block_rows(5, 6)
    again = pickle.loads(pickle.dumps(rows))
    assert [row.keys for row in again] == [row.keys for row in rows]
    assert again[0]._block is again[4]._block  # the chunk's block pickled once


_DIGEST = st.sampled_from([bytes([b]) * 16 for b in range(6)]
                          + [bytes([1]) * 8 + bytes([b]) * 8 for b in range(2, 5)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_DIGEST, max_size=4, unique=True), max_size=20))
def test_a_row_sharing_a_digest_with_another_is_found(rows):
    merging = [b"".join(row) for row in rows]
    flat, owner = imports._flat(merging)
    expected = [any(d in other for j, other in enumerate(rows) if j != i for d in row)
                for i, row in enumerate(rows)]
    assert imports._repeated(flat, owner, len(rows)).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(_DIGEST, max_size=4, unique=True), st.booleans()),
                max_size=20), st.lists(_DIGEST, min_size=1, max_size=5))
def test_a_brought_digest_of_a_row_not_checked_is_found(rows, brought):
    merging = [b"".join(row) for row, _ in rows]
    special = [checked for _, checked in rows]
    flat = b"".join(merging)
    expected = any(d in row for row, checked in rows if not checked for d in brought)
    assert imports._held_by_unchecked(brought, flat, special, merging) == expected
