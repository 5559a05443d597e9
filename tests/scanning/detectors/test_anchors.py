"""A free-text pattern asked only where its anchors put a possible start
(rouei/scanning/detectors/_anchors.py, rouei/scanning/_anchored.c) finds what ``finditer`` over
the whole text finds: for health's pattern on texts mixing its words, and for random patterns;
and the free-text detection with the windowed health pattern is the detection without it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from rouei.scanning.detectors import (
    _anchors,
    _text_regex,
    by_category,
    detect_cells,
    detect_text,
    health,
)
from rouei.scanning.detectors import _health_vocabulary as vocab

REGEX, GROUPS = _text_regex(health.TEXT_PATTERN)
NUMBERS = tuple(REGEX.groupindex[g] for g in GROUPS)


def finditer_spans(regex: re.Pattern[str], text: str, numbers: tuple[int, ...] = ()
                   ) -> list[tuple[int, int]]:
    spans = []
    for m in regex.finditer(text):
        number = next((n for n in numbers if m.start(n) >= 0), 0)
        spans.append(m.span(number))
    return spans


def windowed_spans(regex: re.Pattern[str], text: str, groups: tuple[str, ...] = ()
                   ) -> list[tuple[int, int]]:
    return [(s, e) for _, s, e in _anchors.find_spans([text], regex, groups)]


# The fixture picks the path once per test; every example runs on it.
FIXTURE = [HealthCheck.function_scoped_fixture]


@pytest.fixture(params=["kernel", "python"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test with the compiled kernel and with the Python face alone."""
    if request.param == "kernel" and _anchors._anchored is None:
        pytest.skip("built without _anchored")
    if request.param == "python":
        monkeypatch.setattr(_anchors, "_anchored", None)
    return request.param


# Health's words and their near misses, with what sits around them in a 備考 cell: the context
# words, particles, other scripts, line breaks and full-width forms (the text is normalised).
HEALTH_PARTS = (
    *vocab.DISEASES[:40], *vocab.MEDICINES[:15], *vocab.TREATMENTS[:15], *vocab.IN_CARE,
    *vocab.DISEASE_SUFFIXES, *vocab.MEDICINE_OF, *vocab.MEDICAL_CONTEXT[:30],
    "糖尿病", "高血圧", "うつ病", "肺がん", "がん", "がんばる", "がんこ", "てんかん", "インスリン",
    "インスリンポンプ", "HIV", "VHIVE", "COVID-19", "ADHD", "逆流性食道炎", "線維筋痛症",
    "大学病院", "血圧の薬", "のお薬", "と診断", "と診断された", "を処方", "で通院中", "入院中",
    "妊娠中の方は", "お控えください", "母が", "父は", "田中様", "社員が", "の", "で", "が", "と", "は",
    "を", "に", "も", "や", "。", "、", " ", "\n", "ア", "カ", "ン", "ー", "病", "症", "炎", "漢", "字",
    "ｲﾝｽﾘﾝ", "ＨＩＶ", "糖尿病\u3000", "１２週目", "12", "x", "A", "ば", "こ",
)
health_texts = st.lists(st.sampled_from(HEALTH_PARTS), max_size=14).map("".join)


def test_health_has_anchors_a_few_characters_before_each_start() -> None:
    found = _anchors.anchors(REGEX)
    assert found is not None
    assert max(distance for _, distance in found) <= 12


@settings(max_examples=1500, deadline=None, suppress_health_check=FIXTURE)
@given(health_texts)
@example("2020年に糖尿病と診断され、インスリンを処方されている")
@example("試験に向けてがんばって治療法を調べる")
@example("母がてんかんで通院。大学病院で逆流性食道炎と診断")
@example("胃潰瘍と十二指腸潰瘍の薬を飲んでいる")
def test_health_windowed_finds_what_finditer_finds(path: str, text: str) -> None:
    assert windowed_spans(REGEX, text, GROUPS) == finditer_spans(REGEX, text, NUMBERS)


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE)
@given(st.lists(health_texts, max_size=8))
def test_health_windowed_numbers_each_text(path: str, batch: list[str]) -> None:
    expected = [(i, s, e) for i, text in enumerate(batch)
                for s, e in finditer_spans(REGEX, text, NUMBERS)]
    assert _anchors.find_spans(batch, REGEX, GROUPS) == expected


@settings(max_examples=1000, deadline=None, suppress_health_check=FIXTURE)
@given(health_texts)
def test_health_sentence_search_is_search(path: str, text: str) -> None:
    named = health._regex(health._NAMED)
    assert _anchors.search(named, text) == (named.search(text) is not None)


@settings(max_examples=500, deadline=None)
@given(st.lists(health_texts, min_size=1, max_size=6))
@example(["母がてんかんで通院\n糖尿病と診断", "ＨＩＶ陽性と診断", "妊娠中の方はお控えください"])
def test_detection_with_the_windows_is_detection_over_the_whole_text(batch: list[str]) -> None:
    detector = by_category("health")
    with_windows = detect_cells(batch)
    one_by_one = [detect_text(text) for text in batch]
    try:  # the pattern over the texts joined (the block path), as before the windows
        object.__setattr__(detector, "find_spans", None)
        without = detect_cells(batch)
        without_one_by_one = [detect_text(text) for text in batch]
    finally:
        object.__setattr__(detector, "find_spans", health.find_spans)
    assert with_windows == without
    assert one_by_one == without_one_by_one


