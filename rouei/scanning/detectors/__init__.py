"""Detectors: one module per family of personal-data items, discovered by folder.

Each module (a file here whose name does not start with "_") declares:

- ``CATEGORY``: the catalogue id it finds (``rouei.domain.items``), or None for a detector that
  only keeps its matches out of other items (``corporate_number``);
- ``COLUMN_PATTERN``: a regex for one whole cell (``^…$``) after ``normalise_column``; it
  compiles in Rust's ``regex`` (polars), so it has no look-around or back-reference;
- ``TEXT_PATTERN``: a Python ``re`` pattern for normalised free text (look-arounds allowed). If it
  has groups named ``value`` or ``value_<n>``, the first that took part is the match's span;
- ``CONTEXT_WORDS``: words near a match that confirm it (Japanese and English; English words
  match case-insensitively and not inside a longer Latin word);
- ``REQUIRES_CONTEXT``: whether a free-text match needs a context word near it;
- ``CHECKSUM``: the name of the check-digit rule ``validate`` applies, or None;
- ``validate(value) -> bool`` and ``normalise_value(value) -> str`` (the canonical form used for
  distinct-person keys);

and optionally ``EXCLUDE_WORDS`` (words before a match, such as 注文番号, that drop it unless a
context word is also near), ``CONTEXT_WINDOW`` (characters each side, default 20), ``PRIORITY``
(breaks ties between equally strong matches of one span), ``PREFILTER`` (a cheap Python regex
a text must contain for ``TEXT_PATTERN`` to be worth running), ``needs_context(value) -> bool``
(context needed for some values only, e.g. a postal code without its hyphen),
``plausible(text, start, end) -> bool`` (a last look at the sentence around a free-text match,
e.g. the health detectors drop 「妊娠中の方はご使用をお控えください」, which is about no one) and
``validate_column(cells: pl.Series) -> pl.Series`` (``validate`` for a whole column of normalised
cells as polars expressions; the engine uses it for checksums instead of a Python call per value)
and ``find_spans(texts, regex, groups) -> [(index, start, end)]`` (what ``finditer`` of the
compiled ``TEXT_PATTERN`` gives in each text, the span of its first value group that took part,
found faster: ``person_name`` asks its pattern only where a frame may start)
and ``TEXT_GATE`` (a regex in Rust's syntax that every ``TEXT_PATTERN`` match contains, such as
``[0-9]{13}``: with ``PREFILTER`` and the context words it makes ``Detector.gates``, which the
engine runs over a table's free-text cells at once in polars, so that ``detect_text`` only sees
the cells some detector could match).
"""

from __future__ import annotations

import bisect
import importlib
import pkgutil
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from rouei.domain.items import ITEMS
from rouei.scanning import _kernels
from rouei.scanning.model import Match

try:
    from rouei.scanning import _cellwriter
except ImportError:  # a tree without the compiled writer: birth dates are validated in Python
    _cellwriter = None  # type: ignore[assignment]
from rouei.scanning.normalise import Normalised, normalise

