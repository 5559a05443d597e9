"""Postal codes: NNN-NNNN anywhere; seven bare digits only with 〒 or a postal word."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import postal_code

from ._helpers import column_matches, found, full_width


@pytest.mark.parametrize("value, valid", [
    ("100-0001", True), ("1000001", True), ("〒100-0001", True), ("000-0001", False),
    ("100-001", False), ("10000011", False)])
def test_validate_shapes(value, valid):
    assert postal_code.validate(value) is valid


def test_detect_hyphenated_in_sentence_found():
    assert found("郵便番号は100-0001です", "postal_code") == ["100-0001"]


def test_detect_after_postal_mark_found():
    assert found("〒100-0001 東京都千代田区", "postal_code") == ["100-0001"]


def test_detect_bare_seven_digits_with_mark_found():
    assert found("〒1000001", "postal_code") == ["1000001"]


def test_detect_bare_seven_digits_without_context_not_found():
    assert found("受付 1000001 件", "postal_code") == []


def test_detect_full_width_found():
    assert found("〒" + full_width("100-0001"), "postal_code") == ["１００－０００１"]


def test_detect_next_to_kanji_found():
    assert found("住所〒530-0001大阪府", "postal_code") == ["530-0001"]


def test_detect_part_of_phone_number_not_postal_code():
    assert found("03-123-4567 / 123-4567-8901", "postal_code") == []


def test_column_pattern_matches_with_and_without_mark():
    assert column_matches(postal_code.COLUMN_PATTERN, [
        "100-0001", "〒100-0001", "1000001", full_width("100-0001"), "100-00012"]) == [
        True, True, True, True, False]


def test_normalise_value_is_hyphenated():
    assert postal_code.normalise_value("〒1000001") == "100-0001"


def test_column_pattern_takes_a_space_for_the_hyphen():
    assert column_matches(postal_code.COLUMN_PATTERN, [
        "100 0001", "〒100 0001", "100  0001", "1000 001"]) == [True, True, False, False]
