"""A free-text pattern asked only where a match can start, found from the words every match
holds (not a detector).

Python's ``re`` gives a pattern such as health's (hundreds of words with look-behinds, then
disease names by their ending) or address's (a look-behind first) no literal prefix to skip
by: ``finditer`` tries every alternative at every character. But every match of such a pattern
holds one of a set of words (its *anchors*), a bounded number of characters after the match's
start: a vocabulary word at the start itself, a disease name's ending (病, 症, 炎 …) at most 12
characters in, a municipality's 市, 区, 町 or 村 at most 44. ``anchors`` reads those words and
distances off the pattern's parse tree (``re._parser``, the parser ``re.compile`` uses), or
gives None when it cannot be sure (an unbounded part before every word, a case-insensitive
part, a pattern that can match the empty string).

``find_spans`` then looks for the anchors in each text (every occurrence, overlapping ones
too), takes the places each could have started from (``start - distance … start``) and asks
the pattern itself (its ``match`` method) only there, in order, as ``finditer`` would: after a
match the next one is looked for from its end. No match can start anywhere else (it would hold
an anchor that puts the place among them), and at each place the pattern decides with its own
look-arounds on the whole text, so the spans are exactly ``finditer``'s
(tests/scanning/detectors/test_anchors.py checks them against it on random texts and random
patterns). The compiled kernel (``rouei/scanning/_anchored.c``) does the looking; without it
the same is done in Python.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from functools import cache

try:
    from rouei.scanning import _anchored
except ImportError:  # pragma: no cover - a build without the C extension
    _anchored = None

# A small character class is as good as its characters (市区町村); a larger one is no anchor.
_MAX_CLASS = 16
# A run of literal parts is kept as the product of their words while it has at most this many.
_MAX_WORDS = 1024
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}

Anchors = tuple[tuple[str, int], ...]


def anchors(regex: re.Pattern[str]) -> Anchors | None:
    """(word, distance) pairs such that every match of ``regex`` holds one of the words,
    starting at most ``distance`` characters after the match's start; None when the pattern
    does not show that (each word once, with its largest distance; longest words first)."""
    return _anchors(regex.pattern, regex.flags)


@cache
def _anchors(pattern: str, flags: int) -> Anchors | None:
    if flags & (re.IGNORECASE | re.LOCALE):
        return None
    tree = sre_parse.parse(pattern, flags)
    if tree.getwidth()[0] == 0:
        return None  # an empty match: finditer's rules after one are not the kernel's
    found = _in_sequence(tree.state, list(tree.data))
    if not found:
        return None
    distance: dict[str, int] = {}
    for word, before in found:
        distance[word] = max(distance.get(word, 0), before)
    return tuple(sorted(distance.items(), key=lambda item: (-len(item[0]), item[0])))


def _max_width(state: sre_parse.State, item: tuple) -> int | None:
    """The most characters ``item`` can consume; None when unbounded."""
    high = sre_parse.SubPattern(state, [item]).getwidth()[1]
    return None if high >= sre.MAXREPEAT else high


def _words(state: sre_parse.State, item: tuple) -> set[str] | None:
    """The strings ``item`` matches when it matches only a few fixed ones, else None."""
    op, av = item
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                chars.add(chr(value))
            elif kind is sre.RANGE and value[1] - value[0] < _MAX_CLASS:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:  # NEGATE, CATEGORY, a wide range
                return None
        return chars if 0 < len(chars) <= _MAX_CLASS else None
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.LOCALE):
            return None
        return _sequence_words(state, list(sub.data))
    if op is sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            words = _sequence_words(state, list(alternative.data))
            if words is None:
                return None
            out |= words
            if len(out) > _MAX_WORDS:
                return None
        return out
    return None


def _sequence_words(state: sre_parse.State, items: list[tuple]) -> set[str] | None:
    """The strings a sequence of parts matches when each part matches a few fixed ones
    (look-arounds and ``^``/``$`` consume nothing and are passed over)."""
    out = {""}
    for item in items:
        if item[0] in _ZERO_WIDTH:
            continue
        words = _words(state, item)
        if words is None or len(out) * len(words) > _MAX_WORDS:
            return None
        out = {a + b for a in out for b in words}
    return out


def _in_sequence(state: sre_parse.State, items: list[tuple]) -> list[tuple[str, int]] | None:
    """Anchors of a sequence of parts: the best of the runs of literal parts and of the parts
    that have anchors of their own, each placed after the most the parts before it consume."""
    choices: list[list[tuple[str, int]]] = []
    before = 0  # the most characters the parts so far consume
    run: set[str] | None = None  # the words of the literal run being read, and where it began
    run_at = 0
    for item in items:
        op = item[0]
        if op in _ZERO_WIDTH:
            continue
        words = _words(state, item)
        if words is not None and "" not in words:
            if run is not None and len(run) * len(words) <= _MAX_WORDS:
                run = {a + b for a in run for b in words}
            else:
                if run is not None:
                    choices.append([(w, run_at) for w in run])
                run, run_at = set(words), before
        else:
            if run is not None:
                choices.append([(w, run_at) for w in run])
                run = None
            inner = _in_item(state, item)
            if inner is not None:
                choices.append([(w, before + d) for w, d in inner])
        width = _max_width(state, item)
        if width is None:
            break  # nothing after an unbounded part is a bounded distance from the start
        before += width
    if run is not None:
        choices.append([(w, run_at) for w in run])
    return max(choices, key=_quality) if choices else None


def _quality(choice: list[tuple[str, int]]) -> tuple[int, int, int]:
    """Longer words are rarer; then fewer places to try before each."""
    return (min(len(w) for w, _ in choice), -max(d for _, d in choice), -len(choice))


def _in_item(state: sre_parse.State, item: tuple) -> list[tuple[str, int]] | None:
    """Anchors of one part that is not a few fixed strings (distances from its own start)."""
    op, av = item
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.LOCALE):
            return None
        return _in_sequence(state, list(sub.data))
    if op is sre.ATOMIC_GROUP:
        return _in_sequence(state, list(av.data))
    if op is sre.BRANCH:
        out: list[tuple[str, int]] = []
        for alternative in av[1]:
            inner = _in_sequence(state, list(alternative.data))
            if inner is None:
                return None
            out += inner
        return out
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _in_sequence(state, list(sub.data)) if low >= 1 else None
    return None


@cache
def _table(found: Anchors) -> object:
    return _anchored.table([w for w, _ in found], [d for _, d in found])


def find_spans(texts: list[str], regex: re.Pattern[str], groups: tuple[str, ...]
               ) -> list[tuple[int, int, int]]:
    """(index of the text, start, end) of each match of ``regex`` in each of ``texts``, in
    order, as ``finditer`` gives them: the span of the first of the value ``groups`` that took
    part (a detector's ``find_spans``). The pattern is asked only where an anchor puts a
    possible start; without anchors, everywhere."""
    numbers = tuple(regex.groupindex[g] for g in groups)
    found = anchors(regex)
    if found is None:
        return finditer_spans(texts, regex, numbers)
    if _anchored is not None:
        return _anchored.find(_table(found), texts, regex.match, numbers)
    spans = []
    for i, text in enumerate(texts):
        pos = 0
        for start in starts(found, text):
            if start < pos:
                continue
            m = regex.match(text, start)
            if m is not None:
                number = next((n for n in numbers if m.start(n) >= 0), 0)
                spans.append((i, m.start(number), m.end(number)))
                pos = m.end()
    return spans


def search(regex: re.Pattern[str], text: str) -> bool:
    """Whether ``regex`` matches somewhere in ``text`` (``regex.search(text) is not None``),
    asked only where an anchor puts a possible start."""
    found = anchors(regex)
    if found is None:
        return regex.search(text) is not None
    return any(regex.match(text, start) is not None for start in starts(found, text))


def starts(found: Anchors, text: str) -> list[int]:
    """The places of ``text`` where a match may start: up to each anchor's distance before
    each place one of the anchors occurs, ascending (what the kernel computes)."""
    if _anchored is not None:
        return _anchored.starts(_table(found), text)
    lowest = len(text)
    places = []
    by_first: dict[str, list[tuple[str, int]]] = {}
    for word, distance in found:
        by_first.setdefault(word[0], []).append((word, distance))
    for i in range(len(text) - 1, -1, -1):
        for word, distance in by_first.get(text[i], ()):
            if text.startswith(word, i):
                lowest = min(lowest, i - distance)
        if lowest <= i:
            places.append(i)
    return places[::-1]


def finditer_spans(texts: list[str], regex: re.Pattern[str], numbers: tuple[int, ...]
                   ) -> list[tuple[int, int, int]]:
    """(text index, start, end) of every ``finditer`` match in each text: the span of the first
    of the groups ``numbers`` that took part (the whole match if none) — what the anchored
    kernels give, without them."""
    spans = []
    for i, text in enumerate(texts):
        for m in regex.finditer(text):
            number = next((n for n in numbers if m.start(n) >= 0), 0)
            spans.append((i, m.start(number), m.end(number)))
    return spans
