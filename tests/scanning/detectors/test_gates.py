"""Detector.gates: what a normalised text must contain (checked in polars) for a detector's
``candidates`` to find anything in it. A table's free-text cells that fail every gate are not
looked at, so a gate that refused a text with a candidate would lose a finding: these tests
look for such a text."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning.detectors import _health_vocabulary as vocab
from rouei.scanning.detectors import all_detectors, by_category
from rouei.scanning.normalise import normalise, normalise_cells

# What 備考 cells are made of: numbers in every width and shape, honorifics, labels, context
# words, health and disability terms, kana, kanji, separators, and the characters Python's
# IGNORECASE equates with ASCII letters (ı, İ, ſ, K).
_PIECES = [
    *"0123456789", "０", "９", "-", "－", "ー", " ", "　", "/", ".", "(", ")", "（", "）", "@", "＠",
    "\n", "〒", "+81", "(0)", "090", "03", "1234", "5678", "123-4567", "1234567", "4111111111111111",
    "様", "さん", "殿", "氏", "担当", "氏名", "お名前", "フリガナ", "カナ", "ヤマダ", "タロウ", "ﾔﾏﾀﾞ",
    "山田", "太郎", "花子", "東京都", "千代田区", "千代田", "市", "番地", "丁目", "号", "電話", "TEL",
    "携帯", "メール", "mail", "MAIL", "mobıle", "bırth", "ſtaff", "Kana", "口座", "普通", "支店", "記号",
    "生年月日", "生まれ", "歳", "昭和", "平成", "元", "年", "月", "日", "S", "H", "免許", "旅券", "passport",
    "AB", "マイナンバー", "個人番号", "法人番号", "カード", "糖尿病", "通院", "入院中", "服用", "診断",
    "障害者手帳", "療育手帳", "2級", "B1", "健康診断", "指摘", "血圧", "高い", "と申します", "から",
    "example", ".jp", "a", "Z", "x", "の", "は", "。", "、", "！",
    *vocab.DISEASES[:40:4], *vocab.MEDICAL_CONTEXT[:20:3], *vocab.CERTIFICATES[:6],
]
texts = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map("".join)


def _passes(gates: tuple[str, ...], text: str) -> bool:
    """All gates on the cell as the engine screens it (``normalise_cells``)."""
    cell = normalise_cells(pl.Series([text], dtype=pl.Utf8))
    return all(bool(cell.str.contains(gate)[0]) for gate in gates)


def test_every_detector_has_a_gate():
    assert all(d.gates for d in all_detectors())


def test_gates_compile_in_polars():
    cells = pl.Series(["電話 090-1234-5678", None, ""], dtype=pl.Utf8)
    for detector in all_detectors():
        for gate in detector.gates:
            assert cells.str.contains(gate).len() == 3


@pytest.mark.parametrize("category, text", [
    ("phone", "日中は携帯０９０－１２３４－５６７８へ"),
    ("postal_code", "〒100-0001 東京都"),
    ("email", "領収書はtaro@example.jp宛に"),
    ("person_name", "宛名は山田太郎様で"),
    ("health", "糖尿病で通院中"),
    ("birth_date", "1985年4月1日生まれ"),
])
def test_a_cell_with_the_item_passes_its_gates(category, text):
    assert _passes(by_category(category).gates, text)


@pytest.mark.parametrize("category, text", [
    ("phone", "注文番号7003297490と同梱"),  # 10 digits, not 0-led
    ("postal_code", "注文番号7003297490と同梱"),  # a 7-digit run inside 10 digits
    ("credit_card", "注文番号7003297490と同梱"),
    ("email", "置き配希望"),
])
def test_a_cell_without_the_item_fails_its_gates(category, text):
    assert not _passes(by_category(category).gates, text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_no_text_with_a_candidate_fails_the_gates(text):
    norm = normalise(text).text
    for detector in all_detectors():
        if any(True for _ in detector.candidates(norm)):
            assert _passes(detector.gates, text), (detector.name, text)
