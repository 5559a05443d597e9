"""Health information (病歴・病状・診療情報), 要配慮個人情報: APPI Art. 2(3); Cabinet Order Art. 2(ii)–(iii);
PPC Guidelines (通則編) 2-3. The vocabulary and its sources are in ``_health_vocabulary``.

What is found in free text:

- a disease, a medicine, a treatment or a clinical department (精神科, 心療内科) from the
  vocabulary, matched as a whole word (a katakana or Latin term not inside a longer katakana or
  Latin word; がん not in がんばる);
- a disease name the list lacks, by the shape of Japanese disease names (kanji or katakana
  ending in 病, 症, 炎, 癌 …: 「逆流性咽頭炎と診断された」);
- a medicine named by what it treats: 「血圧の薬を飲んでいる」;
- being in care, said of someone: 入院中, 通院中, 妊娠中 ….

A word alone says little (a leaflet mentions 糖尿病 too), so a term counts only with a medical
context word (診断, 処方, 通院, 飲んでいる, 言われ …) within ``CONTEXT_WINDOW`` characters; and a
sentence that speaks of the illness in general — 「妊娠中の方はご使用をお控えください」, a product
or a seminar — vetoes it unless it also speaks of someone (``plausible``). In a column whose
header is medical (病名, 既往歴 …; the column classifier decides) any vocabulary word counts:
``COLUMN_PATTERN`` finds a term anywhere in the cell and ``validate`` accepts a term.
"""

from __future__ import annotations

import re
from functools import cache

from rouei.scanning.detectors import _anchors
from rouei.scanning.detectors import _health_vocabulary as vocab
from rouei.scanning.detectors._common import HIRAGANA, KANJI, KATAKANA, PROLONGED, nfkc

CATEGORY = "health"
CHECKSUM = None

DISEASES = vocab.DISEASES
TREATMENTS = vocab.TREATMENTS + vocab.DEPARTMENTS
MEDICINES = vocab.MEDICINES
VOCABULARY = DISEASES + TREATMENTS + MEDICINES + vocab.IN_CARE

CONTEXT_WORDS = vocab.MEDICAL_CONTEXT
CONTEXT_WINDOW = 40
REQUIRES_CONTEXT = True

# がん as in がんばる, がんこ, がんじがらめ, がんもどき: not cancer.
_GAN_NOT = "(?!ば|こ|じ|も|ぜ|ぐ)"
_WORD = f"[{KANJI}{KATAKANA}{PROLONGED}]"


# Particles that may stand next to a word written in hiragana (母がてんかんで通院).
_PARTICLES = "のでがとをにはもや"


def whole_word(term: str) -> str:
    """The term with look-arounds that keep it from matching inside a longer word: a katakana
    or Latin term not inside a longer katakana or Latin word; a term all in hiragana (がん,
    てんかん) with no other hiragana than a particle either side (がんばる is not がん).

    The look-behind is written after the first character (``イ(?<![カナ]イ)ンスリン``), so every
    alternative starts with a literal and ``re`` skips to the positions where one can start."""
    first, rest = re.escape(term[0]), re.escape(term[1:])
    if term.isascii():
        return f"{first}(?<![A-Za-z0-9]{first}){rest}(?![A-Za-z0-9])"
    before = after = ""
    kana = f"[{KATAKANA}{PROLONGED}]"
    if re.match(kana, term[0]):
        before = f"(?<!{kana}{first})"
    if re.match(kana, term[-1]):
        after = f"(?!{kana})"
    if re.fullmatch(f"[{HIRAGANA}]+", term):
        before = f"(?:(?<![{HIRAGANA}]{first})|(?<=[{_PARTICLES}]{first}))"
        after = f"(?:(?![{HIRAGANA}])|(?=[{_PARTICLES}]))"
    if term.endswith("がん"):
        after += _GAN_NOT
    return first + before + rest + after


def terms_pattern(terms: tuple[str, ...]) -> str:
    return "|".join(whole_word(t) for t in sorted(set(terms), key=len, reverse=True))


def literal_pattern(terms: tuple[str, ...]) -> str:
    """The terms as plain alternatives, longest first (compiles in Rust's regex too)."""
    return "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))


_SUFFIXES = literal_pattern(vocab.DISEASE_SUFFIXES)
# A disease name by its ending; the word ends there (no kanji after: 大学病院 is not 大学病).
DISEASE_SHAPE = f"{_WORD}(?<!{_WORD}{_WORD}){_WORD}{{0,11}}?(?:{_SUFFIXES})(?![{KANJI}]){_GAN_NOT}"
MEDICINE_SHAPE = f"{_WORD}(?<!{_WORD}{_WORD}){_WORD}{{0,7}}(?:{literal_pattern(vocab.MEDICINE_OF)})"

