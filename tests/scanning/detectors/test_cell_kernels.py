"""The compiled per-match work of ``detectors.cell_spans`` against its Python reference: the
context and exclusion words around a match (``_kernels.keep_spans`` and
``Detector.has_context`` / ``is_excluded``) and the overlaps of a cell's candidates
(``_kernels.resolve`` and ``detectors._resolve``)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rouei.scanning import _kernels
from rouei.scanning.detectors import (
    Candidate,
    _compiled_words,
    _kernel_words,
    _resolve,
    all_detectors,
    by_category,
)

KERNEL_DETECTORS = [d for d in all_detectors() if _kernel_words(d) is not None]


def _pieces(detector) -> list[str]:
    words = [*detector.context_words, *getattr(detector.module, "EXCLUDE_WORDS", ())]
    halves = [w[: len(w) // 2] for w in words if len(w) > 1] + [w[len(w) // 2:] for w in words]
    # letters around English words, sre's case extras (ı İ ſ K), widths, kana, line breaks
    return [*words, *halves, *(w.upper() for w in words), "a", "Z", "x", "\u0131", "\u0130",
            "\u017f", "\u212a", "1", "-", " ", "\u3000", "\n", "。", "様", "電話", "090-1234-5678",
            "あ", "漢", "😀", "é"]


@st.composite
def cases(draw):
    detector = draw(st.sampled_from(KERNEL_DETECTORS))
    pieces = _pieces(detector)
    texts = draw(st.lists(st.lists(st.sampled_from(pieces), max_size=12).map("".join),
                          min_size=1, max_size=5))
    spans = []
    for _ in range(draw(st.integers(0, 12))):
        i = draw(st.integers(0, len(texts) - 1))
        start = draw(st.integers(0, len(texts[i])))
        end = draw(st.integers(start, len(texts[i])))
        spans.append((i, start, end, draw(st.sampled_from([0, 1, 3]))))
    return detector, texts, spans


def _python_keep(detector, texts, spans) -> list[int]:
    out = []
    for i, start, end, check in spans:
        if not check:
            out.append(0)
        elif detector.has_context(texts[i], start, end):
            out.append(2)
        elif check == 3 or detector.is_excluded(texts[i], start):
            out.append(0)
        else:
            out.append(1)
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
@example((by_category("phone"), ["TEL090-1234-5678"], [(0, 3, 16, 1)]))
@example((by_category("phone"), ["aTEL 090-1234-5678"], [(0, 5, 18, 1)]))  # in a longer word
@example((by_category("email"), ["MAIL:a@b.jp", "ma\u0131l a@b.jp"], [(0, 5, 11, 1),
                                                                     (1, 5, 11, 3)]))
@example((by_category("phone"), ["注文番号090-1234-5678"], [(0, 4, 17, 1)]))  # excluded
@example((by_category("postal_code"), ["ZIPx 1000001"], [(0, 5, 12, 3)]))  # window ends at x
def test_the_kernel_keeps_the_matches_python_keeps(case):
    detector, texts, spans = case
    context, exclude = _kernel_words(detector)
    kept = _kernels.keep_spans(context, exclude, detector.context_window, texts,
                               [s[0] for s in spans], [s[1] for s in spans],
                               [s[2] for s in spans], bytes(s[3] for s in spans))
    assert list(kept) == _python_keep(detector, texts, spans)


def test_a_context_word_just_past_the_window_is_not_near():
    phone = by_category("phone")
    text = "電話" + "x" * phone.context_window + "090-1234-5678"
    start = text.index("0")
    kept = _kernels.keep_spans(*_kernel_words(phone), phone.context_window, [text], [0], [start],
                               [len(text)], bytes([3]))
    assert kept == bytes([0])


def test_words_with_a_case_the_kernel_does_not_fold_are_left_to_python():
    assert _compiled_words(("Ｍａｉｌ",)) is None


def test_the_words_other_characters_match_only_themselves_in_python():
    # what the kernel takes for granted of a word's non-ASCII characters: no character of any
    # case maps to them, so IGNORECASE matches them alone (checked over every code point)
    import sys

    related = set()
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        if char.lower() != char or char.upper() != char:
            related.update(char, char.lower(), char.upper(), char.casefold())
    for detector in KERNEL_DETECTORS:
        context, exclude = _kernel_words(detector)
        chars = {c for word, _ in (*context, *exclude) for c in word if not c.isascii()}
        assert not chars & related, detector.name


def test_every_common_detector_has_its_words_compiled():
    names = {d.name for d in KERNEL_DETECTORS}
    assert {"phone", "email", "postal_code", "address", "birth_date", "person_name",
            "health"} <= names


candidate_spans = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 12), st.integers(0, 6),
                                     st.integers(0, 3), st.integers(-1, 1)), max_size=14)


@settings(max_examples=400, deadline=None)
@given(candidate_spans)
@example([(0, 0, 5, 0, 0), (0, 0, 5, 2, 0), (0, 3, 4, 0, 1)])  # equal spans: the stronger
@example([(1, 2, 2, 0, 0), (1, 2, 3, 0, 0), (1, 1, 3, 0, 0)])  # an empty span
def test_the_kernel_resolves_overlaps_as_python_does(candidates):
    detectors = all_detectors()
    texts = sorted({c[0] for c in candidates})
    # a candidate's number stands for its detector, so that the kept ones can be told apart
    found = [(text, start, start + length, strength, priority)
             for text, start, length, strength, priority in candidates]
    order = _kernels.resolve([c[0] for c in found], [c[1] for c in found],
                             [c[2] for c in found], [c[3] for c in found],
                             [c[4] for c in found])
    expected = []
    for text in texts:
        mine = [k for k, c in enumerate(found) if c[0] == text]
        objects = [Candidate(detectors[k % len(detectors)], found[k][1], found[k][2],
                             found[k][3]) for k in mine]
        by_object = {id(o): k for o, k in zip(objects, mine, strict=True)}
        # _resolve breaks the last ties by the detectors' priority: give each its own
        priorities = {id(o): found[k][4] for o, k in zip(objects, mine, strict=True)}
        expected += _python_resolved(objects, by_object, priorities)
    assert order == expected


def _python_resolved(objects, by_object, priorities) -> list[int]:
    """``_resolve``'s order with each candidate's own priority (it reads the detector's)."""
    import bisect

    if len(objects) < 2:
        return [by_object[id(o)] for o in objects]
    ranked = sorted(objects, key=lambda c: (c.start - c.end, -c.strength, -priorities[id(c)],
                                            c.start))
    taken, starts = [], []
    for c in ranked:
        i = bisect.bisect_left(starts, c.start)
        if (i > 0 and taken[i - 1].end > c.start) or (i < len(taken) and taken[i].start < c.end):
            continue
        taken.insert(i, c)
        starts.insert(i, c.start)
    return [by_object[id(c)] for c in taken]


def test_resolve_keeps_the_longer_then_the_stronger():
    # two equal spans: the stronger stands; a shorter one inside them does not
    assert _kernels.resolve([0, 0, 0], [0, 0, 1], [5, 5, 2], [0, 2, 3], [0, 0, 0]) == [1]


def test_python_resolve_is_what_the_test_mirrors():
    phone = by_category("phone")
    a, b = Candidate(phone, 0, 5, 0), Candidate(phone, 0, 5, 2)
    assert _resolve([a, b]) == [(0, 5, "phone")]


# Phone-shaped and postal-code-shaped values, awkward ones included: full-width digits and
# signs, hyphen variants, +81 with and without (0), brackets, spaces and separators Python's
# strip() takes (\x1c), too many or too few digits, letters.
_PHONE_PIECES = ["0", "1", "2", "5", "7", "8", "9", "00", "090", "080", "070", "050", "0120",
                 "0570", "0800", "0180", "0990", "020", "060", "03", "06", "1234", "5678", "123",
                 "45", "6", "-", " ", "(", ")", "+81", "+8", "(0)", "\t", "\x1c", "\u3000", "０",
                 "９", "－", "ー", "‐", "＋", "a", "〒", "."]


def _phone_numbers():
    groupings = st.sampled_from([(3, 4, 4), (2, 4, 4), (4, 3, 3), (4, 3, 4), (3, 3, 4), (4, 2, 4),
                                 (5, 1, 4), (11,), (10,), (3, 8), (6, 4), (2, 8), (2, 2, 2, 4)])
    prefix = st.sampled_from(["0", "+81 ", "+81-", "+81(0)", "+81 (0) ", "(0", "+810", ""])
    separator = st.sampled_from(["-", " ", ")", "-", ""])

    @st.composite
    def number(draw):
        groups = draw(groupings)
        digits = draw(st.text("0123456789", min_size=sum(groups), max_size=sum(groups)))
        parts, at = [], 0
        for size in groups:
            parts.append(digits[at:at + size])
            at += size
        return draw(prefix) + draw(separator).join(parts)

    return number()


phone_values = st.one_of(_phone_numbers(),
                         st.lists(st.sampled_from(_PHONE_PIECES), max_size=8).map("".join))


@settings(max_examples=1500, deadline=None)
@given(phone_values)
@example("090-1234-5678")
@example("+81 90-1234-5678")
@example("+81(0)3-1234-5678")
@example("０９０-１２３４-５６７８")
@example("0120-123-456")
@example("0800-123-4567")
@example("080-0123-4567")
@example("0570-123-456")
@example("03-1234-56789")
@example(" 03-1234-5678\x1c")
@example("+81-0-3-1234-5678")
def test_the_kernel_validates_phones_as_python_does(value):
    from rouei.scanning.detectors import phone

    decided = _kernels.valid_values(0, [value])[0]
    if decided == 2:
        assert not value.isascii()
    else:
        assert bool(decided) == phone.validate(value)


postal_values = st.one_of(
    st.from_regex(r"\A〒? ?[0-9]{3}-?[0-9]{4}\Z"),
    st.lists(st.sampled_from(["0", "00", "000", "1", "100", "0001", "1234", "-", " ", "〒", "１",
                              "０", "－", "a"]), max_size=8).map("".join))


@settings(max_examples=800, deadline=None)
@given(postal_values)
@example("100-0001")
@example("000-1234")
@example("1000001")
@example("10000012")
@example("１００-０００１")
def test_the_kernel_validates_postal_codes_as_python_does(value):
    from rouei.scanning.detectors import postal_code

    decided = _kernels.valid_values(1, [value])[0]
    if decided == 2:
        assert not value.isascii()
    else:
        assert bool(decided) == postal_code.validate(value)


def test_the_kernel_accepts_the_phone_shapes_python_accepts():
    values = ["090-1234-5678", "+81 90 1234 5678", "03-1234-5678", "0120-123-456", "012-345-6789"]
    assert list(_kernels.valid_values(0, values)) == [1, 1, 1, 1, 1]


def test_the_kernel_refuses_the_phone_shapes_python_refuses():
    values = ["090-123-45678", "020-1234-5678", "0180-12-3456", "09012345678901", "090-1234-567a"]
    assert list(_kernels.valid_values(0, values)) == [0, 0, 0, 0, 0]


email_values = st.one_of(
    st.emails(),
    st.lists(st.sampled_from(["a", "Z", "0", "9", "_", "-", ".", "..", "@", "@@", "example", "jp",
                              "com", "123", "x" * 63, "y" * 64, "+", "%", " ", "\x1c", "é",
                              "ｅ", "＠", "xn--", "a-", "-a", "a_b"]),
             max_size=10).map("".join))


@settings(max_examples=1500, deadline=None)
@given(email_values)
@example("taro@example.jp")
@example(".taro@example.jp")
@example("ta..ro@example.jp")
@example("taro@example.123")
@example("taro@example.j")
@example("taro@-example.jp")
@example("taro@exa_mple.jp")
@example("taro@_example.jp")
@example("a@b@example.jp")
@example("x" * 65 + "@example.jp")
@example("taro@" + "x" * 64 + ".jp")
@example(" taro@example.jp\x1c")
def test_the_kernel_validates_emails_as_python_does(value):
    from rouei.scanning.detectors import email

    decided = _kernels.valid_values(2, [value])[0]
    if decided == 2:
        assert not value.isascii()
    else:
        assert bool(decided) == email.validate(value)


@st.composite
def birth_dates(draw):
    """Dates as people write them, and near misses: 和暦 (元年, letters, dots), Western and
    compact shapes, impossible days, years out of an era, the future, full-width digits, a
    time suffix, spaces."""
    number = st.integers(0, 40).map(str)
    era = draw(st.sampled_from(["明治", "大正", "昭和", "平成", "令和", "M", "T", "S", "H", "R", "s",
                                "h", "r", "天保"]))
    year = draw(st.one_of(st.just("元"), st.integers(0, 99).map(str)))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    separator = draw(st.sampled_from(["/", ".", "-"]))
    shapes = [
        f"{era}{year}年{month}月{day}日",
        f"{era}{draw(st.sampled_from(['', '.']))}{year}{separator}{month}{separator}{day}",
        f"{draw(st.integers(1800, 2100))}{separator}{month:0{draw(st.integers(1, 2))}d}"
        f"{separator}{day}",
        f"{draw(st.integers(1800, 2100))}年{month}月{day}日",
        f"{draw(st.integers(1800, 2100))}{month:02d}{day:02d}",
        f"{draw(number)}/{draw(number)}/{draw(number)}",
    ]
    value = draw(st.sampled_from(shapes))
    if draw(st.booleans()):
        value += draw(st.sampled_from([" 00:00", "T00:00:00", " 0:00", " 12:00"]))
    if draw(st.booleans()):
        value = value.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if draw(st.booleans()):
        value = draw(st.sampled_from([" ", "\u3000", ""])) + value + draw(
            st.sampled_from([" ", "", "生"]))
    return value


@settings(max_examples=500, deadline=None)
@given(st.lists(birth_dates(), min_size=1, max_size=8))
@example(["昭和60年4月1日", "S60.4.1", "平成31年5月1日", "令和元年5月1日", "1985/02/30", "2999-01-01",
          "明治元年9月7日", "明治元年10月23日", "1868-10-22", "19850401", "1985-04-01 00:00"])
def test_the_kernel_validates_birth_dates_as_python_does(values):
    from rouei.scanning.detectors import _kernel_valid, birth_date

    decided = _kernel_valid(by_category("birth_date"), values)
    for value, code in zip(values, decided, strict=True):
        if code != 2:
            assert bool(code) == birth_date.validate(value), value


def test_the_kernel_decides_the_usual_birth_dates():
    from rouei.scanning.detectors import _kernel_valid

    values = ["1985年4月1日", "昭和60年4月1日", "1985/02/30", "2999-01-01"]
    assert list(_kernel_valid(by_category("birth_date"), values)) == [1, 1, 2, 0]