def test_a_text_without_a_health_word_is_not_asked_at_all() -> None:
    text = "いつもありがとうございます。14時〜16時に配達希望。領収書不要で通院中の家族へ"
    found = _anchors.anchors(REGEX)
    assert len(_anchors.starts(found, text)) < len(text) // 4


# --- random patterns --------------------------------------------------------------------------

ALPHABET = "ab病症あア1 \n"
CHAR = st.sampled_from(ALPHABET)


def _pattern(depth: int) -> st.SearchStrategy[str]:
    literal = CHAR.map(re.escape)
    leaf = st.one_of(
        literal, literal, st.lists(literal, min_size=2, max_size=4).map("".join),
        st.sets(CHAR, min_size=1, max_size=3).map(lambda cs: "[" + "".join(
            re.escape(c) for c in sorted(cs)) + "]"),
        st.sampled_from([".", "[^a]", "[a-c]", "\\d", "\\w", "^", "$", "\\b"]),
    )
    if depth == 0:
        return leaf
    inner = _pattern(depth - 1)
    sequence = st.lists(inner, min_size=1, max_size=4).map("".join)
    return st.one_of(
        leaf,
        sequence,
        st.tuples(sequence, st.sampled_from(["?", "*", "+", "{2}", "{0,2}", "{1,3}", "??",
                                             "+?", "{1,3}?", "*+", "{1,2}+"]))
        .map(lambda t: f"(?:{t[0]}){t[1]}"),
        st.lists(sequence, min_size=2, max_size=3).map(lambda alts: "(?:" + "|".join(alts) + ")"),
        sequence.map(lambda s: f"(?={s})"),
        sequence.map(lambda s: f"(?!{s})"),
        st.sampled_from(ALPHABET).map(lambda c: f"(?<={re.escape(c)})"),
        st.sampled_from(ALPHABET).map(lambda c: f"(?<!{re.escape(c)})"),
        sequence.map(lambda s: f"(?P<value>{s})"),
        sequence.map(lambda s: f"(?>{s})"),
    )


patterns = st.lists(_pattern(2), min_size=1, max_size=4).map("".join)
texts = st.text(alphabet=ALPHABET + "c", max_size=30)


def _compiled(pattern: str) -> re.Pattern[str]:
    try:
        regex = re.compile(pattern)
    except (re.error, OverflowError):
        assume(False)
    assume(_anchors.anchors(regex) is not None)
    return regex


@settings(max_examples=600, deadline=None, suppress_health_check=FIXTURE)
@given(patterns, st.lists(texts, min_size=1, max_size=4))
@example("(?<!a)病(?:症|あ)", ["a病症病あ", "病"])
@example("a{1,3}?(?=b)病", ["aaab病", "ab病ab病"])
@example("(?:ab|病){2}", ["ab病ab", "病病"])
def test_random_patterns_windowed_find_what_finditer_finds(path: str, pattern: str,
                                                           batch: list[str]) -> None:
    regex = _compiled(pattern)
    groups = ("value",) if "value" in regex.groupindex else ()
    numbers = tuple(regex.groupindex[g] for g in groups)
    expected = [(i, s, e) for i, text in enumerate(batch)
                for s, e in finditer_spans(regex, text, numbers)]
    assert _anchors.find_spans(batch, regex, groups) == expected


@settings(max_examples=400, deadline=None)
@given(patterns, texts)
def test_random_patterns_kernel_starts_are_the_python_starts(pattern: str, text: str) -> None:
    if _anchors._anchored is None:
        pytest.skip("built without _anchored")
    found = _anchors.anchors(_compiled(pattern))
    kernel = _anchors.starts(found, text)
    try:
        saved, _anchors._anchored = _anchors._anchored, None
        python = _anchors.starts(found, text)
    finally:
        _anchors._anchored = saved
    assert kernel == python


@pytest.mark.parametrize("pattern", [
    "a*病",  # any number of characters before the only word
    "(?i)abc",  # case-insensitive words
    "(?i:ab)病?",
    "a?",  # a match may be empty
    "[^a]b?",  # a negated class holds no word
])
def test_patterns_without_sure_anchors_have_none(pattern: str) -> None:
    assert _anchors.anchors(re.compile(pattern)) is None


@pytest.mark.parametrize("pattern, expected", [
    ("ab", (("ab", 0),)),
    ("x?ab", (("ab", 1),)),
    ("[xy]{0,3}(?:病|症)", (("病", 3), ("症", 3))),
    ("(?<!a)病(?!b)院", (("病院", 0),)),
    ("(?:糖尿病|.{1,2}症)", (("糖尿病", 0), ("症", 2))),
    ("[xy]{1,2}症", (("x", 0), ("y", 0))),  # nearer the start is better, as rare as 症
])
def test_anchors_are_the_words_and_their_distances(pattern: str, expected: tuple) -> None:
    assert _anchors.anchors(re.compile(pattern)) == expected