TEXT_PATTERN = "|".join((terms_pattern(VOCABULARY), MEDICINE_SHAPE, DISEASE_SHAPE))
# No match can stand without a context word or a word of being in care: a text with neither is
# not worth the vocabulary's pattern (most lines of a mail, most 備考 cells).
PREFILTER = literal_pattern(CONTEXT_WORDS + vocab.IN_CARE)
_COLUMN_TERMS = tuple(t for t in DISEASES + MEDICINES + vocab.TREATMENTS if len(t) >= 2)
COLUMN_PATTERN = "(?s)^.*(?:" + literal_pattern(_COLUMN_TERMS) + ").*$"
# Priority over disability and checkup detectors on a tie is theirs (they are more specific).
PRIORITY = 0
# The pattern has no literal prefix for ``re`` to skip by (words with look-behinds, then disease
# names by their ending): it is asked only where a vocabulary word, a disease name's ending or
# a medicine's の薬 puts a possible start, with the same matches as ``finditer``.
find_spans = _anchors.find_spans

_TERMS = frozenset(nfkc(t).casefold() for t in VOCABULARY)
_CELL_TERMS = frozenset(nfkc(t).casefold() for t in _COLUMN_TERMS)
# Compiled on first use (``_regex``): a scan of tables alone never needs them, and compiling
# them all takes a tenth of a second at start-up.
_SHAPES = f"(?:{MEDICINE_SHAPE}|{DISEASE_SHAPE})"
_NOT_DISEASES = frozenset(vocab.NOT_DISEASES) | frozenset(vocab.MEDICAL_CONTEXT) | {
    "発症", "重症", "軽症", "炎症", "疾病", "発病", "罹病", "症", "病", "闘病", "既往症", "急病"}
_IN_CARE = frozenset(vocab.IN_CARE)


def validate(value: str) -> bool:
    """A vocabulary term or a disease or medicine by its shape (a finding's value), or a cell
    that contains a term."""
    v = nfkc(value).strip().casefold()
    if v in _TERMS:
        return True
    if v in _NOT_DISEASES or any(v.endswith(w) for w in vocab.NOT_DISEASES):
        return False
    return bool(_regex(_SHAPES).fullmatch(v)) or any(t in v for t in _CELL_TERMS)


def needs_context(value: str) -> bool:
    """Being in care (入院中) says it of someone without another word."""
    return nfkc(value).strip() not in _IN_CARE


_NAMED = "|".join((terms_pattern(DISEASES + MEDICINES + vocab.DEPARTMENTS), MEDICINE_SHAPE,
                   DISEASE_SHAPE))
_SENTENCE_END = re.compile("[。！？!?\n]")
_GENERIC = literal_pattern(vocab.GENERIC)
_AUDIENCE = literal_pattern(vocab.AUDIENCE)
_PEOPLE = "(?<!客)(?<!皆)(?:" + literal_pattern(vocab.PEOPLE) + ")"
_ACTS = literal_pattern(vocab.ACTS)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
SENTENCE_REACH = 80  # characters each side looked at for the sentence around a match


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]`` (up to ``SENTENCE_REACH`` each side)."""
    lo = max(0, start - SENTENCE_REACH)
    before = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    after = _SENTENCE_END.search(text, end, end + SENTENCE_REACH)
    return text[before[-1] if before else lo: after.start() if after else end + SENTENCE_REACH]


def plausible(text: str, start: int, end: int) -> bool:
    """False when the sentence speaks of the illness in general and of no one in particular:
    to its readers (「…された方は」, unless a person is named) or as a notice, a product or an
    advertisement (unless a person is named or something was done to someone)."""
    sentence = sentence_around(text, start, end)
    if text[start:end] in _IN_CARE and _anchors.search(
            _regex(_NAMED), sentence.replace(text[start:end], "")):
        return False  # 「うつ病で通院中」: one item, the illness names it
    if _regex(_PEOPLE).search(sentence):
        return True
    if _regex(_AUDIENCE).search(sentence):
        return False
    return not _regex(_GENERIC).search(sentence) or bool(_regex(_ACTS).search(sentence))


def normalise_value(value: str) -> str:
    return nfkc(value).strip().casefold()
