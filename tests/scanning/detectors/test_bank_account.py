"""Bank account numbers: seven digits (optional branch), only with banking words near."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning.detectors import bank_account

from ._helpers import column_matches, found, full_width


@pytest.mark.parametrize("value, valid", [
    ("1234567", True), ("123-1234567", True), ("123456", True), ("0000000", False),
    ("12345", False), ("12345678", False)])
def test_validate_shapes(value, valid):
    assert bank_account.validate(value) is valid


def test_detect_with_account_words_found():
    assert found("振込先：○○銀行 新宿支店 普通 1234567", "bank_account") == ["1234567"]


def test_detect_with_branch_number_found():
    assert found("口座番号 123-7654321", "bank_account") == ["123-7654321"]


def test_detect_full_width_next_to_kanji_found():
    assert found("口座番号" + full_width("1234567") + "へ", "bank_account") == ["１２３４５６７"]


def test_detect_seven_digits_without_context_not_bank_account():
    assert found("会員数は1234567人", "bank_account") == []


def test_column_pattern_matches_shapes():
    assert column_matches(bank_account.COLUMN_PATTERN, [
        "1234567", "123-1234567", "123456", "12345678"]) == [True, True, True, False]


def test_column_pattern_takes_the_account_type_before_the_number():
    # transfer lists write 預金種目 and number in one cell
    assert column_matches(bank_account.COLUMN_PATTERN, [
        "普通 1234567", "普通1234567", "当座預金 123-1234567", "（普）1234567", "普 0123456",
        "普通 12345678", "普通", "定期 1234567"]) == [True, True, True, True, True, False, False,
                                                     False]
    assert bank_account.validate("普通 1234567")
    assert bank_account.normalise_value("当座 123-1234567") == "123-1234567"


def test_normalise_value_pads_and_keeps_branch():
    assert bank_account.normalise_value("123456") == "0123456"
    assert bank_account.normalise_value("123 1234567") == "123-1234567"


@pytest.mark.parametrize("value", [
    "記号12345 番号12345678", "12345-1234567", "記号:10120 番号:1234561", "ゆうちょ銀行 記号 11230 番号 87654321"])
def test_validate_japan_post_bank_symbol_and_number(value):
    assert bank_account.validate(value)


@pytest.mark.parametrize("value", ["記号1234 番号12345678", "記号12345 番号123456789",
                                   "記号11111 番号11111111"])
def test_validate_rejects_what_is_no_japan_post_bank_account(value):
    assert not bank_account.validate(value)


def test_japan_post_bank_accounts_normalise_apart_from_bank_accounts():
    assert bank_account.normalise_value("記号12345 番号1234561") == "12345-01234561"
    assert bank_account.normalise_value("12345-01234561") == "12345-01234561"


def test_column_pattern_matches_a_whole_bank_string_in_one_cell():
    cells = ["みずほ銀行 渋谷支店 普通 1234567", "みずほ銀行/渋谷支店/普通/1234567",
             "みずほ銀行　渋谷支店　当座　1234567", "城南信用金庫 本店営業部 貯蓄 0123456",
             "三井住友銀行 〇一八支店 普通預金 1234567", "ゆうちょ銀行 記号12345 番号12345678",
             "ゆうちょ銀行 / 記号:12345 / 番号:1234567", "みずほ銀行 渋谷支店 123 1234567",
             "みずほ銀行 渋谷支店 普通 12345678", "渋谷区道玄坂1-2-3"]
    assert column_matches(bank_account.COLUMN_PATTERN, cells) == [True] * 8 + [False, False]


def test_a_whole_bank_string_validates_on_its_account_number():
    assert bank_account.validate("みずほ銀行 渋谷支店 普通 1234567")
    assert bank_account.normalise_value("みずほ銀行 渋谷支店 123 1234567") == "123-1234567"
    assert not bank_account.validate("みずほ銀行 渋谷支店 普通 0000000")


def test_self_evident_pattern_needs_a_banking_word():
    assert column_matches(bank_account.SELF_EVIDENT_PATTERN, [
        "みずほ銀行 渋谷支店 普通 1234567", "記号12345 番号12345678", "普通 1234567", "1234567",
        "123-1234567", "12345-1234567"]) == [True, True, True, False, False, False]


def test_detect_japan_post_bank_account_in_text():
    text = "返金先はゆうちょ銀行 記号12345 番号12345678 でお願いします"
    assert found(text, "bank_account") == ["12345 番号12345678"]


@given(bank=st.sampled_from(["みずほ銀行", "城南信用金庫", "PayPay銀行", "JAバンク", "ゆうちょ"]),
       branch=st.sampled_from(["渋谷支店", "本店営業部", "〇一八店", "123"]),
       kind=st.sampled_from(["普通", "当座", "貯蓄", "普通預金", "(普)"]),
       separator=st.sampled_from([" ", "\u3000", "/", " / ", "／"]),
       number=st.from_regex(r"[0-9]{7}", fullmatch=True).filter(lambda n: len(set(n)) > 1))
def test_any_bank_string_in_one_cell_is_its_account_number(bank, branch, kind, separator,
                                                           number):
    cell = separator.join([bank, branch, kind, number])
    assert column_matches(bank_account.COLUMN_PATTERN, [cell]) == [True]
    assert column_matches(bank_account.SELF_EVIDENT_PATTERN, [cell]) == [True]
    branch_number = f"{branch}-" if branch.isdigit() else ""
    assert bank_account.normalise_value(cell) == f"{branch_number}{number}"