DEFAULT_CONTEXT_WINDOW = 20
REQUIRED = ("CATEGORY", "COLUMN_PATTERN", "TEXT_PATTERN", "CONTEXT_WORDS", "REQUIRES_CONTEXT",
            "CHECKSUM", "validate", "normalise_value")


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        if word.isascii() and word[:1].isalnum():
            escaped = f"(?<![A-Za-z]){escaped}(?![A-Za-z])"
        parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A validated free-text match in normalised text, before overlaps are resolved."""

    detector: Detector
    start: int
    end: int
    strength: int  # 2 × (checksum passed) + (context word near)


@dataclass(frozen=True, slots=True, eq=False)
class Detector:
    """A detector module's declarations, with its patterns compiled."""

    name: str
    module: ModuleType
    category: str | None
    column_pattern: str
    text_pattern: str  # compiled on first use (``text_regex``): a table scan may never need it
    context_words: tuple[str, ...]
    requires_context: bool
    checksum: str | None
    validate: Callable[[str], bool]
    normalise_value: Callable[[str], str]
    context_window: int
    priority: int
    _context: re.Pattern[str] | None
    _exclude: re.Pattern[str] | None
    _prefilter: re.Pattern[str] | None
    # Regexes in Rust's syntax (polars) that a normalised text must all contain for
    # ``candidates`` to find anything in it; empty: no cheap test.
    gates: tuple[str, ...] = ()
    # The module's ``find_spans``: the text pattern's matches in many texts at once, faster.
    find_spans: Callable[[list[str], re.Pattern[str], tuple[str, ...]],
                         list[tuple[int, int, int]]] | None = None
    # The module's ``plausible`` (None: every match is), looked up once, not per match.
    plausible: Callable[[str, int, int], bool] | None = None

    @classmethod
    def from_module(cls, module: ModuleType) -> Detector:
        missing = [attr for attr in REQUIRED if not hasattr(module, attr)]
        if missing:
            raise TypeError(f"detector {module.__name__} lacks {', '.join(missing)}")
        category = module.CATEGORY
        if category is not None and category not in ITEMS:
            raise ValueError(f"detector {module.__name__}: {category!r} is not a catalogue id")
        return cls(
            name=module.__name__.rsplit(".", 1)[-1],
            module=module,
            category=category,
            column_pattern=module.COLUMN_PATTERN,
            text_pattern=module.TEXT_PATTERN,
            context_words=tuple(module.CONTEXT_WORDS),
            requires_context=bool(module.REQUIRES_CONTEXT),
            checksum=module.CHECKSUM,
            validate=module.validate,
            normalise_value=module.normalise_value,
            context_window=getattr(module, "CONTEXT_WINDOW", DEFAULT_CONTEXT_WINDOW),
            priority=getattr(module, "PRIORITY", 0),
            _context=_word_pattern(tuple(module.CONTEXT_WORDS)),
            _exclude=_word_pattern(tuple(getattr(module, "EXCLUDE_WORDS", ()))),
            _prefilter=(re.compile(module.PREFILTER) if hasattr(module, "PREFILTER") else None),
            gates=_gates(module),
            find_spans=getattr(module, "find_spans", None),
            plausible=getattr(module, "plausible", None),
        )

    @property
    def text_regex(self) -> re.Pattern[str]:
        return _text_regex(self.text_pattern)[0]

    def needs_context(self, value: str) -> bool:
        hook = getattr(self.module, "needs_context", None)
        return hook(value) if hook is not None else self.requires_context

    def has_context(self, text: str, start: int, end: int) -> bool:
        """A context word within the window before or after ``text[start:end]``."""
        if self._context is None:
            return False
        w = self.context_window
        return bool(self._context.search(text, max(0, start - w), start)
                    or self._context.search(text, end, end + w))

    def is_excluded(self, text: str, start: int) -> bool:
        return (self._exclude is not None
                and bool(self._exclude.search(text, max(0, start - self.context_window), start)))

    def find_in_cell(self, text: str) -> str | None:
        """The first valid value of this item in normalised ``text``, a table cell its header
        says holds the item beside other words (090-1234-5678(携帯), TEL:03-1234-5678,
        1985年4月1日生): the header is the context, so no context word is asked for."""
        if self._prefilter is not None and not self._prefilter.search(text):
            return None
        text_regex, value_groups = _text_regex(self.text_pattern)
        for m in text_regex.finditer(text):
            group = next((g for g in value_groups if m.group(g) is not None), 0)
            if self.validate(m.group(group)):
                return m.group(group)
        return None

    def may_match(self, text: str) -> bool:
        """False when no match in normalised ``text`` could be kept: its ``PREFILTER`` is not
        there, or every match needs a context word and there is none."""
        if self._prefilter is not None and not self._prefilter.search(text):
            return False
        return not (self.requires_context and not hasattr(self.module, "needs_context")
                    and (self._context is None or not self._context.search(text)))

    def candidates(self, text: str) -> Iterator[Candidate]:
        """Validated matches in normalised ``text`` that meet the context rules."""
        if not self.may_match(text):
            return  # skip the costly pattern
        text_regex, value_groups = _text_regex(self.text_pattern)
        if self.find_spans is not None:
            for _, start, end in self.find_spans([text], text_regex, value_groups):
                candidate = self.candidate_at(text, start, end)
                if candidate is not None:
                    yield candidate
            return
        for m in text_regex.finditer(text):
            candidate = self.candidate(text, m, value_groups)
            if candidate is not None:
                yield candidate

    def candidate(self, text: str, m: re.Match[str], value_groups: tuple[str, ...],
                  offset: int = 0) -> Candidate | None:
        """The match ``m`` of the text pattern as a candidate in ``text``, if it validates and
        meets the context rules; ``m`` may be a match in a longer string in which ``text``
        begins at ``offset``."""
        start, end = m.span()
        for group in value_groups:
            if m.group(group) is not None:
                start, end = m.span(group)
                break
        return self.candidate_at(text, start - offset, end - offset)

    def candidate_at(self, text: str, start: int, end: int) -> Candidate | None:
        """A match's value at ``text[start:end]`` as a candidate, if it validates and meets the
        context rules."""
        value = text[start:end]
        if not self.validate(value):
            return None
        context = self.has_context(text, start, end)
        if not context and (self.needs_context(value) or self.is_excluded(text, start)):
            return None
        if self.plausible is not None and not self.plausible(text, start, end):
            return None
        return Candidate(self, start, end, 2 * (self.checksum is not None) + context)


