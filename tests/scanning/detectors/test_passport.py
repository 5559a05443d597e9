"""Japanese passport numbers: two letters and seven digits, only with a passport word."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import passport

from ._helpers import column_matches, found, full_width


@pytest.mark.parametrize("value, valid", [
    ("TK1234567", True), ("mz7654321", True), ("TK0000000", False), ("T1234567", False),
    ("TK123456", False), ("TKK1234567", False)])
def test_validate_shapes(value, valid):
    assert passport.validate(value) is valid


def test_detect_with_passport_word_found():
    assert found("旅券番号：TK1234567", "passport") == ["TK1234567"]


def test_detect_full_width_next_to_kanji_found():
    assert found("パスポート番号" + full_width("TK1234567") + "で予約", "passport") == [
        full_width("TK1234567")]


def test_detect_product_code_without_context_not_passport():
    assert found("型番 AB1234567 の部品", "passport") == []


def test_detect_inside_longer_code_not_passport():
    assert found("パスポート XTK1234567", "passport") == []


def test_column_pattern_matches_shape():
    assert column_matches(passport.COLUMN_PATTERN, ["TK1234567", "tk1234567", "TK12345678"]) == [
        True, True, False]


def test_normalise_value_is_upper_case():
    assert passport.normalise_value("ｔｋ1234567") == "TK1234567"
