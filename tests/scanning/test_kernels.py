"""The compiled kernels (rouei/scanning/_kernels.c) give, cell for cell, what the Python
functions they stand for give, whatever the cells and however polars holds them (chunks,
slices, short strings inside the view, long ones in several data buffers, nulls)."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.scanning import _kernels, kernels
from rouei.scanning.detectors import address, birth_date, credit_card, person_name
from rouei.scanning.normalise import normalise_cells, normalise_column

# What addresses, names and dates are made of, and what trips a byte-wise scan: the block
# suffixes and their halves, spaces, dashes, kana, two- and four-byte characters.
_PIECES = [*"0123456789", "丁目", "番地", "番", "号", "丁", "目", "地", "-", "--", " ", "　", "・",
           "東京都", "ハイツ", "ー", "a", "é", "𠮷", "/", ".", "年", "\t", "ｱ", "１", "\x1c", "\x85",
           "\u2028"]
cells_text = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)
columns = st.lists(st.one_of(st.none(), cells_text, st.text(max_size=15)), max_size=40)


def _nfkc(values: list[str | None]) -> pl.Series:
    """The cells as the engine hands them to the kernels (``normalise_cells``)."""
    return normalise_cells(pl.Series(values, dtype=pl.Utf8))


def _chunked(values: list[str | None]) -> pl.Series:
    """The same cells in several chunks, the middle one a slice (an Arrow offset)."""
    third = len(values) // 3
    head = pl.Series(values[:third], dtype=pl.Utf8)
    middle = pl.Series(["x" * 20, *values[third:2 * third], "y" * 20], dtype=pl.Utf8)
    tail = pl.Series(values[2 * third:], dtype=pl.Utf8)
    series = pl.concat([head, middle.slice(1, len(middle) - 2), tail], rechunk=False)
    assert series.to_list() == values
    return series


@settings(max_examples=300, deadline=None)
@given(columns)
def test_address_keys_are_normalise_value(values):
    cells = _nfkc(values)
    assert kernels.address_keys(cells).to_list() == [
        None if v is None else address.normalise_value(v) for v in cells.to_list()]


@settings(max_examples=300, deadline=None)
@given(columns)
def test_name_keys_are_normalise_value(values):
    cells = _nfkc(values)
    assert kernels.name_keys(cells).to_list() == [
        None if v is None else person_name.normalise_value(v) for v in cells.to_list()]


_PADDED = st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99),
                    st.sampled_from("/.-"), st.sampled_from("/.-")).map(
    lambda t: f"{t[0]:04d}{t[3]}{t[1]:02d}{t[4]}{t[2]:02d}")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.none(), _PADDED, cells_text), max_size=30))
def test_padded_date_keys_are_normalise_value_of_padded_dates(values):
    cells = _nfkc(values)
    got = kernels.padded_date_keys(cells).to_list()
    for cell, key in zip(cells.to_list(), got, strict=True):
        padded = (cell is not None and len(cell) == 10 and cell[0] in "123456789"
                  and cell[:4].isdigit() and cell[4] in "/.-" and cell[5:7].isdigit()
                  and cell[7] in "/.-" and cell[8:].isdigit())
        if not padded:
            assert key is None
        elif birth_date.parse(cell) is not None:
            assert key == birth_date.normalise_value(cell)
        else:  # no such day (1985/02/29): the cell, as the engine's polars path gave it
            assert key == cell


def test_padded_date_keys_know_leap_years():
    got = kernels.padded_date_keys(pl.Series(["2000/02/29", "1900/02/29", "2024.02.29",
                                              "2023-02-29", "1985/13/01", "1985/04/31"]))
    assert got.to_list() == ["2000-02-29", "1900/02/29", "2024-02-29", "2023-02-29",
                             "1985/13/01", "1985/04/31"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("0123456789 -", max_size=25),
                          st.text("0123456789０１-ーa漢", max_size=24)), max_size=30))
def test_card_valid_is_validate(values):
    cells = _nfkc(values)
    assert kernels.card_valid(cells).to_list() == [
        v is not None and credit_card.validate(v) for v in cells.to_list()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=10), cells_text), max_size=30))
def test_cells_the_kernel_leaves_are_their_own_normal_form(values):
    series = pl.Series(values, dtype=pl.Utf8)
    normal = pl.select(normalise_column(pl.lit(series))).to_series().to_list()
    for value, changes, expected in zip(values, kernels.may_change(series).to_list(), normal,
                                        strict=True):
        if value is not None and not changes:
            assert expected == value


def test_kernels_read_chunks_slices_and_long_strings():
    values = ["東京都千代田区丸の内1丁目2番3号 丸の内ハイツ101", None, "1-2", "",
              "大阪府大阪市北区梅田3丁目1番地", "山田・太郎", "4111 1111 1111 1111"] * 50
    series = _chunked(values)
    assert series.n_chunks() == 3
    assert kernels.address_keys(series).to_list() == [
        None if v is None else address.normalise_value(v) for v in values]
    assert kernels.card_valid(series).to_list() == [
        v is not None and credit_card.validate(v) for v in values]


def test_long_keys_spread_over_several_data_buffers():
    values = [f"東京都千代田区{i}丁目{i % 7}番 ハイツ{i}号室" for i in range(3_000)]
    previous = _kernels.set_buffer_limit(4096)
    try:
        keys = kernels.address_keys(pl.Series(values))
    finally:
        _kernels.set_buffer_limit(previous)
    assert keys.to_list() == [address.normalise_value(v) for v in values]


def test_kernels_refuse_what_is_not_a_column_of_strings():
    with pytest.raises(TypeError):
        kernels.address_keys(pl.Series([1, 2, 3]))
    capsule = pl.Series(["a"]).__arrow_c_stream__()
    _kernels.card_valid(capsule)
    with pytest.raises(ValueError, match="consumed"):
        _kernels.card_valid(capsule)
    with pytest.raises(ValueError):
        _kernels.set_buffer_limit(1)


def test_nfkc_cells_only_reach_the_key_kernels():
    # The key kernels expect NFKC cells (full-width digits folded): normalise_cells does it.
    cells = _nfkc(["１丁目２番", "山田　太郎"])
    assert cells.to_list() == [unicodedata.normalize("NFKC", "１丁目２番"), "山田 太郎"]
    assert kernels.address_keys(cells).to_list()[0] == "1-2"
    assert kernels.name_keys(cells).to_list()[1] == "山田太郎"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("0123456789 -ー１a", max_size=20)), max_size=30))
def test_digit_keys_are_digits_of(values):
    cells = _nfkc(values)
    assert kernels.digit_keys(cells).to_list() == [
        None if v is None else credit_card.normalise_value(v) for v in cells.to_list()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("0123456789-+() ", max_size=16)), max_size=30))
def test_plain_phone_keys_are_the_digits_of_digits_and_hyphens(values):
    got = kernels.plain_phone_keys(pl.Series(values, dtype=pl.Utf8)).to_list()
    assert got == [None if v is None or set(v) - set("0123456789-") else v.replace("-", "")
                   for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("aZ.@_-+09ÄéＡ", max_size=16)), max_size=30))
def test_ascii_email_keys_are_lower_case_of_ascii_cells(values):
    got = kernels.ascii_email_keys(pl.Series(values, dtype=pl.Utf8)).to_list()
    assert got == [v.lower() if v is not None and v.isascii() else None for v in values]


def test_email_keys_of_any_address_are_normalise_value():
    from rouei.scanning.detectors import by_category
    from rouei.scanning.engine import _identity_keys

    values = ["Taro.Yamada@Example.JP", "ÄBC@例え.jp", None, "a@b.co"]
    detector = by_category("email")
    assert _identity_keys("email", pl.Series(values), detector).to_list() == [
        None if v is None else detector.normalise_value(v) for v in values]


# --- The registry's address form (identity.conservative_address) -------------------------------

def _kanji_numeral(n: int) -> str:
    """23 as 二十三, 100 as 百, 1203 as 千二百三: as people write a block's number."""
    import kanjize
    return kanjize.number2kanji(n)


