"""The item columns' compiled kernels (rouei/scanning/_itemkeys.c) give, cell for cell, what the
polars expressions they stand for give, whatever the cells and however polars holds them
(chunks, slices, short strings inside the view, long ones in data buffers, nulls)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.scanning import engine, kernels
from rouei.scanning.normalise import normalise_cells, normalise_column

pytestmark = pytest.mark.skipif(kernels._itemkeys is None, reason="_itemkeys.c is not built")

# What item cells are made of, and what trips a fold: full-width ASCII and spaces, the dashes
# between digits, kana of both widths with their voicing marks, white space at either end
# (Unicode White_Space and the ASCII controls that are not), two- and four-byte characters.
_PIECES = [*"0123456789", "０", "９", "Ａ", "ｚ", "！", "～", "｟", "－", "ー", "ｰ", "−", "‐", "-",
           " ", "　", "\u00a0", "\u2003", "\t", "\n", "\x1c", "\x85", "\u2028", "・", "ｶ", "ﾞ",
           "ﾟ", "か", "\u3099", "が", "ア", "ヴ", "山田", "東京都", "丁目", "㍻", "①", "×", "é",
           "e\u0301", "𠮷", "〒", "「", "」", "、", "。", "々", "〜", "㈱", "ﾊﾟ", "@", "a", "Z"]
cells_text = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)
columns = st.lists(st.one_of(st.none(), cells_text, st.text(max_size=16)), max_size=40)


def _chunked(values: list[str | None]) -> pl.Series:
    """The cells in several chunks, the middle one a slice (an Arrow offset)."""
    third = len(values) // 3
    head = pl.Series(values[:third], dtype=pl.Utf8)
    middle = pl.Series(["x" * 20, *values[third:2 * third], "y" * 20], dtype=pl.Utf8)
    tail = pl.Series(values[2 * third:], dtype=pl.Utf8)
    series = pl.concat([head, middle.slice(1, len(middle) - 2), tail], rechunk=False)
    assert series.to_list() == values
    return series


def _expressions(values: list[str | None]) -> list[str | None]:
    return pl.select(normalise_column(pl.lit(pl.Series(values, dtype=pl.Utf8)))).to_series() \
        .to_list()


# the edges of COLUMN_PATTERN's ranges (ぁ-ゖ, ァ-ヺ, ー, ・, " ") and what lies beside them
_KANA_EDGES = ["\u3040", "ぁ", "ゖ", "\u3097", "゛", "\u30a0", "ァ", "ヺ", "・", "ー", "ヽ", "ヿ",
               "ア", "か", "ヴ", " ", "　", "\t", "山", "a", "ｱ", "𠮷", "ㇰ"]
kana_cells = st.lists(st.sampled_from(_KANA_EDGES), max_size=33).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), kana_cells, cells_text), max_size=40))
@example(["ヤマダ タロウ", "やまだ・たろう", "ア", "ア" * 30, "ア" * 31, " ア", "", None])
def test_kana_pattern_keys_are_the_pattern_and_the_key(values):
    from rouei.scanning.detectors import name_kana
    cells = _chunked(values)
    matched = cells.str.contains(name_kana.COLUMN_PATTERN).fill_null(False)
    expected = kernels.kana_keys(cells).zip_with(matched, pl.Series([None] * len(cells),
                                                                    dtype=pl.Utf8))
    assert kernels.kana_pattern_keys(cells).to_list() == expected.to_list()


@settings(max_examples=400, deadline=None)
@given(columns)
@example(["０９０ー１２３４ー５６７８", " 山田　太郎\u3000", "1ー2ー3ー4", "ｶﾞｰﾃﾞﾝ", "\x1c a \x1c"])
def test_normalise_cells_is_the_expressions(values):
    assert normalise_cells(_chunked(values)).to_list() == _expressions(values)


@settings(max_examples=400, deadline=None)
@given(columns)
@example(["やまだ たろう", "ヤマダ・タロウ", " ゃゔ\u3000", "\u2028かな\x85", None])
def test_kana_keys_are_the_expressions(values):
    cells = _chunked(values)
    expected = (cells.str.replace_all(r"[ ・]", "")
                .str.replace_many(engine._HIRAGANA, engine._KATAKANA).str.strip_chars())
    assert kernels.kana_keys(cells).to_list() == expected.to_list()


# Columns of mostly plain cells (their own normal form) with a few to fold or to leave to the
# expressions: fold_cells folds those few only and puts them back among the others.
_plain_cells = st.lists(st.sampled_from(["山田 太郎", "東京都千代田区1-2-3", "abc@x.jp", "ヤマダ",
                                         "090-1234-5678", "々〆", "×"]), max_size=3).map(" ".join)
mostly_plain = st.lists(st.one_of(*[_plain_cells] * 12, st.none(), cells_text, st.text(max_size=8)),
                        min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(mostly_plain)
@example(["丸の内ＪＰタワー1丁目", *["東京都千代田区1-2-3"] * 9])
@example(["ガﾞ", *["山田 太郎"] * 9, None])
def test_a_column_with_few_cells_to_fold_is_the_expressions(values):
    cells = _chunked(values)
    assert normalise_cells(cells).to_list() == _expressions(values)
    before = cells.to_list()
    folded, other, changed = kernels.fold_cells(cells)
    assert cells.to_list() == before  # the column given is not changed in place
    expected = _expressions(values)
    left = [False] * len(values) if other is None else other.to_list()
    assert [None if gone else value for value, gone in zip(expected, left, strict=True)] \
        == folded.to_list()
    assert changed == any(a != b for a, b, gone in zip(values, expected, left, strict=True)
                          if not gone)


# Long cells of ideographs, kana and ASCII: the 16-byte blocks of ideographs and ASCII that
# normal_cell skips without reading characters, cut anywhere, with what must still be seen.
_long_pieces = st.lists(st.sampled_from(["東京都", "千代田区", "丸の内", "一丁目", "上下", "中", "䷀", "㐀",
                                         "12", "-", "ー", "1ー2", "Ａ", "　", " ", "ｶﾞ", "×", "é", "𠮷",
                                         "ハイツ", "abcdefgh"]), min_size=4, max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _long_pieces), max_size=20))
@example(["東京都千代田区丸の内一丁目1ー2番地", "東京都千代田区丸の内一丁目Ａ", "東京都千代田区䷀丸の内一丁目"])
def test_long_cells_of_ideographs_are_the_expressions(values):
    assert normalise_cells(_chunked(values)).to_list() == _expressions(values)


def test_an_address_column_with_one_building_to_fold_keeps_the_other_cells_as_they_are():
    cells = pl.Series(["東京都千代田区1-2-3", "丸の内ＪＰタワー1丁目", "大阪府大阪市北区1-1", None])
    folded, other, changed = kernels.fold_cells(cells)
    assert folded.to_list() == ["東京都千代田区1-2-3", "丸の内JPタワー1丁目", "大阪府大阪市北区1-1", None]
    assert (other, changed) == (None, True)


def test_a_plain_column_is_folded_without_the_expressions():
    folded, other, changed = kernels.fold_cells(pl.Series(["０３－１２３４", "山田　花子"]))
    assert (folded.to_list(), other, changed) == (["03-1234", "山田 花子"], None, True)


def test_half_width_kana_are_folded_with_their_voicing_marks():
    folded, other, _ = kernels.fold_cells(pl.Series(["ﾔﾏﾀﾞ ﾊﾟﾝ", "ｳﾞｨ"]))
    assert (folded.to_list(), other) == (["ヤマダ パン", "ヴィ"], None)


def test_a_voicing_mark_nfkc_does_not_compose_is_left_to_the_expressions():
    folded, other, _ = kernels.fold_cells(pl.Series(["aﾞ", "ガﾞ", "カ"]))
    assert (folded.to_list(), other.to_list()) == ([None, None, "カ"], [True, True, False])


def test_a_table_scan_does_not_import_the_prose_model(tmp_path):
    """The prose model (~0.1 s to import) is for text parts: a CSV's scan starts without it."""
    import subprocess
    import sys

    table = tmp_path / "t.csv"
    table.write_text("氏名,電話番号\n山田 太郎,090-1234-5678\n", encoding="utf-8")
    program = ("import sys; from pathlib import Path; from rouei.scanning.engine import scan; "
               f"scan([Path({str(table)!r})]); print('rouei.scanning.prose' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_digit_counts_count_ascii_digits_only():
    counts = kernels.digit_counts(pl.Series(["a1b22", "１２３", None, "9" * 300]))
    assert counts.to_list() == [3, 0, 0, 255]


@pytest.mark.parametrize(("regex", "least"), [
    ("[0-9]{13}", 13), ("(?:^|[^0-9])[0-9]{3}-[0-9]{4}", 7), ("0[1-9]|[0-9]{5}", 2),
    ("[0-9]?x", 0), ("\\d{5}", 0), ("[0-9a]{4}", 0), ("[^0-9]{4}", 0), ("\\p{N}", 0)])
def test_min_digits_reads_the_regex(regex, least):
    from rouei.scanning import gates

    assert gates.min_digits(regex) == least


_GATE_TEXT = st.lists(st.sampled_from([*"0123456789", "-", " ", "+81", "(0)", "(", ")", "〒",
                                        "a", "年", "月", "x"]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_GATE_TEXT, min_size=1, max_size=30))
def test_a_gate_matches_no_cell_with_fewer_digits_than_min_digits(texts):
    from rouei.scanning import gates
    from rouei.scanning.detectors import all_detectors

    cells = pl.Series(texts, dtype=pl.Utf8)
    counts = kernels.digit_counts(cells)
    for gate in {g for d in all_detectors() for g in d.gates}:
        matched = cells.str.contains(gate).fill_null(False)
        assert (counts.filter(matched) >= gates.min_digits(gate)).all(), gate


# digits, "-", and what the phone pattern's other branches are made of
phone_cells = st.lists(st.sampled_from([*"0123456789", "0", "0", "-", "-", "+81", "(0)", "(",
                                        ")", " ", "０", "a"]), max_size=22).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), phone_cells, cells_text), max_size=40))
