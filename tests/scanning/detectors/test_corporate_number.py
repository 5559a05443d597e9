"""Corporate numbers: recognised only to be kept out of personal-data items."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import corporate_number

from ._helpers import (
    column_matches,
    corporate_number_complete,
    found,
    luhn_complete,
    wrong_check_digit,
)

# 国税庁 and トヨタ自動車, from the 国税庁法人番号公表サイト.
PUBLISHED = ["7000012050002", "1180301018771"]


@pytest.mark.parametrize("number", PUBLISHED)
def test_helper_and_detector_agree_on_published_numbers(number):
    assert corporate_number_complete(number[1:]) == number
    assert corporate_number.validate(number)


@pytest.mark.parametrize("number", [wrong_check_digit(PUBLISHED[0], 0), "0000000000000",
                                    "700001205000"])
def test_validate_wrong_check_or_length_is_not_corporate_number(number):
    assert not corporate_number.validate(number)


def test_category_is_none_so_never_reported():
    assert corporate_number.CATEGORY is None
    assert found(f"法人番号{PUBLISHED[0]}の会社") == []


def test_detect_thirteen_digits_valid_as_both_card_and_corporate_number_not_card():
    # Found by search: a 13-digit Visa-shaped number that passes Luhn and is also a valid
    # corporate number (rare: both hold only when the Luhn sum is 0 mod 90).
    number = "4699769368999"
    assert corporate_number_complete(number[1:]) == number
    assert luhn_complete(number[:-1]) == number
    assert found(f"取引先 {number}") == []


def test_detect_corporate_number_next_to_kanji_hides_nothing_else():
    assert found(f"番号{PUBLISHED[1]}です") == []


def test_column_pattern_matches_thirteen_digits():
    assert column_matches(corporate_number.COLUMN_PATTERN, [PUBLISHED[0], "123"]) == [True, False]


def test_normalise_value_is_digits_only():
    assert corporate_number.normalise_value("７０００ ０１２０ ５０００２") == PUBLISHED[0]
