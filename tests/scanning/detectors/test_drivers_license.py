"""Driver's licence numbers: commission code, the publicly described check digit, context."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import drivers_license

from ._helpers import column_matches, drivers_license_complete, found, full_width, wrong_check_digit

# Worked examples of the check digit in public descriptions (see the module docstring).
EXAMPLES = ["309012345620", "459803358720"]


@pytest.mark.parametrize("number", EXAMPLES)
def test_helper_and_detector_agree_on_published_examples(number):
    assert drivers_license_complete(number[:10]) == number
    assert drivers_license.validate(number)


@pytest.mark.parametrize("number", [
    wrong_check_digit(EXAMPLES[0], 10),  # check digit wrong
    drivers_license_complete("1590123456"),  # 15 is no commission code
    drivers_license_complete("0090123456"),
    "30901234562",
])
def test_validate_wrong_check_commission_or_length_invalid(number):
    assert not drivers_license.validate(number)


def test_detect_with_licence_word_found():
    assert found(f"運転免許証番号：{EXAMPLES[0]}", "drivers_license") == [EXAMPLES[0]]


def test_detect_full_width_next_to_kanji_found():
    text = "免許証番号" + full_width(EXAMPLES[1]) + "を提示"
    assert found(text, "drivers_license") == [full_width(EXAMPLES[1])]


def test_detect_without_licence_word_not_drivers_license():
    assert found(f"番号 {EXAMPLES[0]}", "drivers_license") == []


def test_detect_wrong_check_digit_with_context_not_found():
    assert found(f"免許証 {wrong_check_digit(EXAMPLES[0], 10)}", "drivers_license") == []


def test_column_pattern_matches_twelve_digits():
    assert column_matches(drivers_license.COLUMN_PATTERN, [EXAMPLES[0], "3090-1234-5620",
                                                           "30901234562"]) == [True, True, False]


def test_normalise_value_is_digits():
    assert drivers_license.normalise_value(full_width(EXAMPLES[0])) == EXAMPLES[0]