_PREFECTURE = st.sampled_from(["", "東京都", "北海道", "神奈川県", "大阪府", "京都府", "鹿児島県"])
_TOWN = st.sampled_from(["千代田区丸の内", "世田谷区経堂", "千代田区霞ケ関", "千代田区霞が関",
                         "千代田区霞ヶ関", "袖ケ浦市袖ノ浦", "札幌市中央区北", "岩手郡雫石町",
                         "四日市市三の丸", "大字大原", "町田市大字小山", "那覇市泉崎", "八丈島",
                         "京都市中京区烏丸通四条上ル笋町", "京都市南区東九条室町", "旭川市四条通",
                         "京都市下京区四条通烏丸東入長刀鉾町", "中京区寺町通御池上る"])
_DASH = st.sampled_from(["-", "－", "ー", "‐", "−", "―", " ", "の"])
_SUFFIXES = st.sampled_from([("丁目", "番", "号"), ("丁目", "番地", ""), ("-", "-", ""),
                             ("条", "丁目", ""), ("線", "", ""), ("地割", "番地", "")])


@st.composite
def _registry_addresses(draw) -> str:
    """An address as exports, couriers and forms write it: a postal code or not, a prefecture or
    not, the block in digits (half or full width), kanji numerals, 丁目/番地/号 or one of the
    dashes, a building and a room in several forms, spaces of both widths."""
    numbers = draw(st.lists(st.integers(0, 2999), min_size=1, max_size=4))
    kanji = draw(st.booleans())
    written = [_kanji_numeral(n) if kanji and n else str(n) for n in numbers]
    suffixes = draw(_SUFFIXES)
    dash = draw(_DASH)
    block = ""
    for i, number in enumerate(written):
        suffix = suffixes[i] if i < len(suffixes) else ""
        block += number + (suffix if suffix not in ("", "-") else
                           dash if i < len(written) - 1 else "")
    if draw(st.booleans()):
        block = block.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    building = draw(st.sampled_from(["", " メゾン桜", "　グランドハイツ", "ハイツ三番館", " 3F",
                                     " コーポ一の橋", " 丸の内ビル 12階"]))
    room = draw(st.sampled_from(["", " 101", "101号室", " #1203", "-1203", " 二〇三号室", "号"]))
    postal = draw(st.sampled_from(["", "〒100-0001 ", "〒 1000001", "100-0001 ", "１００－０００１　"]))
    space = draw(st.sampled_from(["", " ", "　", "  "]))
    return postal + draw(_PREFECTURE) + space + draw(_TOWN) + block + building + room


