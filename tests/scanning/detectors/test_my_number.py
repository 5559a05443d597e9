"""My Number: the check digit of the Enforcement Order, decoys and Japanese surroundings."""

from __future__ import annotations

import random

import pytest

from rouei.scanning.detectors import my_number

from ._helpers import (
    categories,
    column_matches,
    drivers_license_complete,
    found,
    full_width,
    my_number_complete,
    wrong_check_digit,
)

VALID = "123456789018"  # the example number used in public descriptions of the check digit


def test_helper_and_detector_agree_on_published_example():
    assert my_number_complete("12345678901") == VALID
    assert my_number.check_digit("12345678901") == 8


def test_validate_random_generated_numbers_are_my_numbers():
    rng = random.Random(4)
    for _ in range(200):
        number = my_number_complete("".join(rng.choice("0123456789") for _ in range(11)))
        assert my_number.validate(number), number
        assert not my_number.validate(wrong_check_digit(number)), number


@pytest.mark.parametrize("value", ["000000000000", "111111111111", "12345678901", "1234567890123"])
def test_validate_placeholder_or_wrong_length_is_not_my_number(value):
    assert not my_number.validate(value)


def test_detect_in_sentence_found():
    assert found(f"お客様のマイナンバーは{VALID}です。", "my_number") == [VALID]


def test_detect_with_hyphens_and_spaces_found():
    assert found("個人番号 1234-5678-9018", "my_number") == ["1234-5678-9018"]
    assert found("個人番号 1234 5678 9018", "my_number") == ["1234 5678 9018"]


def test_detect_full_width_found_with_original_offsets():
    text = "個人番号：" + full_width(VALID)
    assert found(text, "my_number") == [full_width(VALID)]


def test_detect_next_to_kanji_without_context_found():
    assert found(f"番号{VALID}を確認", "my_number") == [VALID]


def test_detect_wrong_check_digit_not_my_number():
    assert found(f"マイナンバー{wrong_check_digit(VALID)}", "my_number") == []


def test_detect_order_number_with_valid_check_digit_excluded():
    assert found(f"注文番号：{VALID}", "my_number") == []


def test_detect_inside_longer_digit_run_not_my_number():
    assert "my_number" not in categories(f"9{VALID}")
    assert "my_number" not in categories(f"{VALID}9")


def test_column_pattern_matches_twelve_digits_only():
    assert column_matches(my_number.COLUMN_PATTERN, [
        VALID, "1234-5678-9018", full_width(VALID), "12345678901", "1234567890180"]) == [
        True, True, True, False, False]


def test_normalise_value_is_digits_only():
    assert my_number.normalise_value("１２３４－５６７８－９０１８") == VALID


def test_detect_in_licence_context_not_my_number():
    licence = drivers_license_complete("3090123456")
    bad_licence_valid_my_number = my_number_complete(wrong_check_digit(licence, 10)[:11])
    assert found(f"免許証番号 {bad_licence_valid_my_number}", "my_number") == []