@example(["090-1234-5678", "0312345678", "03-1234-567", "0" + "1" * 17, "0" + "1" * 18,
          "012345678", "01234567", "00-1234-5678", "+81-90-1234-5678", "(03)1234-5678", ""])
def test_phone_pattern_keys_are_the_pattern_and_the_key(values):
    from rouei.scanning.detectors import phone
    cells = _chunked(values)
    matched = cells.str.contains(phone.COLUMN_PATTERN).fill_null(False)
    expected = kernels.plain_phone_keys(cells).zip_with(matched, pl.Series([None] * len(cells),
                                                                           dtype=pl.Utf8))
    assert kernels.phone_pattern_keys(cells).to_list() == expected.to_list()


def _by_key_pass_and_full_path(header, category, values, by_header):
    """``_match_column``'s matches of one column, with its key pass and with the full path."""
    from rouei.scanning.columns import ColumnClass
    batch = pl.DataFrame({header: pl.Series(values, dtype=pl.Utf8)})
    cls = ColumnClass(header, category, by_header, 1.0)
    fast = engine._match_column(batch, cls)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "_KEY_PASSES", {})
        full = engine._match_column(batch, cls)
    return fast, full


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), phone_cells, st.sampled_from(["電話番号", "090-1234-5678"])),
                min_size=1, max_size=30), st.booleans())