# What trips the rules: halves of suffixes, runs of kanji numerals kanjize refuses (十十, 千千),
# combining marks a removed space or 大字 brings together, two- and four-byte characters.
_ADDRESS_PIECES = [*"0123456789", "丁目", "番地", "番", "号", "号室", "丁", "地", "割", "条", "東",
                   "線", "の", "ノ", "之", "ケ", "ヶ", "が", "大字", "大", "字", *"〇一二三四五六七八九十百千",
                   "-", "ー", "−", " ", "\t", "〒", "100-0001", "東京都", "北海道", "神奈川県",
                   "区", "ハイツ", "か", "\u3099", "é", "𠮷", "・", "通", "西", "上ル", "下る",
                   "東入", "室町"]
_address_pieces = st.lists(st.sampled_from(_ADDRESS_PIECES), max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _registry_addresses(), _address_pieces), max_size=40))
@example(["三ノ九線12", "十十番地", "千千", "〇〇五-〇", "大字\u3099", "〒1000001", "100-0001 1"])
@example(["京都市南区東九条室町10", "北一条西二丁目", "四条通八丁目", "九条", "九条西", "九条-1",
          "京都市中京区烏丸通四条上ル笋町123", "烏丸通四条上る123"])
def test_registry_address_keys_are_conservative_address(values):
    from rouei.scanning import identity
    cells = _nfkc(values)
    assert kernels.registry_address_keys(cells).to_list() == [
        identity.conservative_address(v) for v in cells.to_list()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _registry_addresses(), _address_pieces), max_size=40))
@example(["千代田区丸の内1-9-1 1203", "千代田区丸の内1-9-1 ハイツ 2F 5", "北1条西2 101号室",
          "丸の内1-9-1", "丸の内", "京都市中京区烏丸通四条上ル笋町123 101"])
def test_registry_place_keys_are_conservative_address_without_the_room(values):
    from rouei.scanning import identity
    cells = _nfkc(values)
    assert kernels.registry_address_keys(cells, room=False).to_list() == [
        identity.conservative_address(v, room=False) for v in cells.to_list()]


def test_registry_address_keys_read_chunks_and_several_data_buffers():
    from rouei.scanning import identity
    values = [f"〒100-000{i % 10} 東京都千代田区{_kanji_numeral(i % 99 + 1)}丁目{i}番地 ハイツ{i}号室"
              for i in range(3_000)] + [None, "", "千"]
    previous = _kernels.set_buffer_limit(4096)
    try:
        keys = kernels.registry_address_keys(_chunked(values))
    finally:
        _kernels.set_buffer_limit(previous)
    assert keys.to_list() == [identity.conservative_address(v) for v in values]


def test_registry_address_key_of_a_kanji_thousand_is_longer_than_the_cell():
    # 千 (3 bytes) is 1000 (4): the kernel's output may outgrow its cell
    assert kernels.registry_address_keys(pl.Series(["千-千"])).to_list() == ["1000-1000"]


# Free-text cells: widths, the ideographic space, ー and other dashes between digits, kana
# that NFKC joins (ｶﾞ), characters outside the plain set (é, ①, 𠮷, ㍻) and the plain set's edges.
_TEXT_PIECES = [*"0123456789", "０", "９", "Ａ", "ｚ", "－", "ー", "―", "−", "　", " ", "\u00a0",
                "ｶ", "ﾞ", "ガ", "山田", "様", "、", "。", "「", "」", "〒", "×", "々", "ゖ", "ヺ", "・",
                "\u3004", "\u3013", "\u301b", "\u4dff", "\ua000", "é", "①", "𠮷", "㍻", "\uff5f", "\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.lists(st.sampled_from(_TEXT_PIECES), max_size=12).map("".join),
                          st.text(max_size=12)), max_size=30))
@example(["1ー2ー3", "ー1ー", "１ー２", "0ーー1", "abc", ""])
def test_plain_texts_are_the_normal_form_of_texts_mapped_one_for_one(texts):
    from rouei.scanning.normalise import normalise

    taken = [(text, normal) for text, normal in zip(texts, _kernels.plain_texts(texts),
                                                    strict=True) if normal is not None]
    assert [normal for _, normal in taken] == [normalise(text).text for text, _ in taken]
    assert all(normalise(text).is_identity for text, _ in taken)


def test_plain_texts_take_japanese_cells_with_full_width_digits():
    assert _kernels.plain_texts(["日中は携帯０９０ー１２３４ー５６７８へ　山田様"]) == [
        "日中は携帯090-1234-5678へ 山田様"]