# Besides each ASCII letter's two cases, what Python's ``re.IGNORECASE`` also takes for it
# (sre's case equivalences: ı and İ for i, ſ for s, the Kelvin sign for k).
_CASE_EXTRAS = {"i": "\u0131\u0130", "s": "\u017f", "k": "\u212a"}
_RUST_SPECIAL = set("\\.+*?()|[]{}^$#&-~")


def _rust_caseless(words: tuple[str, ...]) -> str:
    """``_word_pattern(words)`` as Rust's regex (polars) can run it, matching at least what it
    matches: the same words in any case Python's IGNORECASE accepts, without the look-arounds
    that keep an English word from matching inside a longer one."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        out = []
        for char in word:
            if char.isascii() and char.isalpha():
                lower = char.lower()
                out.append(f"[{lower}{lower.upper()}{_CASE_EXTRAS.get(lower, '')}]")
            else:
                out.append("\\" + char if char in _RUST_SPECIAL else char)
        parts.append("".join(out))
    return "|".join(parts)


def _gates(module: ModuleType) -> tuple[str, ...]:
    """What ``Detector.candidates`` needs a text to contain before it can yield anything, in
    Rust's syntax: the ``TEXT_GATE``, the ``PREFILTER``, and a context word when every match
    requires one (tests/scanning/detectors/test_gates.py checks that no text without them has
    a candidate)."""
    gates = []
    if hasattr(module, "TEXT_GATE"):
        gates.append(module.TEXT_GATE)
    if hasattr(module, "PREFILTER"):
        gates.append(module.PREFILTER)
    if module.REQUIRES_CONTEXT and not hasattr(module, "needs_context") and module.CONTEXT_WORDS:
        gates.append(_rust_caseless(tuple(module.CONTEXT_WORDS)))
    return tuple(gates)


@cache
def _text_regex(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A detector's compiled ``TEXT_PATTERN`` and its value groups (``value``, ``value_*``) in
    group order. Compiled when first needed: the address pattern alone takes ~0.1 s to compile,
    and a scan of tables only never uses it."""
    regex = re.compile(pattern)
    return regex, _value_groups(regex)


def _value_groups(regex: re.Pattern[str]) -> tuple[str, ...]:
    return tuple(sorted((g for g in regex.groupindex if g == "value" or g.startswith("value_")),
                        key=regex.groupindex.__getitem__))


