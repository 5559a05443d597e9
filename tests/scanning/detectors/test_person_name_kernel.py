"""The person-name frames' anchor scanner (rouei/scanning/_names.c) finds what the pattern's
``finditer`` finds, and the free-text detection with it finds the same names as without it."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.scanning.detectors import (
    _text_regex,
    by_category,
    detect_cells,
    detect_text,
    person_name,
)

pytestmark = pytest.mark.skipif(person_name._names is None, reason="built without _names")

REGEX, GROUPS = _text_regex(person_name.TEXT_PATTERN)

# The frames' parts, and the near misses around them.
PARTS = (
    "山田", "太郎", "山田太郎", "山田 太郎", "佐藤花子", "林", "森", "高橋一郎次郎三郎", "はるか", "くみ子",
    "田中はるか", "様", "さん", "さま", "殿", "氏", "氏名", "と申します", "と申し上げます",
    "でございます", "です。", "が承りました", "が対応", "部長", "課長", "支店長", "社長", *person_name.LABELS,
    ":", ": ", " ", "  ", "】", "]", "【", "の", "サポート", "センター", "窓口", "担当", "営業部", "総務課",
    "カスタマー", "ー", "From: ", "To:", "Cc: ", "差出人:", "<a@example.jp>", ">,", ", ", "\n",
    "お客様", "お届け先", "住所", "電話", "備考", "お願いします", "よろしく", "。", "、", "(", ")",
    "123", "090-1234-5678", "Taro Yamada", "John Smith", "株式会社", "商事", "ことり堂", "は", "が",
    "から", "に", "へ", "を", "ア", "カ", "ン", "々", "〆", "ヶ", "髙橋", "﨑", "𠮷田", "豈", "㐀",
)
texts = st.lists(st.sampled_from(PARTS), max_size=14).map("".join)


def finditer_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in REGEX.finditer(text):
        number = next((REGEX.groupindex[g] for g in GROUPS if m.group(g) is not None), 0)
        spans.append(m.span(number))
    return spans


@settings(max_examples=3000, deadline=None)
@given(texts)
@example("お届け先:山田太郎様")
@example("担当の山本が承りました。宛名:林 はるかさん")
@example("From: 山田 太郎 <t@example.jp>, 佐藤 花子 <h@example.jp>")
@example("私、山田と申します。カスタマーサポートの林でございます")
def test_the_kernel_finds_what_finditer_finds(text: str) -> None:
    assert [(s, e) for _, s, e in person_name.find_spans([text], REGEX, GROUPS)] == \
        finditer_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=8))
def test_the_kernel_numbers_each_text(batch: list[str]) -> None:
    expected = [(i, s, e) for i, text in enumerate(batch) for s, e in finditer_spans(text)]
    assert person_name.find_spans(batch, REGEX, GROUPS) == expected


def test_the_kernel_asks_the_pattern_at_fewer_places_than_every_character() -> None:
    text = "本日は晴天なり。配送は午前中を希望します。お届け先:山田太郎様"
    assert len(person_name._names.starts(text)) < 3


@settings(max_examples=500, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6))
def test_detection_with_the_kernel_is_detection_without_it(batch: list[str]) -> None:
    detector = by_category("person_name")
    with_kernel = detect_cells(batch)
    try:  # the pattern over the texts joined, as before the kernel
        object.__setattr__(detector, "find_spans", None)
        without = detect_cells(batch)
    finally:
        object.__setattr__(detector, "find_spans", person_name.find_spans)
    assert with_kernel == without


def test_a_name_before_an_honorific_is_found_with_the_kernel() -> None:
    found = detect_cells(["お届け先:山田太郎様 午前中希望"])[0]
    assert [(m.category, m.value) for m in found] == [("person_name", "山田太郎")]


def test_detect_text_finds_the_same_names_with_the_kernel() -> None:
    text = "From: 山田 太郎 <t@example.jp>\n担当の山本が承りました。\n林様へ"
    kernel = person_name._names
    with_kernel = detect_text(text)
    try:
        person_name._names = None
        without = detect_text(text)
    finally:
        person_name._names = kernel
    assert with_kernel == without


def test_the_detector_declares_its_faster_finder() -> None:
    assert by_category("person_name").find_spans is person_name.find_spans
