"""Disability (障害): the certificates of GL 2-3, kinds of disability, aids; not notices."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import disability

from ._helpers import column_matches, found


def test_vocabulary_has_the_three_certificates_of_the_guideline():
    assert {"身体障害者手帳", "療育手帳", "精神障害者保健福祉手帳"} <= set(disability.CERTIFICATES)


@pytest.mark.parametrize("text, terms", [
    ("身体障害者手帳2級を所持", ["身体障害者手帳2級"]),
    ("療育手帳B1", ["療育手帳B1"]),  # a grade says it of someone: no context word needed
    ("精神障害者保健福祉手帳の交付を受けている", ["精神障害者保健福祉手帳"]),
    ("発達障害と診断されている", ["発達障害"]),
    ("車椅子を利用されている田中様", ["車椅子"]),
    ("障害等級は3級と認定", ["障害等級"]),
])
def test_detect_disability_found(text, terms):
    assert found(text, "disability") == terms


@pytest.mark.parametrize("text", [
    "障害者手帳をお持ちの方は入館料が割引になります",
    "車椅子の貸し出しについてのご案内",  # no context word
    "システム障害が発生し通院予約が取れません",
    "障害者手帳",  # a bare word
])
def test_detect_notice_or_bare_word_not_found(text):
    assert found(text, "disability") == []


def test_validate_and_column_pattern():
    assert disability.validate("療育手帳A")
    assert not disability.validate("通信障害")
    assert column_matches(disability.COLUMN_PATTERN, ["身体障害者手帳1級", "療育手帳", "なし"]) == [
        True, True, False]


def test_normalise_value_is_nfkc():
    assert disability.normalise_value("療育手帳Ｂ１") == "療育手帳b1"