def detector_modules() -> list[ModuleType]:
    """Every detector module in this folder, by name."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
            if not info.name.startswith("_")]


@cache
def all_detectors() -> tuple[Detector, ...]:
    return tuple(Detector.from_module(module) for module in detector_modules())


def compile_patterns() -> int:
    """Every detector built and the free-text patterns ``cell_spans`` uses compiled now (they
    are compiled on first use otherwise): a free-text process does it while the engine is still
    reading the first rows. Gives the number of patterns compiled."""
    count = 0
    for detector in all_detectors():
        if detector.find_spans is not None:
            _text_regex(detector.text_pattern)
        else:
            _block_regex(detector.text_pattern)
        _kernel_words(detector)
        count += 1
    return count


def by_category(category: str) -> Detector:
    for detector in all_detectors():
        if detector.category == category:
            return detector
    raise KeyError(category)


def detect_text(text: str, *, ner: bool = False,
                detectors: tuple[Detector, ...] | None = None) -> list[Match]:
    """Every item found in ``text``, with offsets into ``text`` itself (not its normal form).

    Normalises, runs each detector's free-text pattern, keeps matches that validate and meet the
    context rules, then resolves overlaps: the longer match wins, then the stronger (checksum,
    context), then the detector's priority. Matches of detectors without a category (corporate
    numbers) take their span out of the result and are not reported.

    ``ner=True`` (text parts, never table cells) adds the names and addresses of the optional
    NER model (``rouei.scanning.ner``; a no-op unless ``ROUEI_SCAN_NER`` enables it and GiNZA is
    installed) where no rule matched: a span overlapping a rule match is dropped.

    ``detectors`` (default: all) narrows the detectors run to those whose ``gates`` the text
    passes: the others find nothing in it, so the result is the same."""
    norm = normalise(text)
    found = [c for detector in (all_detectors() if detectors is None else detectors)
             for c in detector.candidates(norm.text)]
    spans = _resolve(found)
    if ner:
        spans = _with_entities(norm.text, spans)
    return _matches(norm, spans)


def _resolve(found: list[Candidate]) -> list[tuple[int, int, str | None]]:
    """The candidates that stand, by start: the longer match wins, then the stronger, then the
    detector's priority (the sort is stable: then the detectors' order and the matches')."""
    if len(found) < 2:  # most cells: nothing to resolve
        return [(c.start, c.end, c.detector.category) for c in found]
    found.sort(key=lambda c: (c.start - c.end, -c.strength, -c.detector.priority, c.start))
    taken: list[Candidate] = []  # non-overlapping, ordered by start
    starts: list[int] = []
    for candidate in found:
        i = bisect.bisect_left(starts, candidate.start)
        if (i > 0 and taken[i - 1].end > candidate.start) or (
                i < len(taken) and taken[i].start < candidate.end):
            continue
        taken.insert(i, candidate)
        starts.insert(i, candidate.start)
    return [(c.start, c.end, c.detector.category) for c in taken]


def _matches(norm: Normalised, spans: list[tuple[int, int, str | None]]) -> list[Match]:
    matches = []
    for start, end, category in spans:
        if category is None:
            continue
        start, end = norm.to_original(start, end)
        matches.append(Match(category, start, end, norm.original[start:end]))
    return matches


@dataclass(frozen=True, slots=True)
class CellSpans:
    """What ``detect_cells`` finds, as flat lists rather than ``Match`` objects (cheap to build,
    to send between processes and to hand to the compiled findings writer): the matches of
    text ``i`` are numbers ``first[i]`` to ``first[i + 1]`` (by start), match ``k`` being of
    ``categories[k]`` at ``starts[k]:ends[k]`` of the original text."""

    first: list[int]
    categories: list[str]
    starts: list[int]
    ends: list[int]

    def matches(self, texts: list[str]) -> list[list[Match]]:
        """The same as ``Match`` lists, ``texts`` being the texts searched."""
        first, categories, starts, ends = self.first, self.categories, self.starts, self.ends
        return [[Match(categories[k], starts[k], ends[k], text[starts[k]:ends[k]])
                 for k in range(first[i], first[i + 1])] for i, text in enumerate(texts)]


