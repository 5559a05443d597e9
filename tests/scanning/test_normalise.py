"""normalise(): NFKC plus dash and space folding, with offsets back to the original text."""

from __future__ import annotations

import re
import unicodedata

import polars as pl
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from rouei.scanning.normalise import DASHES, SPACES, normalise, normalise_column

FOLD = str.maketrans(dict.fromkeys(DASHES, "-"))
_SPACE = re.compile(f"[{SPACES}]")


def _fold(text: str) -> str:
    """Normalised text with every dash as "-" (the between-digits rule needs the neighbours,
    which a re-normalised slice may not have)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(FOLD))


@pytest.mark.parametrize("original, text", [
    ("０９０－１２３４－５６７８", "090-1234-5678"),
    ("03−1234−5678", "03-1234-5678"),
    ("090ー1234ー5678", "090-1234-5678"),
    ("03ｰ1234ｰ5678", "03-1234-5678"),
    ("1‐2‒3–4—5―6﹣7", "1-2-3-4-5-6-7"),
    ("山田　太郎", "山田 太郎"),
    ("〒１００－０００１", "〒100-0001"),
    ("㍻元年", "平成元年"),
    ("㈱山田", "(株)山田"),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),
    ("℡03", "TEL03"),
])
def test_normalise_japanese_forms_canonical(original, text):
    assert normalise(original).text == text


def test_normalise_long_vowel_mark_in_words_kept():
    assert normalise("ラーメン ー 1ー").text == "ラーメン ー 1ー"


def test_normalise_ascii_is_identity_fast_path():
    norm = normalise("TEL 03-1234-5678")
    assert norm.is_identity and norm.text == "TEL 03-1234-5678"
    assert norm.to_original(4, 16) == (4, 16)


def test_normalise_already_nfkc_with_dashes_keeps_identity_map():
    norm = normalise("電話03−1234−5678")
    assert norm.is_identity and norm.text == "電話03-1234-5678"


def test_to_original_expansion_maps_to_the_one_character():
    norm = normalise("生年月日㍼60年")
    start = norm.text.index("昭和")
    assert norm.to_original(start, start + 2) == (4, 5)
    assert norm.to_original(start + 1, start + 2) == (4, 5)  # 和 alone: still ㍼


def test_to_original_merge_maps_to_both_characters():
    norm = normalise("ｶﾞｷﾞ")
    assert norm.text == "ガギ"
    assert norm.to_original(0, 1) == (0, 2)
    assert norm.to_original(1, 2) == (2, 4)


def test_to_original_full_width_number_maps_to_same_span():
    original = "電話：０９０－１２３４－５６７８です"
    norm = normalise(original)
    start = norm.text.index("090")
    s, e = norm.to_original(start, start + len("090-1234-5678"))
    assert original[s:e] == "０９０－１２３４－５６７８"


def test_to_original_empty_span_and_end_of_text():
    norm = normalise("㍻")
    assert norm.to_original(0, 0) == (0, 0)
    assert norm.to_original(2, 2) == (1, 1)


def test_to_original_span_outside_text_rejected():
    with pytest.raises(ValueError):
        normalise("ａｂ").to_original(1, 5)


def test_normalise_combining_marks_and_hangul_compose():
    assert normalise("か\u3099").text == "が"
    assert normalise("ᄀ\u1161").text == "가"
    assert normalise("ㄱㅏ").text == unicodedata.normalize("NFKC", "ㄱㅏ")


TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from(list(
        "0123456789０１２３４５６７８９－ー−‐―ｰ﹣ 　〒㍻㍼㈱℡ｶﾞﾊﾟかは\u3099\u309a\u0301eé"
        "ᄀ\u1161\u11a8ㄱㅏ山田様ab")), max_size=60),
)


@given(TEXTS, st.data())
@example("ｶﾞ", None)
@example("㍻", None)
def test_to_original_any_span_maps_into_original_and_covers_it(original, data):
    norm = normalise(original)
    assert _fold(norm.text) == _fold(original)
    n = len(norm.text)
    if data is None:
        spans = [(s, e) for s in range(n + 1) for e in range(s, n + 1)]
    else:
        start = data.draw(st.integers(0, n))
        spans = [(start, data.draw(st.integers(start, n)))]
    for start, end in spans:
        s, e = norm.to_original(start, end)
        assert 0 <= s <= e <= len(original)
        assert _fold(norm.text[start:end]) in _fold(original[s:e])
        if start < end:
            assert s < e


@given(TEXTS)
def test_to_original_whole_text_is_whole_original(original):
    norm = normalise(original)
    assert norm.to_original(0, len(norm.text)) == (0, len(original)) or not norm.text


def test_normalise_column_matches_python_normal_form_on_cells():
    cells = ["０９０－１２３４－５６７８", " 03−1234−5678 ", "山田　太郎", "1ー2ー3", "ラーメン"]
    out = pl.select(normalise_column(pl.lit(pl.Series(cells)))).to_series().to_list()
    assert out == [normalise(c).text.strip() for c in cells]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=20),
                          st.sampled_from(["０９０－１２３４－５６７８", "山田\u3000太郎", " 03ー1234ー5678 ",
                                           "ｶﾀｶﾅ", "㈱テスト", "a@b.jp"])), max_size=30))
def test_normalise_cells_equals_normalise_column_on_every_cell(cells):
    import polars as pl

    from rouei.scanning.normalise import normalise_cells, normalise_column

    series = pl.Series("c", cells, dtype=pl.Utf8)
    fast = normalise_cells(series).to_list()
    full = pl.select(normalise_column(pl.lit(series))).to_series().to_list()
    assert fast == full


def test_composing_starters_list_matches_this_pythons_unicode_data():
    from rouei.scanning.normalise import _COMPOSING_STARTERS, composing_starters

    assert composing_starters() == _COMPOSING_STARTERS


# Japanese text with full-width digits and letters: normalise's one-for-one path.
_WIDE_PIECES = ["０", "９", "－", "Ａ", "ｚ", "＠", "（", "）", "　", "〒", "×", "〜", "ー", "・", "、", "。",
                "「", "」", "山田", "たろう", "タロウ", "々", "1", "a", " ", "-", "ｶﾞ", "㍻", "é", "\u3099"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WIDE_PIECES), max_size=15).map("".join), st.data())
@example("０９０－１２３４－５６７８", None)
def test_one_for_one_path_gives_what_segmenting_gives(original, data):
    from rouei.scanning.normalise import _PLAIN, _WIDE_TO_ASCII, _segmented

    assume(not unicodedata.is_normalized("NFKC", original)
           and _PLAIN.fullmatch(original.translate(_WIDE_TO_ASCII)))
    quick, slow = normalise(original), _segmented(original)
    assert quick.text == slow.text
    for start in range(len(quick.text) + 1):
        for end in range(start, len(quick.text) + 1):
            assert quick.to_original(start, end) == slow.to_original(start, end)


def test_plain_characters_are_their_own_normal_form_and_join_nothing():
    from rouei.scanning.normalise import _PLAIN, _joins_previous

    plain = [chr(c) for c in range(0x10000) if _PLAIN.fullmatch(chr(c))]
    assert [c for c in plain if unicodedata.normalize("NFKC", c) != c or _joins_previous(c)] == []