@example(["090-1234-5678", "03-1234-5678", None], True)
@example(["090-1234-5678", "+81-90-1234-5678"], True)
@example(["090-1234-5678", "電話番号"], True)
def test_a_phone_column_matched_by_its_key_pass_is_the_full_path(values, by_header):
    fast, full = _by_key_pass_and_full_path("電話番号", "phone", values, by_header)
    assert fast.valid.to_list() == full.valid.to_list()
    assert fast.count == full.count
    assert fast.key.to_list() == full.key.to_list()
    assert (fast.restored, fast.others) == (full.restored, full.others)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), kana_cells, st.sampled_from(["フリガナ", "ヤマダ タロウ"])),
                min_size=1, max_size=30), st.booleans())
@example(["ヤマダ タロウ", "やまだ はなこ", None], True)
@example(["ヤマダ タロウ", "フリガナ"], True)
@example(["ヤマダ タロウ", "山田"], False)
def test_a_kana_column_matched_by_its_key_pass_is_the_full_path(values, by_header):
    # every filled cell a reading: one pass of kana_pattern_keys; else the full path, as before
    fast, full = _by_key_pass_and_full_path("フリガナ", "name_kana", values, by_header)
    assert fast.valid.to_list() == full.valid.to_list()
    assert fast.count == full.count
    assert fast.key.to_list() == full.key.to_list()
    assert (fast.restored, fast.others) == (full.restored, full.others)