def detect_cells(texts: list[str],
                 detectors: list[tuple[Detector, ...]] | None = None) -> list[list[Match]]:
    """``detect_text`` of each of ``texts`` (short texts such as a table's cells; no NER), with
    ``detectors[i]`` (default: all) for ``texts[i]``: ``cell_spans`` as ``Match`` lists."""
    return cell_spans(texts, detectors).matches(texts)


def cell_spans(texts: list[str],
               detectors: list[tuple[Detector, ...]] | None = None) -> CellSpans:
    """``detect_text`` of each of ``texts`` (short texts such as a table's cells; no NER), with
    ``detectors[i]`` (default: all) for ``texts[i]``, as flat lists (``CellSpans``): the same
    matches, found with each detector's pattern run once over all the texts it may match,
    joined by line breaks.

    Python's ``re`` finds the same matches in a text alone and in the joined string as long as
    no match crosses a line break: the patterns' look-arounds treat a line break as they treat
    the end of a text, and ``^`` is compiled with MULTILINE. A text with a line break of its
    own, and the texts on either side of a match that crosses one, are looked at alone.

    The work per text and per match is kept out of Python where it can be: the texts are
    normalised in one compiled pass (``_normal_texts``); each detector validates each distinct
    value once, and the compiled kernel checks the context and exclusion words around every
    match (``_kernels.keep_spans``) and resolves the overlaps of every text
    (``_kernels.resolve``); no object is made per match. ``detectors`` are taken to be what the
    gates let through (``Detector.gates``, as ``engine._screen_prose`` finds them), so each
    detector's ``may_match`` is not asked again; without them it is."""
    normal, maps = _normal_texts(texts)
    alone = ["\n" in text for text in normal]
    # The candidates of all texts, flat: text, start, end, strength, priority, category; in
    # the order of the detectors, then of the matches (the order ``_resolve`` breaks ties by).
    found = _Found()
    # The texts each detector is asked about, in order: one pass over the subsets (most texts
    # name one or two detectors) instead of one pass over all texts per detector.
    asked: dict[Detector, list[int]] = {d: [] for d in all_detectors()}
    for i, subset in enumerate(detectors or ()):
        for detector in subset:
            indexes = asked.get(detector)
            if indexes is not None and (not indexes or indexes[-1] != i):
                indexes.append(i)
    for detector, indexes in asked.items():
        if detectors is None:
            members = [i for i in range(len(texts))
                       if not alone[i] and detector.may_match(normal[i])]
        else:
            members = [i for i in indexes if not alone[i]]
        if not members:
            continue
        index: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        if detector.find_spans is not None:  # each text on its own, found faster
            regex, value_groups = _text_regex(detector.text_pattern)
            for k, start, end in detector.find_spans([normal[i] for i in members], regex,
                                                     value_groups):
                index.append(members[k])
                starts.append(start)
                ends.append(end)
            found.keep(detector, normal, index, starts, ends)
            continue
        offsets, at = [], 0
        for i in members:
            offsets.append(at)
            at += len(normal[i]) + 1
        regex, value_groups = _block_regex(detector.text_pattern)
        numbers = tuple(regex.groupindex[g] for g in value_groups)
        for m in regex.finditer("\n".join([normal[i] for i in members])):
            m_start, m_end = m.span()
            k = bisect.bisect_right(offsets, m_start) - 1
            text_end = offsets[k] + len(normal[members[k]])
            if m_start >= text_end or m_end > text_end:
                last = bisect.bisect_right(offsets, m_end) - 1
                for j in range(k, min(last + 2, len(members))):
                    alone[members[j]] = True
                continue
            number = 0  # the first value group that took part, else the whole match
            for group in numbers:
                if m.start(group) >= 0:
                    number = group
                    break
            index.append(members[k])
            starts.append(m.start(number) - offsets[k])
            ends.append(m.end(number) - offsets[k])
        found.keep(detector, normal, index, starts, ends)
    return found.spans(texts, maps, alone, detectors)


