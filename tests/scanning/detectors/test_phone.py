"""Japanese phone numbers: number kinds, groupings, +81, full-width and Japanese surroundings."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import phone

from ._helpers import categories, column_matches, found, full_width


@pytest.mark.parametrize("number, kind", [
    ("03-1234-5678", "fixed"), ("011-123-4567", "fixed"), ("0123-45-6789", "fixed"),
    ("01234-5-6789", "fixed"), ("0312345678", "fixed"), ("03(1234)5678", "fixed"),
    ("(03)1234-5678", "fixed"), ("03 1234 5678", "fixed"),
    ("090-1234-5678", "mobile"), ("080-1234-5678", "mobile"), ("07012345678", "mobile"),
    ("050-1234-5678", "ip"), ("0120-123-456", "toll_free"), ("0800-123-4567", "toll_free"),
    ("0570-123-456", "navi_dial"),
    ("+81-90-1234-5678", "mobile"), ("+81 3 1234 5678", "fixed"), ("+81(0)3-1234-5678", "fixed"),
])
def test_validate_japanese_number_kinds_valid(number, kind):
    assert phone.validate(number)
    assert phone.kind(phone.normalise_value(number)) == kind


@pytest.mark.parametrize("number", [
    "090-1234-567",  # mobile with 10 digits
    "03-1234-56789",  # fixed with 11 digits
    "0120-1234-5678",  # toll-free with 12 digits
    "00-1234-5678",  # international prefix
    "020-1234-5678",  # M2M range
    "03-123-45678",  # fixed: area + exchange must be 6 digits, subscriber 4
    "090-12-3456789",  # mobile grouping
    "69-0743-9150",  # no leading 0
])
def test_validate_impossible_numbers_invalid(number):
    assert not phone.validate(number)


def test_detect_next_to_kanji_without_separators_found():
    assert found("電話番号09012345678です", "phone") == ["09012345678"]


def test_detect_full_width_with_full_width_hyphens_found():
    text = "ＴＥＬ：" + full_width("090-1234-5678")
    assert found(text, "phone") == ["０９０－１２３４－５６７８"]


def test_detect_long_vowel_mark_as_dash_found():
    assert found("携帯 090ー1234ー5678 まで", "phone") == ["090ー1234ー5678"]


@pytest.mark.parametrize("dash", ["‐", "‒", "–", "—", "―", "−", "ｰ", "﹣", "－"])
def test_detect_any_dash_variant_between_digits_found(dash):
    number = f"03{dash}1234{dash}5678"
    assert found(f"連絡先{number}", "phone") == [number]


def test_detect_in_sentence_with_international_form_found():
    assert found("海外からは+81-3-1234-5678へお電話ください。", "phone") == ["+81-3-1234-5678"]


def test_detect_two_numbers_in_a_row_both_found():
    assert found("TEL 03-1234-5678 / 090-8765-4321") == ["03-1234-5678", "090-8765-4321"]


def test_detect_order_number_shaped_like_phone_excluded():
    assert found("注文番号 0312345678", "phone") == []


def test_detect_short_number_after_kanji_not_phone():
    assert categories("番号1234") == []


def test_detect_inside_longer_number_not_phone():
    assert found("09012345678901", "phone") == []


def test_column_pattern_matches_formats():
    assert column_matches(phone.COLUMN_PATTERN, [
        "03-1234-5678", "+81 90 1234 5678", "(03)1234-5678", full_width("090-1234-5678"),
        "abc", "1234"]) == [True] * 4 + [False] * 2


def test_normalise_value_is_domestic_digits():
    assert phone.normalise_value("+81-90-1234-5678") == "09012345678"
    assert phone.normalise_value("０３（１２３４）５６７８") == "0312345678"
