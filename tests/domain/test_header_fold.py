"""Headers written the way Japanese exports write them (会員名簿, 顧客台帳): spaced out to line up
(氏　名, 電 話 番 号), in full width, and with a bracketed qualifier (氏名（漢字）, 電話番号（携帯）).
The catalogue reads them one way (``items.fold_header``); a qualifier that names a reading or
another person is never dropped."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rouei.domain.items import (
    HARMLESS_HEADER_QUALIFIERS,
    READING_HEADER_QUALIFIERS,
    alias_index,
    fold_header,
)

SPACES = ("", " ", "\u3000", "  ", "\u3000\u3000")
BRACKETS = (("（", "）"), ("(", ")"), ("【", "】"), ("［", "］"), ("[", "]"), ("＜", "＞"))
# Qualifiers that name another person or party: the column is theirs, not the person's own.
OTHER_PARTIES = ("保護者", "担当", "担当者", "緊急連絡先", "勤務先", "会社", "家族", "配偶者",
                 "代理人", "紹介者", "保証人", "連帯保証人", "世帯主", "請求先", "法人")
OWN_ALIASES = sorted({alias for alias in alias_index() if not alias.isascii()})
_KANA_AND_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")


@pytest.mark.parametrize(("header", "item"), [
    ("氏\u3000名", "person_name"),
    ("住\u3000所", "address"),
    ("電 話 番 号", "phone"),
    ("氏名（漢字）", "person_name"),
    ("電話番号（携帯）", "phone"),
    ("メールアドレス（PC）", "email"),
    ("郵便番号（〒）", "postal_code"),
    ("【必須】氏名", "person_name"),
    ("電話番号（携帯）（必須）", "phone"),
    ("ＴＥＬ（自宅）", "phone"),
    ("フリガナ（全角カナ）", "name_kana"),
])
def test_a_header_as_exports_write_it_names_the_item(header, item):
    assert alias_index().get(fold_header(header)) == item


@pytest.mark.parametrize("header", ["氏名（全角カナ）", "氏名（フリガナ）", "氏名（ふりがな）",
                                    "氏名【カナ】"])
def test_a_name_with_a_reading_qualifier_is_a_reading_not_a_name(header):
    assert alias_index().get(fold_header(header)) == "name_kana"


@pytest.mark.parametrize("header", ["保護者氏名", "氏名（保護者）", "電話番号（緊急連絡先）",
                                    "電話番号（勤務先）", "住所（会社）", "（担当）氏名",
                                    "電話番号（保護者）（携帯）"])
def test_a_header_naming_another_party_names_no_item(header):
    assert alias_index().get(fold_header(header)) is None


def test_a_space_between_latin_words_stays():
    assert fold_header("E Mail") == "e mail"


@given(st.text())
def test_folding_is_idempotent(header):
    folded = fold_header(header)
    assert fold_header(folded) == folded


_JAPANESE_AND_LATIN = st.characters(codec="utf-8", categories=("Lo", "Lu", "Ll", "Nd", "Zs"))


@given(alias=st.sampled_from(OWN_ALIASES), spaces=st.sampled_from(SPACES),
       qualifiers=st.lists(st.sampled_from(sorted(HARMLESS_HEADER_QUALIFIERS | {"PC", "ＰＣ"})),
                           max_size=3),
       brackets=st.sampled_from(BRACKETS), leading=st.booleans())
def test_spaces_and_harmless_qualifiers_keep_an_alias_s_item(alias, spaces, qualifiers,
                                                              brackets, leading):
    spaced = spaces.join(alias) if _KANA_AND_KANJI.fullmatch(alias) else alias
    marks = "".join(f"{brackets[0]}{q}{brackets[1]}" for q in qualifiers)
    header = marks + spaced if leading else spaced + marks
    assert alias_index().get(fold_header(header)) == alias_index()[alias]


@given(alias=st.sampled_from(OWN_ALIASES), party=st.sampled_from(OTHER_PARTIES),
       harmless=st.lists(st.sampled_from(sorted(HARMLESS_HEADER_QUALIFIERS)), max_size=2),
       brackets=st.sampled_from(BRACKETS), leading=st.booleans())
def test_a_qualifier_naming_another_party_is_never_dropped(alias, party, harmless, brackets,
                                                           leading):
    marks = [f"{brackets[0]}{q}{brackets[1]}" for q in [party, *harmless]]
    header = "".join(marks) + alias if leading else alias + "".join(marks)
    assert alias_index().get(fold_header(header)) is None


@given(alias=st.sampled_from(OWN_ALIASES),
       qualifier=st.text(_JAPANESE_AND_LATIN, min_size=1, max_size=6))
def test_a_qualifier_not_in_the_lists_is_kept(alias, qualifier):
    words = fold_header(qualifier)
    assume(words not in HARMLESS_HEADER_QUALIFIERS and words not in READING_HEADER_QUALIFIERS)
    assert fold_header(f"{alias}（{qualifier}）") != fold_header(alias)


@pytest.mark.parametrize(("header", "item"), [
    ("氏名※必須", "person_name"),
    ("氏名※", "person_name"),
    ("電話番号 ※任意", "phone"),
    ("氏名 *", "person_name"),
    ("＊メールアドレス", "email"),
    ("※住所", "address"),
])
def test_a_web_forms_required_mark_outside_brackets_is_dropped(header, item):
    assert alias_index().get(fold_header(header)) == item


@pytest.mark.parametrize("header", ["name (kana)", "Name (Kana)", "name(furigana)",
                                    "Name (Reading)", "お名前（フリガナ）"])
def test_a_name_header_with_an_english_or_any_reading_qualifier_is_a_reading(header):
    assert alias_index().get(fold_header(header)) == "name_kana"


@pytest.mark.parametrize("header", ["*", "※", "＊＊"])
def test_a_mark_alone_is_kept_as_the_header(header):
    assert fold_header(header) != ""
