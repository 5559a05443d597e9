"""Health information: a vocabulary of diseases, treatments and medicines, in medical context."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import health

from ._helpers import column_matches, found


def test_vocabulary_is_modest_but_real():
    assert len(set(health.VOCABULARY)) >= 40
    assert len(health.DISEASES) and len(health.TREATMENTS) and len(health.MEDICINES)


@pytest.mark.parametrize("text, terms", [
    ("2020年に糖尿病と診断され、インスリンを処方されている", ["糖尿病", "インスリン"]),
    ("既往歴：高血圧、喘息", ["高血圧", "喘息"]),
    ("うつ病で通院中", ["うつ病"]),
    ("肺がんの治療のため入院", ["肺がん"]),
    ("HIV陽性と診断", ["HIV"]),
    ("週3回の透析で通院", ["透析"]),
])
def test_detect_term_with_medical_context_found(text, terms):
    assert found(text, "health") == terms


@pytest.mark.parametrize("text", [
    "糖尿病予防セミナーのご案内",  # a term, but no medical context word
    "試験に向けてがんばって治療法を調べる",  # がん inside がんばる
    "新しいインスリンポンプの説明書",  # no context word
    "VHIVE社の治療薬",  # HIV inside a longer Latin word
])
def test_detect_without_context_or_inside_word_not_found(text):
    assert found(text, "health") == []


def test_validate_terms_and_cells_with_terms():
    assert health.validate("糖尿病")
    assert health.validate("2型糖尿病、高血圧")
    assert not health.validate("健康")


def test_column_pattern_finds_term_anywhere_in_cell():
    assert column_matches(health.COLUMN_PATTERN, ["糖尿病", "高血圧症（内服中）", "COVID-19", "なし"]) == [
        True, True, True, False]


def test_normalise_value_is_case_folded():
    assert health.normalise_value("ＨＩＶ") == "hiv"