def _compiled_words(words: tuple[str, ...]) -> tuple[tuple[str, bool], ...] | None:
    """``_word_pattern(words)`` as ``_kernels.keep_spans`` takes it: each word and whether it
    is bounded by non-letters; None when a word has a character with a case other than an
    ASCII letter's (the kernel folds those only: then ``Detector.has_context`` runs)."""
    for word in words:
        for char in word:
            if not char.isascii() and (char.lower() != char or char.upper() != char):
                return None
    return tuple((word, word.isascii() and word[:1].isalnum()) for word in words)


@cache
def _kernel_words(detector: Detector) -> tuple[tuple[tuple[str, bool], ...],
                                               tuple[tuple[str, bool], ...]] | None:
    """The detector's context and exclusion words for ``_kernels.keep_spans``, or None."""
    context = _compiled_words(detector.context_words)
    exclude = _compiled_words(tuple(getattr(detector.module, "EXCLUDE_WORDS", ())))
    return None if context is None or exclude is None else (context, exclude)


# Detectors whose ``validate`` the compiled kernel also has, for ASCII values
# (``_kernels.valid_values``; tests/scanning/detectors/test_cell_kernels.py compares them).
_KERNEL_VALIDATE = {"phone": 0, "postal_code": 1, "email": 2}


def _kernel_valid(detector: Detector, values: list[str]) -> bytes:
    """Per value, 1 if ``detector.validate`` accepts it, 0 if not, 2 where the compiled
    kernels do not decide (then ``validate`` does): phone, postal code and e-mail values in
    ASCII (``_kernels.valid_values``); birth dates that ``_cellwriter.date_keys`` reads as a
    real date (the parser the birth-date keys and masks use: 和暦 and era ranges included),
    within ``birth_date.validate``'s range from the first day of 明治 to today (JST)."""
    kernel = _KERNEL_VALIDATE.get(detector.name)
    if kernel is not None:
        return _kernels.valid_values(kernel, values)
    if detector.name == "birth_date" and _cellwriter is not None and values:
        import polars as pl

        from rouei.scanning.detectors import birth_date

        first, today = birth_date.ERAS["明治"][0].isoformat(), birth_date.today().isoformat()
        keys = _cellwriter.date_keys(pl.Series(values, dtype=pl.Utf8).__arrow_c_stream__())
        # the kernel reads NFKC text; ``parse`` folds any other itself
        return bytes(2 if key is None or not (value.isascii()
                                              or unicodedata.is_normalized("NFKC", value))
                     else int(first <= key <= today) for key, value in zip(keys, values,
                                                                          strict=True))
    return bytes([2]) * len(values)


