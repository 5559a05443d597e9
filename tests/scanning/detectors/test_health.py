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


# The phrasings of the guideline's categories (GL 2-3: 病歴, 診療・調剤, 受診の事実).
@pytest.mark.parametrize("text, terms", [
    ("昨年、逆流性食道炎と診断されている", ["逆流性食道炎"]),  # not in the list: by its shape
    ("線維筋痛症と診断された", ["線維筋痛症"]),
    ("心療内科に通院しています", ["心療内科"]),
    ("精神科に通っている", ["精神科"]),
    ("血圧の薬を飲んでいる", ["血圧の薬"]),
    ("毎朝デパスを服用", ["デパス"]),
    ("現在妊娠12週目です", ["妊娠"]),
    ("田中様は妊娠中のため重い荷物は不可", ["妊娠中"]),
    ("母がてんかんで通院", ["てんかん"]),
    ("社員がうつ病で休職", ["うつ病"]),
    ("がんが見つかり入院", ["がん"]),
    ("既往歴：痛風", ["痛風"]),
])
def test_detect_guideline_phrasings_found(text, terms):
    assert found(text, "health") == terms


# A product, a notice, a seminar or small talk is about no one.
@pytest.mark.parametrize("text", [
    "妊娠中の方はご使用をお控えください",
    "糖尿病の治療中の場合は医師にご相談ください",
    "当社は糖尿病治療薬を開発しています",
    "本製品は高血圧の改善に役立つ成分を配合",
    "健康のためにウォーキングを始めました",
    "入院中の方へのお見舞い品のご案内",
    "大学病院で診察",  # 大学病 is no disease
    "ブログが大炎上して病院の話題に",
    "わたしはしかたなく病院へ",
])
def test_detect_generic_or_small_talk_not_found(text):
    assert found(text, "health") == []


def test_plausible_keeps_a_named_person_in_a_notice_like_sentence():
    text = "山田様の場合は糖尿病で通院中"
    start = text.index("糖尿病")
    assert health.plausible(text, start, start + 3)


def test_validate_terms_and_cells_with_terms():
    assert health.validate("糖尿病")
    assert health.validate("2型糖尿病、高血圧")
    assert not health.validate("健康")
    assert health.validate("逆流性咽頭炎")
    assert not health.validate("発症")


def test_column_pattern_finds_term_anywhere_in_cell():
    assert column_matches(health.COLUMN_PATTERN, ["糖尿病", "高血圧症（内服中）", "COVID-19", "なし"]) == [
        True, True, True, False]


def test_normalise_value_is_case_folded():
    assert health.normalise_value("ＨＩＶ") == "hiv"
