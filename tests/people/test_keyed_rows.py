"""A chunk's ``Keyed`` rows made at once by the compiled kernel (``preparing.keyed_rows``,
``_rowkeys.instances``, issue 12): each row must be what ``Keyed.__init__`` makes of the same
values — every slot, the flags it derives from the record — or the writer would see other rows
than the row-by-row path gives."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.people import _rowkeys, preparing

TEXT = st.sampled_from(["", "山田太郎", "taro@example.jp", "東京都千代田区丸の内1-9-1", "x"])


@st.composite
def _chunk(draw):
    rows = draw(st.integers(0, 10))
    block = preparing.KeyBlock(b"\x00" * rows, b"d" * 16 * rows, list(range(rows + 1)))

    def column(values):
        return [draw(values) for _ in range(rows)]

    records = [(f"R{n}", draw(TEXT), draw(TEXT), draw(st.sampled_from(["", "1000001"])),
                draw(TEXT), draw(TEXT), tuple(draw(st.lists(st.just("09012345678"), max_size=2))),
                draw(st.sampled_from(["", "1985-04-01"])), ()) for n in range(rows)]
    return (column(st.integers(1, 10**7)), column(st.text(max_size=5)), records,
            column(st.frozensets(st.sampled_from(["email", "phone"]))), column(st.booleans()),
            column(TEXT), column(st.binary(max_size=48)), block,
            column(st.tuples(st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT))))


def _slots(keyed):
    return {name: getattr(keyed, name) for name in preparing.Keyed.__slots__}


@settings(max_examples=200, deadline=None)
@given(_chunk())
def test_a_chunks_rows_made_at_once_are_those_init_makes(chunk):
    numbers, sealed, records, items, confirmed, controller, merges, block, forms = chunk
    made = preparing.keyed_rows(*chunk)
    one_by_one = [(numbers[n], preparing._keyed(None, sealed[n], numbers[n], records[n], items[n],
                                                confirmed[n], controller[n], merges[n], block, n,
                                                forms[n]))
                  for n in range(len(numbers))]
    assert [(number, _slots(k)) for number, k in made] == \
        [(number, _slots(k)) for number, k in one_by_one]


@settings(max_examples=50, deadline=None)
@given(_chunk())
def test_a_row_made_at_once_gives_its_keys_and_record(chunk):
    made = preparing.keyed_rows(*chunk)
    assert [(k.keys, k.row.record.to_json(), k.ref_digest) for _, k in made] == \
        [(chunk[7].keys(n), k.row.record.to_json(), chunk[7].first_digest(n, 0))
         for n, (_, k) in enumerate(made)]


def test_a_row_made_at_once_pickles_as_one_made_by_init():
    chunk = ([7], ["s"], [("R", "山田", "", "", "", "a@b.jp", (), "", ())], [frozenset()], [True],
             [""], [b"m" * 16], preparing.KeyBlock(b"\x00", b"d" * 16, [0, 1]), [(None, None)])
    (_, made), = preparing.keyed_rows(*chunk)
    by_init = preparing._keyed(None, "s", 7, chunk[2][0], frozenset(), True, "", b"m" * 16,
                               chunk[7], 0, (None, None))
    assert pickle.dumps(made) == pickle.dumps(by_init)


class _Slots:
    __slots__ = ("a", "b")


def test_a_name_that_is_not_a_slot_is_refused():
    with pytest.raises(TypeError):
        _rowkeys.instances(_Slots, ("a", "__doc__"), ([1], 2), -1)


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="length"):
        _rowkeys.instances(_Slots, ("a", "b"), ([1], [1, 2]), -1)


def test_a_value_given_once_is_every_rows():
    made = _rowkeys.instances(_Slots, ("a", "b"), ([1, 2], "same"), -1)
    assert [(m.a, m.b) for m in made] == [(1, "same"), (2, "same")]