class _Found:
    """The candidates of ``cell_spans``: ``keep`` adds a detector's matches that validate and
    meet the context rules (``Detector.candidate_at``), ``spans`` resolves them."""

    __slots__ = ("categories", "ends", "index", "priorities", "starts", "strengths")

    def __init__(self) -> None:
        self.index: list[int] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.strengths: list[int] = []
        self.priorities: list[int] = []
        self.categories: list[str | None] = []

    def keep(self, detector: Detector, normal: list[str], index: list[int], starts: list[int],
             ends: list[int]) -> None:
        """The matches ``normal[index[k]][starts[k]:ends[k]]`` of ``detector``: each distinct
        value validated once (``validate`` is a function of the value alone), the words around
        each looked for by the compiled kernel."""
        if not index:
            return
        values = [normal[i][s:e] for i, s, e in zip(index, starts, ends, strict=True)]
        validate, hook = detector.validate, getattr(detector.module, "needs_context", None)
        checks: dict[str, int] = {}  # 0 invalid, 1 valid, 3 valid and needs a context word
        distinct = list(set(values))
        decided = _kernel_valid(detector, distinct)  # 2: ``validate`` decides
        for value, valid in zip(distinct, decided, strict=True):
            if not (valid if valid != 2 else validate(value)):
                checks[value] = 0
            elif hook(value) if hook is not None else detector.requires_context:
                checks[value] = 3
            else:
                checks[value] = 1
        words = _kernel_words(detector)
        if words is not None:
            kept = _kernels.keep_spans(words[0], words[1], detector.context_window, normal,
                                       index, starts, ends,
                                       bytes([checks[value] for value in values]))
        else:  # ``Detector.candidate_at`` in Python
            kept = bytes(
                0 if not checks[value] else 2 if detector.has_context(normal[i], s, e)
                else 0 if checks[value] == 3 or detector.is_excluded(normal[i], s) else 1
                for value, i, s, e in zip(values, index, starts, ends, strict=True))
        plausible = detector.plausible
        checksum = 2 * (detector.checksum is not None)
        chosen = [k for k, how in enumerate(kept) if how and (
            plausible is None or plausible(normal[index[k]], starts[k], ends[k]))]
        self.index += [index[k] for k in chosen]
        self.starts += [starts[k] for k in chosen]
        self.ends += [ends[k] for k in chosen]
        self.strengths += [checksum + (kept[k] == 2) for k in chosen]
        self.priorities += [detector.priority] * len(chosen)
        self.categories += [detector.category] * len(chosen)

    def spans(self, texts: list[str], maps: dict[int, Normalised], alone: list[bool],
              detectors: list[tuple[Detector, ...]] | None) -> CellSpans:
        """The candidates that stand in each text (``_resolve``), offsets into the original
        texts; a text marked ``alone`` by ``detect_text``."""
        order = _kernels.resolve(self.index, self.starts, self.ends, self.strengths,
                                 self.priorities)
        index, starts, ends, categories = self.index, self.starts, self.ends, self.categories
        first = [0]
        out_categories: list[str] = []
        out_starts: list[int] = []
        out_ends: list[int] = []
        at, count = 0, len(order)
        for i, text in enumerate(texts):
            if alone[i]:
                for match in detect_text(text, detectors=None if detectors is None
                                         else detectors[i]):
                    out_categories.append(match.category)
                    out_starts.append(match.start)
                    out_ends.append(match.end)
                while at < count and index[order[at]] == i:
                    at += 1
            else:
                norm = maps.get(i)
                while at < count and index[order[at]] == i:
                    k = order[at]
                    at += 1
                    category = categories[k]
                    if category is None:  # corporate numbers: the span is taken, not reported
                        continue
                    start, end = starts[k], ends[k]
                    if norm is not None:
                        start, end = norm.to_original(start, end)
                    out_categories.append(category)
                    out_starts.append(start)
                    out_ends.append(end)
            first.append(len(out_categories))
        return CellSpans(first, out_categories, out_starts, out_ends)


def _normal_texts(texts: list[str]) -> tuple[list[str], dict[int, Normalised]]:
    """``normalise(text).text`` of each text, and the ``Normalised`` of those whose offset map
    is not the identity: the compiled kernel gives the normal form of most texts at once
    (``_kernels.plain_texts``), ``normalise`` the others."""
    normal = _kernels.plain_texts(texts)
    maps: dict[int, Normalised] = {}
    for i, text in enumerate(normal):
        if text is None:
            norm = normalise(texts[i])
            normal[i] = norm.text
            if not norm.is_identity:
                maps[i] = norm
    return normal, maps


@cache
def _block_regex(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """``_text_regex`` with ``^`` at the start of every line (of every text joined). Its value
    groups are read from this compiled pattern, not ``_text_regex``'s: compiling the pattern a
    second time without the flag costs ~0.05 s for the address pattern, in every process."""
    regex = re.compile(pattern, re.MULTILINE)
    return regex, _value_groups(regex)


def _with_entities(text: str, spans: list[tuple[int, int, str | None]]
                   ) -> list[tuple[int, int, str | None]]:
    """``spans`` (by start, not overlapping) plus the NER's entities that overlap none of them
    nor each other."""
    from rouei.scanning import ner

    found = ner.find(text, by_category("person_name").validate,
                     by_category("address").validate)
    if not found:
        return spans
    out = list(spans)
    for start, end, category in sorted(found):
        if all(end <= s or e <= start for s, e, _ in out):
            out.append((start, end, category))
    out.sort()
    return out
