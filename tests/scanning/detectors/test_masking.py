"""mask(): what a reviewer may see of a value; never the whole value."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.domain.items import ITEMS
from rouei.scanning.masking import mask, mask_column


@pytest.mark.parametrize("category, value, masked", [
    ("phone", "090-1234-5678", "090-****-5678"),
    ("phone", "09012345678", "090****5678"),
    ("phone", "03-1234-5678", "03-****-5678"),
    ("phone", "+81-90-1234-5678", "+81-90-****-5678"),
    ("credit_card", "4111-1111-1111-1234", "****-****-****-1234"),
    ("credit_card", "4111111111111234", "************1234"),
    ("my_number", "123456789012", "********9012"),
    ("email", "taro@example.jp", "t***@example.jp"),
    ("person_name", "山田 太郎", "山* **"),
    ("name_kana", "ヤマダ タロウ", "ヤ** ***"),
    ("address", "東京都千代田区千代田1-1", "東京都千代田区＊＊＊＊-＊"),
    ("birth_date", "1985/04/01", "19**-**-**"),
    ("birth_date", "昭和60年4月1日", "19**-**-**"),
    ("postal_code", "100-0001", "1**-****"),
    ("passport", "TK1234567", "TK*******"),
])
def test_mask_known_items_show_the_agreed_part(category, value, masked):
    assert mask(category, value) == masked


def test_mask_empty_value_is_empty():
    assert mask("phone", "") == ""


def test_mask_address_with_full_width_space_keeps_original_locality():
    assert mask("address", "東京都　千代田区千代田１－１") == "東京都　千代田区＊＊＊＊－＊"


@given(st.sampled_from(sorted(ITEMS)), st.text(min_size=1, max_size=30))
def test_mask_never_reveals_whole_value(category, value):
    masked = mask(category, value)
    assert masked != value or set(value) <= set(" -\u3000()\uff0d*＊")


# The character loops the masks were first written as (masking.py now uses regexes, translate
# and sub for speed): the same output for any value.
_SEP = frozenset(" -\u3000()\uff0d")


def _loop_default(value: str, share: float = 0.25) -> str:
    positions = [i for i, ch in enumerate(value) if ch not in _SEP]
    keep = set(positions[: int(len(positions) * share)])
    return "".join(ch if i in keep or ch in _SEP else "*" for i, ch in enumerate(value))


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "０" <= ch <= "９"


def _loop_keep_digits(value: str, first: int, last: int) -> str:
    digits = [i for i, ch in enumerate(value) if _is_digit(ch)]
    if first + last >= len(digits):
        return _loop_default(value)
    keep = set(digits[:first]) | set(digits[len(digits) - last:])
    return "".join("*" if _is_digit(ch) and i not in keep else ch for i, ch in enumerate(value))


_MASK_TEXT = st.text(alphabet=st.sampled_from(list("0123456789０９ -\u3000()\uff0d+a山ｱ\n@.")),
                     max_size=30)


@given(_MASK_TEXT, st.integers(0, 5), st.integers(0, 5))
def test_masks_equal_the_character_loops(value, first, last):
    from rouei.scanning import masking

    assert masking.mask_default(value) == _loop_default(value)
    assert masking.mask_default(value, 0.5) == _loop_default(value, 0.5)
    assert masking._keep_digits(value, first, last) == _loop_keep_digits(value, first, last)
    assert masking.mask_name(value) == "".join(
        ch if i == 0 or ch in _SEP else "*" for i, ch in enumerate(value))


_SHAPED = st.one_of(
    st.from_regex(r"\A0[0-9]{1,4}-[0-9]{1,8}-[0-9]{3,4}\Z"),
    st.from_regex(r"\A0[0-9]{8,11}\Z"),
    st.from_regex(r"\A[0-9]{2,4}-[0-9]{3,5}\Z"),
    st.from_regex(r"\A[0-9][0-9 -]{0,20}[0-9]{2,4}\Z"),
    st.from_regex(r"\A(18|19|20)[0-9]{2}[/.-][0-9]{2}[/.-][0-9]{2}\Z"),
    st.from_regex(r"\A[a-z.@]{0,6}@[a-z.@]{0,6}\Z"),
    st.text(" -\u3000()－山田太郎ヤマダ*＊@0１", max_size=8),
    st.text(max_size=6),
    st.builds(str.__add__, st.sampled_from(["東京都千代田区", "大阪府大阪市北区", "札幌市中央区",
                                            "東京都　千代田区", "神奈川県横浜市ｶﾅ", "北海道"]),
              st.text("0123456789-丁目番地号 　ハイツ１－Ａ", max_size=10)),
    # phones in every style: +81, (03), full-width, spaces, white space before the +
    st.text("0123456789０９ -()+　\t\x1c－", max_size=16),
    # where an address's locality may end: kana, particles, spaces, ー, compatibility kanji
    st.builds(str.__add__, st.sampled_from(["", " ", "東京都", "東京都 ", "さいたま市", "北海道"]),
              st.text("市区町村郡中央のがつケノさいた 　ー1１\t\n丁目ﾃ㍻﨑ハ", max_size=12)),
)


@pytest.mark.parametrize("category", ["person_name", "name_kana", "email", "phone",
                                      "credit_card", "my_number", "birth_date", "address",
                                      "postal_code", "gender"])
@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.one_of(st.none(), _SHAPED), max_size=25))
def test_mask_column_is_mask_of_every_value(category, values):
    got = mask_column(category, pl.Series(values, dtype=pl.Utf8)).to_list()
    assert got == [None if v is None else mask(category, v) for v in values]


# Where the locality of an address ends depends on what follows its units: a space before the
# municipality, a particle, kana before kanji, white space alone after it.
_LOCALITY_EDGES = ["東京都 港区芝公園1-2", "東京都港区の1", "さいたま市浦和区1", "港区がつ町1",
                   "東京都千代田区　", "東京都千代田区\t", "東京都千代田区 ハイツ", " 港区芝1",
                   "東京都 ", "大町市大町1", "府中市ケ丘2", "東京都千代田区１－２", "北海道札幌市"]


@pytest.mark.parametrize("value", _LOCALITY_EDGES)
def test_mask_column_finds_the_locality_mask_finds(value):
    assert mask_column("address", pl.Series([value, value])).to_list() == [mask("address", value)] * 2
