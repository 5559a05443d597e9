"""The registry's address key of the common address in one compiled pass
(_itemkeys.plain_address_keys) is the rules' key (``identity.conservative_address``): a people
count and a registry look-up must never see two keys for one address. Where the one pass
cannot be sure (a kanji numeral the rules read, Kyoto's 通り名, 大字, a dash near a number …)
it gives null and ``kernels.registry_address_keys`` runs the full rules on that cell."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.scanning import identity, kernels
from rouei.scanning.detectors import person_name
from rouei.scanning.normalise import normalise_cells

pytestmark = pytest.mark.skipif(kernels._itemkeys is None, reason="_itemkeys.c is not built")


def _plain(values: list[str | None]) -> list[str | None]:
    cells = pl.Series(values, dtype=pl.Utf8)
    return kernels._strings(kernels._itemkeys.plain_address_keys, cells).to_list()


def _nfkc(values: list[str | None]) -> pl.Series:
    """The cells as the engine hands them to the kernels."""
    return normalise_cells(pl.Series(values, dtype=pl.Utf8))


# Towns as exports write them, with what trips a one-pass reading: kanji numerals in names
# (八王子, 四日市, 四番町, 三ノ輪), ケ/ヶ/が/ノ/之 between kanji, 大字, Kyoto's 通り名 and names
# that merely hold 上, 下 or 入 (上野, 下北沢, 東入江), 条 and 線 blocks, katakana with ー.
_TOWNS = ["千代田区丸の内", "世田谷区経堂", "八王子市元本郷町", "四日市市三の丸", "千代田区四番町",
          "荒川区三ノ輪", "千代田区霞ケ関", "千代田区霞が関", "千代田区霞ヶ関", "袖ケ浦市袖ノ浦",
          "港区虎ノ門", "鹿児島市山之口町", "町田市大字小山", "大字大原", "台東区上野",
          "世田谷区下北沢", "京都市中京区烏丸通四条上ル笋町", "中京区寺町通御池上る",
          "京都市下京区四条通烏丸東入長刀鉾町", "京都市南区東九条室町", "東入江", "西入ル町",
          "札幌市中央区北", "旭川市四条通", "岩手郡雫石町", "前弥六", "一宮市", "十日町市",
          "ニセコ町", "中央区銀座", "港区六本木", "品川区東五反田", "新宿区西新宿", "a町", ""]
_BLOCK_SUFFIXES = [("丁目", "番", "号"), ("丁目", "番地", ""), ("-", "-", ""), ("の", "-", ""),
                   ("丁目", "-", ""), ("番地", "", ""), ("条", "丁目", ""), ("線", "", ""),
                   ("地割", "番地", ""), ("ー", "ー", ""), ("番", "号", ""), ("丁", "", "")]
_BUILDINGS = ["", " メゾン桜", "　グランドハイツ", "ハイツ三番館", " 3F", " コーポ一の橋",
              " 丸の内ビル 12階", " 手岡コート", "ガーデン", " ビル2ー3", " 四番町パレス"]
_ROOMS = ["", " 101", "101号室", "号室2", " #1203", "-1203", " 二〇三号室", "号", "1162", " 5 6"]
_POSTALS = ["", "", "〒100-0001 ", "100-0001 ", "１００－０００１　"]


@st.composite
def _addresses(draw) -> str:
    """An address of an export or a form: a prefecture or not, a town, the block in digits
    (half or full width) or kanji numerals with one of the suffix styles, a building and a
    room, spaces of both widths."""
    numbers = draw(st.lists(st.integers(0, 2999), min_size=0, max_size=4))
    kanji = draw(st.booleans())
    written = [kanji_number(n) if kanji and n else str(n) for n in numbers]
    suffixes = draw(st.sampled_from(_BLOCK_SUFFIXES))
    block = "".join(number + (suffixes[i] if i < len(suffixes) else "")
                    for i, number in enumerate(written))
    if draw(st.booleans()):
        block = block.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    prefecture = draw(st.sampled_from(["", *identity._PREFECTURES]))
    space = draw(st.sampled_from(["", " ", "　", "  "]))
    return (draw(st.sampled_from(_POSTALS)) + prefecture + space + draw(st.sampled_from(_TOWNS))
            + block + draw(st.sampled_from(_BUILDINGS)) + draw(st.sampled_from(_ROOMS)))


def kanji_number(n: int) -> str:
    import kanjize
    return kanjize.number2kanji(n)


# Pieces that put the rules' triggers next to each other in any order.
_PIECES = [*"0123456789", "丁目", "番地", "番", "号", "号室", "丁", "目", "地", "割", "条", "線",
           "の", "ノ", "之", "ケ", "ヶ", "が", "ガ", "大字", "大", "字", *"〇一二三四五六七八九十百千",
           "-", "ー", "−", " ", "  ", "\t", "〒", "東京都", "京都府", "北海道", "神奈川県", "区", "町",
           "ハイツ", "か", "\u3099", "é", "𠮷", "・", "通", "東", "西", "上", "下", "入", "上ル", "下る",
           "東入", "ル", "る", "室", "a", "Z", "#", "々"]
_pieces = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.none(), _addresses(), _pieces), max_size=30))
@example(["三重県我孫子市東大和町8丁目7番16号 手岡コート1162", "東京都千代田区四番町3丁目1番",
          "京都市中京区烏丸通四条上ル笋町123", "烏丸通四条上る123", "東入江1-2", "上野1-2",
          "1号室2", "町1番号", "一丁目", "三之一丸1", "千代田区霞ヶ関1-1", "大 字1", "1 三",
          "前弥六5丁目2番6号", "ビル2ー3", "四番町1", "札幌市北1条西2", "東京都", "東京都1"])
def test_the_one_pass_gives_the_rules_key_or_leaves_the_cell(values):
    cells = _nfkc(values)
    plain = _plain(cells.to_list())
    rules = [identity.conservative_address(v) for v in cells.to_list()]
    assert [p for p, r in zip(plain, rules, strict=True) if p is not None and p != r] == []


# What the place form (identity._PLACE) reads after the town: numbers, dashes in runs, ends
# and pairs, letters and a building's digits; the one pass writes that form as it goes.
_PLACE_PIECES = [*"0123456789", "-", "--", "－", " ", "F", "#", "号室", "丁目", "番地", "号", "ビル",
                 "ハイツ", "の", "ー", "階", "棟"]
_places = st.tuples(st.sampled_from(["東京都千代田区丸の内", "港区六本木", "ニセコ町", "a町", ""]),
                    st.lists(st.sampled_from(_PLACE_PIECES), max_size=14).map("".join)).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_places, max_size=30))
@example(["丸の内1-", "丸の内1--2", "丸の内1-2-3ビル4-5F6", "丸の内-1", "丸の内1-ビル2", "丸の内1 2 3",
          "丸の内12ー3-4", "丸の内1丁目-2"])
def test_the_one_pass_writes_the_place_form_as_the_rules_do(values):
    cells = _nfkc(values)
    plain = _plain(cells.to_list())
    rules = [identity.conservative_address(v) for v in cells.to_list()]
    assert [(v, p, r) for v, p, r in zip(cells.to_list(), plain, rules, strict=True)
            if p is not None and p != r] == []
    assert kernels.registry_address_keys(cells).to_list() == rules


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _addresses(), _pieces), max_size=30))
@example(["0上 ル"])  # a Kyoto direction the rules see once the space is out
def test_registry_address_keys_are_the_rules_keys(values):
    cells = _nfkc(values)
    assert kernels.registry_address_keys(cells).to_list() == [
        identity.conservative_address(v) for v in cells.to_list()]


def test_a_common_export_address_takes_the_one_pass():
    assert _plain(["三重県我孫子市東大和町8丁目7番16号 手岡コート1162"]) == [
        "我孫子市東大和町8-7-16-1162"]


@pytest.mark.parametrize("prefecture", identity._PREFECTURES)
def test_every_prefecture_is_left_out_as_the_rules_leave_it_out(prefecture):
    address = f"{prefecture}中央区銀座4丁目5番6号"
    assert _plain([address]) == [identity.conservative_address(address)]


@pytest.mark.parametrize("address", ["京都市中京区烏丸通四条上ル笋町123", "中京区寺町通御池上る1",
                                     "四条通烏丸東入長刀鉾町2", "町田市大字小山1", "八王子一丁目2",
                                     "前弥六5丁目2番6号", "札幌市北1条西2", "1号室2", "ビル2ー3"])
def test_what_the_one_pass_cannot_read_goes_to_the_full_rules(address):
    assert _plain([address]) == [None]
    assert kernels.registry_address_keys(pl.Series([address])).to_list() == [
        identity.conservative_address(address)]


# The one pass reads what is before a character the rules look at (ケ, ノ, 入, ー …) only there:
# nothing right after the prefecture it leaves out (the rules take the prefecture out first),
# else the last character of the run before it, kanji numerals and 丁目/番/号 included.
@pytest.mark.parametrize("address", ["東京都ヶ丘1-2", "東京都ノ町1", "埼玉県之町1", "東京都入谷1",
                                     "北海道ー1", "京都府上ル1", "大阪府大字1", "愛知県一宮市1-2",
                                     "霞ヶ関ヶ丘1", "丸の内ノ1", "三ノ輪ケ丘2", "四番町ノ1",
                                     "1丁目ノ2", "東入1", "西入2", "町ケ3", "東京都東入1"])
def test_a_character_the_rules_look_at_is_read_with_the_one_before_it(address):
    assert _plain([address])[0] in (None, identity.conservative_address(address))


@pytest.mark.parametrize("address", ["千代田区丸の内JPタワー4丁目12番20号", "港区虎ノ門ヒルズ森タワー5丁目3番1号",
                                     "中央区銀座1-2-3 センター4ー", "ハイツ1ーA", "セーフ1"])
def test_a_long_vowel_mark_beside_one_number_takes_the_one_pass(address):
    # ー is a dash only between two numbers (identity._DASH_NEAR_NUMBER): タワー4 keeps it
    assert _plain([address]) == [identity.conservative_address(address)]
    assert _plain([address])[0] is not None


@pytest.mark.parametrize("address", ["中央区銀座1ー2ー3", "中央区銀座三ー2", "ビル2ー三"])
def test_a_long_vowel_mark_between_two_numbers_goes_to_the_full_rules(address):
    assert _plain([address]) == [None]
    assert kernels.registry_address_keys(pl.Series([address])).to_list() == [
        identity.conservative_address(address)]


def test_every_kyoto_direction_holds_a_character_the_compiled_test_looks_for():
    assert all(any(c in d for c in kernels._KYOTO_CHARACTERS) for d in identity.KYOTO_DIRECTIONS)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), _pieces, _addresses()), max_size=30))
def test_the_kyoto_cells_are_those_holding_a_direction(values):
    cells = pl.Series(values, dtype=pl.Utf8)
    expected = [i for i, v in enumerate(values)
                if v is not None and any(d in v for d in identity.KYOTO_DIRECTIONS)]
    assert kernels._kyoto_cells(cells).to_list() == expected


def test_the_registry_key_of_an_address_and_its_other_writings_stays_one():
    # 経堂一丁目2番地3 (a courier) and 東京都世田谷区経堂1-2-3 (a shop): one address, one key
    keys = kernels.registry_address_keys(_nfkc(["東京都世田谷区経堂1丁目2番地3",
                                                "東京都世田谷区経堂一丁目2番地3",
                                                "世田谷区経堂1-2-3"])).to_list()
    assert keys == ["世田谷区経堂1-2-3"] * 3


def test_cells_with_chunks_and_slices_give_the_same_keys():
    values = [f"東京都千代田区{'四番町' if i % 7 == 0 else '丸の内'}{i % 9 + 1}丁目{i}番{i % 5}号"
              f"{' ハイツ' if i % 3 else ''}{i}" for i in range(3_000)] + [None, "", " "]
    head = pl.Series(values[:1000], dtype=pl.Utf8)
    middle = pl.Series(["x", *values[1000:2000], "y"], dtype=pl.Utf8).slice(1, 1000)
    tail = pl.Series(values[2000:], dtype=pl.Utf8)
    cells = pl.concat([head, middle, tail], rechunk=False)
    assert kernels.registry_address_keys(cells).to_list() == [
        identity.conservative_address(v) for v in values]


# --- names: the variant kanji folded only where a name holds one ----------------------------

_NAME_PIECES = ["山田", "太郎", " ", "　", "・", *person_name.VARIANT_FORMS, "高", "崎", "吉", "a",
                "ヤマダ", "é", "\u3099"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(_NAME_PIECES), max_size=8)
                          .map("".join), st.text(max_size=8)), max_size=30))
@example(["髙橋 𠮷男", "山﨑", "濵田", "渡邉", "齋藤", None, ""])
def test_name_keys_fold_the_variant_kanji_as_the_detector_does(values):
    cells = pl.Series([v.strip() if v else v for v in values], dtype=pl.Utf8)
    expected = kernels._strings(kernels._kernels.name_keys, cells).str.replace_many(
        kernels._VARIANTS, kernels._COMMON_FORMS)
    assert kernels.name_keys(cells).to_list() == expected.to_list()


def test_cells_with_codes_marks_the_cells_holding_a_variant():
    cells = pl.Series(["髙橋", "高橋", None, "𠮷田", "山田"])
    mask, count = kernels._itemkeys.cells_with_codes(cells.__arrow_c_stream__(), "髙𠮷")
    assert (list(mask), count) == ([1, 0, 0, 1, 0], 2)


# --- a column already in its normal form --------------------------------------------------------

def test_a_column_already_normal_is_given_back_without_a_copy():
    cells = pl.Series(["山田 太郎", "090-1234-5678", None, "東京都千代田区丸の内1-9-1", "ヤマダ"])
    folded, left, changed = kernels.fold_cells(cells)
    assert (folded is cells, left, changed) == (True, None, False)


def test_a_column_with_one_cell_to_fold_is_folded():
    cells = pl.Series(["山田 太郎", "０９０ー１２３４ー５６７８", None])
    assert normalise_cells(cells).to_list() == ["山田 太郎", "090-1234-5678", None]


@pytest.mark.parametrize("compiled", [True, False])
@pytest.mark.parametrize("address", ["0上 ル", "烏丸通四条 上ル 笋町123", "寺町通御池 下 る1"])
def test_a_kyoto_direction_written_with_a_space_keys_as_the_rules_key_it(address, compiled,
                                                                         monkeypatch):
    if not compiled:
        monkeypatch.setattr(kernels, "_itemkeys", None)
    assert kernels.registry_address_keys(pl.Series([address])).to_list() == [
        identity.conservative_address(address)]
