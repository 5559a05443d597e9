"""Credit-card numbers: Luhn, brand ranges, groupings, and order numbers that are not cards."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import credit_card

from ._helpers import column_matches, found, full_width, luhn_complete, wrong_check_digit

# Published test numbers (card networks' and payment processors' documentation).
PUBLISHED = ["4111111111111111", "5555555555554444", "2223003122003222", "378282246310005",
             "3530111333300000", "30569309025904", "6011111111111117"]


@pytest.mark.parametrize("number", PUBLISHED)
def test_luhn_helper_on_published_numbers_agrees(number):
    assert luhn_complete(number[:-1]) == number
    assert credit_card.validate(number)


@pytest.mark.parametrize("prefix, length, brand", [
    ("4", 16, "visa"), ("4", 13, "visa"), ("51", 16, "mastercard"), ("2720", 16, "mastercard"),
    ("34", 15, "amex"), ("37", 15, "amex"), ("3528", 16, "jcb"), ("3589", 19, "jcb"),
    ("36", 14, "diners"), ("300", 14, "diners"), ("305", 16, "diners"),
    ("6011", 16, "discover"), ("65", 16, "discover"),
])
def test_validate_generated_number_of_each_brand_is_card(prefix, length, brand):
    number = luhn_complete(prefix + "3141592653589793"[: length - len(prefix) - 1])
    assert credit_card.brand(number) == brand
    assert credit_card.validate(number)


@pytest.mark.parametrize("number", [
    wrong_check_digit("4111111111111111"),  # Luhn fails
    "1234567890123452",  # Luhn holds, no brand starts with 1
    luhn_complete("2220" + "00000000000"),  # just below Mastercard's 2221
    luhn_complete("4" + "1" * 13),  # Visa of 15 digits
    "0000000000000000",
])
def test_validate_luhn_or_brand_failure_is_not_card(number):
    assert not credit_card.validate(number)


def test_detect_card_in_sentence_with_spaces_found():
    text = "カード番号 4111 1111 1111 1111 有効期限 12/28"
    assert found(text, "credit_card") == ["4111 1111 1111 1111"]


@pytest.mark.parametrize("written", ["4111-1111-1111-1111", "4111111111111111",
                                     "3782 822463 10005"])
def test_detect_card_groupings_found(written):
    assert found(f"お支払いカード:{written}", "credit_card") == [written]


def test_detect_full_width_card_maps_to_original():
    text = "カード番号：" + full_width("4111-1111-1111-1111") + "です"
    assert found(text, "credit_card") == [full_width("4111-1111-1111-1111")]


def test_detect_card_next_to_kanji_found():
    assert found("番号5555555555554444を登録", "credit_card") == ["5555555555554444"]


def test_detect_order_number_failing_luhn_not_card():
    order = wrong_check_digit("4111111111111111")
    assert found(f"注文番号 {order} の商品", "credit_card") == []


def test_detect_mixed_separators_not_card():
    assert found("4111 1111-1111 1111", "credit_card") == []


def test_detect_longer_digit_run_not_card():
    assert found("伝票 41111111111111110 番", "credit_card") == []


def test_column_pattern_accepts_groupings_and_rejects_text():
    assert column_matches(credit_card.COLUMN_PATTERN, [
        "4111 1111 1111 1111", "4111-1111-1111-1111", "3782-822463-10005",
        full_width("4111-1111-1111-1111"), "abcd", "4111"]) == [True] * 4 + [False] * 2


def test_normalise_value_is_digits_only():
    assert credit_card.normalise_value("4111-1111 1111-1111") == "4111111111111111"
