"""Which item a column of a table holds: from its header and from the share of its values that
validate, so that a column headed ``col7`` full of valid phone numbers is found, and a column of
order numbers is not.

Rules (the thresholds are the module constants below):
- a header that names a catalogue item (an alias, exact or contained in a longer header such as
  お客様電話番号) decides, unless its values clearly belong to another item;
- without such a header, the values decide: the item whose detector validates the largest
  share of sampled values, if that share is high enough. Items whose values have no checksum
  or strong shape need a higher share; bare numbers that look like any other number (bank
  accounts, passports, licences) are only taken from a header, unless a cell names its own
  context (みずほ銀行 渋谷支店 普通 1234567: a detector's ``SELF_EVIDENT_PATTERN``);
- a header that names something else (商品コード, 注文番号, a shop's 店舗電話番号, ``items.0.sku``:
  ``items.HEADER_VETOES``) outweighs any share of values that look valid: the column holds no
  item, and the report says what its values looked like;
- a name column (氏名, 口座名義, カード名義) whose values are kana readings is a column of
  readings (name_kana);
- a column whose values split between items of a strict shape (連絡先 with a phone in some rows
  and an e-mail in others) keeps its main item and names the others (``mixed``): each cell is
  reported as the item it is;
- a header that names a role of the company's own side (担当者名, 対応者, 営業担当, ``staff_name``:
  ``items.STAFF_ROLE_WORDS``) is a column of employees' names (``staff``): reported as
  person_name, never the record's key nor a person of the count. Checked before the header
  vetoes and aliases (担当者氏名 is the clerk's, not the customer's); a role alone (担当) must
  hold names in most of its cells, not departments.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

from rouei.domain.items import (
    CATALOGUE,
    HEADER_VETOES,
    PART_HEADER_PREFIXES,
    PART_HEADERS,
    STAFF_NAME_SUFFIXES,
    STAFF_ROLE_WORDS,
    HeaderVeto,
    fold_header,
)
from rouei.scanning.detectors import Detector, _anchors, all_detectors

try:
    from rouei.scanning import _anchored
except ImportError:  # pragma: no cover - a build without the C extension
    _anchored = None

SAMPLE_SIZE = 300
SHARE_WITH_CHECKSUM = 0.6  # e.g. card numbers (Luhn), My Numbers (check digit)
SHARE_SHAPE_ONLY = 0.8  # e.g. names, addresses: a shape but no checksum
SHARE_HEADER_OVERRULED = 0.2
# Bare digit strings that look like many other numbers (order, member or slip numbers): only a
# header names them. Names, kana readings, birth dates and disease names keep their shape in a
# column of their own, so a headerless column of them is found by its values.
HEADER_ONLY = frozenset({"bank_account", "passport", "drivers_license", "password"})
# In a file with a header row, a column whose header names no item is classified from its values
# only for items with a checksum or a strict shape: status words (受付) look like names, order
# dates like birth dates. Without a header row, values are all there is.
SHAPE_ONLY = frozenset({"person_name", "name_kana", "birth_date", "health", "disability",
                        "health_checkup_result", "address"})
BIRTH_YEARS_AGO = 15  # a column of birth dates is mostly of people at least this old  # below this, a header's item yields to what the values say
FREE_TEXT_MIN_LENGTH = 24  # an unclassified column with values this long is scanned as text
# A column headed as notes (備考, メモ, 特記事項 …) is free text however short its notes are
# (田中様より電話あり, 090-…に折り返し); so is an unheaded one whose cells read as sentences
# (``_NOTE_LIKE``) in at least FREE_TEXT_NOTE_SHARE of them.
FREE_TEXT_HEADER = re.compile(
    r"備考|メモ|コメント|特記|連絡事項|申し?送り|摘要|所見|経過|履歴|対応内容|問い?合わせ内容|ご?要望"
    r"|ご?意見|ご?感想|自由記述|自由記入|記事|注記|付記|^(?:notes?|remarks?|comments?|memo|"
    r"description|message|details?)$", re.IGNORECASE)
FREE_TEXT_NOTE_SHARE = 0.5
FREE_TEXT_NOTE_MIN_LENGTH = 6  # 発送済み, 確認済み are a status, not a note
# A note: words joined by particles or ending as a memo ends (より電話あり, に折り返し, 済み)
_NOTE_LIKE = re.compile(r"より|から|まで|[にをがはでへ](?![\u3040-\u309f])|とのこと|あり|なし|済み?|予定|希望"
                        r"|依頼|確認|連絡|折り?返し|ください|ました|ます")
# A column is mixed when another item of a strict shape holds at least this share of its sampled
# values (and MIXED_MIN_VALUES of them), beside the main item: fewer are stray typing.
MIXED_MIN_SHARE = 0.05
MIXED_MIN_VALUES = 3

_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ColumnClass:
    column: str
    category: str | None
    by_header: bool = False
    valid_share: float | None = None
    free_text: bool = False  # no single item: run the text detectors on each cell
    part: str | None = None  # one part of an item split over columns (items.PART_HEADERS)
    # other items of a strict shape found in some of the cells (連絡先: phones and e-mails);
    # each cell that is one of them is reported as that item, not as ``category``
    mixed: tuple[str, ...] = ()
    veto: str | None = None  # ``items.HeaderVeto.id``: the header names something else
    looked_like: str | None = None  # with a veto: the item the values alone would have given
    # names of the company's own people (担当者名: items.STAFF_ROLE_WORDS): reported as
    # ``category``, never a record's key nor a person of the count
    staff: bool = False


def _fold(text: str) -> str:
    """A header (or a word matched in one) as the catalogue reads it: 氏　名 is 氏名, 電話番号（携帯）
    is 電話番号 (``items.fold_header``)."""
    return fold_header(text)


@cache
def _aliases() -> tuple[tuple[str, str], ...]:
    """(folded alias, item id), longest first, so 電話番号 wins over 電話."""
    pairs = {(_fold(alias), item.id)
             for item in CATALOGUE for alias in (item.id, item.label_ja, *item.aliases)}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


# The name of a person named by their role (契約者名, 被保険者氏名, 受取人名, 世帯主の氏名, 保護者様名):
# a header of a person column that no alias lists, since every trade has its own roles. Roles
# that a company fills (事業者, 販売者, 法人 …) are not a person's, nor are its staff's roles in a
# record (担当者名, 受付者名: the record is not theirs, so their name is not its key).
_ROLE_NAME = re.compile(r"(?:者|人|主|様)(?:の)?(?:氏名|名前|名)$")
_COMPANY_ROLE = re.compile(r"事業|業者|法人|団体|会社|企業|販売|製造|発行|運営|店|機関|委託"
                           r"|担当|受付|対応|記入|作成|承認|入力")


@cache
def _staff_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(role words, name suffixes), folded, longest first."""
    def folded(words: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({_fold(w) for w in words}, key=len, reverse=True))
    return folded(STAFF_ROLE_WORDS), folded(STAFF_NAME_SUFFIXES)


def _ends_with_role(key: str, roles: tuple[str, ...]) -> bool:
    key = key.rstrip("_ ")
    for role in roles:
        if not key.endswith(role):
            continue
        before = key[:len(key) - len(role)]
        # a Latin role is a whole word (``sales_rep``, not ``prep``)
        if not role.isascii() or not before or not before[-1].isalnum():
            return True
    return False


def staff_header(header: str) -> bool:
    """Whether ``header`` names a role of the company's own side, alone or with a name word
    after it (担当者, 担当者名, 営業担当者氏名, ``staff_name``, ``order.staff.name``):
    ``items.STAFF_ROLE_WORDS``."""
    return _staff_header(header) is not None


def _staff_header(header: str) -> bool | None:
    """None: not a staff role; else whether a name word follows the role (担当者名: True,
    担当者: False)."""
    folded = _fold(header)
    if not folded:
        return None
    roles, suffixes = _staff_words()
    keys = [key for key in folded.split(".") if key] or [folded]
    key, named = keys[-1], False
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix):
            rest = key[:len(key) - len(suffix)].removesuffix("の")
            if not suffix.isascii() or not rest[-1].isalnum():
                key, named = rest, True
                break
    else:
        if key in suffixes and len(keys) > 1:  # order.staff.name: the role is the key before
            key, named = keys[-2], True
    return named if _ends_with_role(key, roles) else None


def header_category(header: str) -> str | None:
    """The item a header names: an alias exactly, or contained in it. ASCII aliases must be
    whole words (``tel`` in ``home_tel``, not ``pin`` in ``shipping``); else a person's name
    by their role (``_ROLE_NAME``)."""
    folded = _fold(header)
    if not folded:
        return None
    tokens = set(_TOKEN.findall(folded))
    for alias, item_id in _aliases():
        if folded == alias:
            return item_id
    for alias, item_id in _aliases():
        if alias.isascii():
            if alias in tokens or ("_" in alias and alias in folded):
                return item_id
        elif len(alias) >= 2 and alias in folded:
            return item_id
    if _ROLE_NAME.search(folded) and not _COMPANY_ROLE.search(folded):
        return "person_name"
    return None


@cache
def _vetoes() -> tuple[tuple[HeaderVeto, frozenset[str], frozenset[str], frozenset[str]], ...]:
    return tuple((veto, frozenset(map(_fold, veto.words)), frozenset(map(_fold, veto.exact)),
                  frozenset(map(_fold, veto.unless))) for veto in HEADER_VETOES)


def _names_one_of(key: str, words: frozenset[str]) -> bool:
    """A word of ``words`` in ``key``: contained (Japanese) or a whole word (Latin: tokens and
    ``_`` compounds)."""
    tokens = set(_TOKEN.findall(key))
    for word in words:
        if word.isascii():
            if word in tokens or ("_" in word and word in key):
                return True
        elif word in key:
            return True
    return False


def header_veto(header: str) -> HeaderVeto | None:
    """The ``HEADER_VETOES`` entry whose words name what ``header`` is about, if any (see
    there: a "leaf" veto looks at the header or its last key; an "enclosing" one at each key
    from the last back, up to a key that names a data subject)."""
    folded = _fold(header)
    if not folded:
        return None
    keys = [key for key in folded.split(".") if key] or [folded]
    for veto, words, exact, unless in _vetoes():
        if folded in exact or keys[-1] in exact:
            return veto
        for key in (keys[-1:] if veto.scope == "leaf" else reversed(keys)):
            if _names_one_of(key, words):
                return veto
            if unless and _names_one_of(key, unless):
                break
    return None


def value_share(detector: Detector, folded: list[str]) -> float:
    """The share of ``folded`` values (``_fold_cell``, none empty) whose whole cell is a valid
    value for ``detector``."""
    flags = _valid_flags(detector, folded)
    return sum(flags) / len(folded) if folded else 0.0


def _valid_flags(detector: Detector, folded: list[str],
                 pattern: str | None = None) -> list[bool]:
    """For each of ``folded``, whether its whole cell is a valid value for ``detector`` (the
    cell matching ``pattern``, by default the detector's ``column_pattern``)."""
    match = _cell_matcher(pattern or detector.column_pattern)
    return [bool(match(value)) and detector.validate(value) for value in folded]


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# A column pattern that asks only whether a cell holds one of its terms anywhere (health's,
# disability's: "(?s)^.*(?:TERMS).*$").
_HOLDS = ("(?s)^.*(?:", ").*$")


@cache
def _cell_matcher(pattern: str) -> Callable[[str], object]:
    """Whether a cell matches ``pattern`` whole (``re.compile(pattern).match``, truthy or not).
    For a pattern that asks whether the cell holds one of its terms, the same answer from a
    search of the terms asked only where one of their words is (``_anchors.search``), instead
    of every term tried at every character of every sampled cell (health's ~350 terms were
    most of ``classify``'s regex time on a table of short cells)."""
    head, tail = _HOLDS
    if pattern.startswith(head) and pattern.endswith(tail):
        terms = pattern[len(head):-len(tail)]
        try:  # (TERMS compiling alone: the group opened by the head closes at the tail)
            inner = re.compile(terms, re.DOTALL)
        except re.error:
            inner = None
        found = _anchors.anchors(inner) if inner is not None else None
        if found is not None and _anchored is not None:  # the words' table built once
            table = _anchored.table([w for w, _ in found], [d for _, d in found])
            return partial(_holds, table, inner.match)
        if found is not None:
            return partial(_anchors.search, inner)
    return _compiled(pattern).match


def _holds(table: object, match: Callable[..., object], cell: str) -> bool:
    """Whether the pattern whose ``match`` is given matches somewhere in ``cell``, asked where
    the words of ``table`` put a possible start (_anchored.c)."""
    return bool(_anchored.find(table, (cell,), match, ()))


_prepare_lock = threading.Lock()
_prepared: list[Detector] = []


def prepare() -> list[Detector]:
    """The detectors of catalogue items, with what ``classify`` matches compiled: tens of
    milliseconds of regex compiling, which the engine starts in a thread while the first rows
    of a file are read (callers meanwhile wait here for it to finish)."""
    with _prepare_lock:
        if not _prepared:
            detectors = [d for d in all_detectors() if d.category is not None]
            for detector in detectors:
                _cell_matcher(detector.column_pattern)
            _prepared.extend(detectors)
        return _prepared


def _fold_cell(raw: str | None) -> str:
    return unicodedata.normalize("NFKC", raw).strip() if raw else ""


def _mostly_old(detector: Detector, values: list[str]) -> bool:
    """Most dates at least BIRTH_YEARS_AGO years back, and not one date repeated (an order or
    registration date column is recent, or a few days over and over)."""
    limit = dt.date.today().year - BIRTH_YEARS_AGO
    years = []
    for value in values:
        folded = _fold_cell(value)
        if folded and detector.validate(folded):
            canonical = detector.normalise_value(folded)
            if canonical[:4].isdigit():
                years.append((int(canonical[:4]), canonical))
    if not years:
        return False
    old = sum(1 for year, _ in years if year <= limit)
    distinct = len({c for _, c in years})
    return old >= SHARE_SHAPE_ONLY * len(years) and distinct * 2 > len(years)


@cache
def _parts() -> dict[str, tuple[str, str]]:
    return {_fold(header): part for header, part in PART_HEADERS.items()}


def _part(column: str) -> tuple[str, str] | None:
    """The (item, part) a header names; for a nested JSON key (contact.address.city), its
    last key."""
    parts = _parts()
    folded = _fold(column)
    if "." in folded and folded not in parts:
        folded = folded.rsplit(".", 1)[1]
    found = parts.get(folded)
    if found is None:  # order_name01, shipping_zip01, billing_first_name
        for prefix in PART_HEADER_PREFIXES:
            if folded.startswith(prefix) and (found := parts.get(folded[len(prefix):])):
                break
    return found


def _strict(detector: Detector) -> bool:
    """An item whose values alone say what they are (an e-mail address, a phone number, a
    checksummed number): the only kinds a mixed column is split into."""
    return detector.category not in HEADER_ONLY and detector.category not in SHAPE_ONLY


def _minorities(main: str | None, flags: dict[str, list[bool]],
                detectors: list[Detector]) -> tuple[str, ...]:
    """The strict items, other than ``main``, that hold enough of the sampled values that are
    not ``main``'s (``MIXED_MIN_SHARE``, ``MIXED_MIN_VALUES``), largest first."""
    if not flags:
        return ()
    n = len(next(iter(flags.values())))
    taken = flags.get(main or "", [False] * n)
    found = []
    for detector in detectors:
        category = detector.category
        if category == main or category not in flags or not _strict(detector):
            continue
        alone = sum(1 for own, other in zip(flags[category], taken, strict=True)
                    if own and not other)
        if alone >= MIXED_MIN_VALUES and alone >= MIXED_MIN_SHARE * n:
            found.append((alone, category))
    return tuple(category for _, category in sorted(found, reverse=True))


def classify(column: str, values: list[str | None], *, has_header: bool) -> ColumnClass:
    """Classify one column from its header (if any) and a sample of its values."""
    sample = [v for v in values if v and v.strip()][:SAMPLE_SIZE]
    named_staff = _staff_header(column) if has_header else None
    if named_staff is not None:
        # The company's clerks (担当者名): their names are reported, the record is not theirs.
        # A role alone (担当) may hold departments: its values must then be names.
        names = next(d for d in prepare() if d.category == "person_name")
        folded = [f for f in map(_fold_cell, sample) if f]
        share = value_share(names, folded)
        if share >= (SHARE_HEADER_OVERRULED if named_staff else SHARE_SHAPE_ONLY) or not folded:
            return ColumnClass(column, "person_name", True, round(share, 3), staff=True)
    veto = header_veto(column) if has_header else None
    part = _part(column) if has_header and veto is None else None
    if part is not None:  # 姓, 名, 都道府県, 番地 …: the header is all there is to go by
        return ColumnClass(column, part[0], True, None, part=part[1])
    detectors = prepare()
    folded = [f for f in map(_fold_cell, sample) if f]
    flags = {d.category: _valid_flags(d, folded) for d in detectors}
    shares = {category: sum(f) / len(folded) if folded else 0.0
              for category, f in flags.items()}
    # Items only a header names, unless a cell carries its own context (a bank and branch).
    evident = {d.category: _evident_share(d, folded) for d in detectors
               if d.category in HEADER_ONLY and hasattr(d.module, "SELF_EVIDENT_PATTERN")}
    named = header_category(column) if has_header and veto is None else None
    best = max(shares, key=shares.__getitem__) if shares else None
    best_share = shares.get(best, 0.0) if best else 0.0

    def enough(category: str, share: float | None = None) -> bool:
        detector = next(d for d in detectors if d.category == category)
        if category in HEADER_ONLY:
            return evident.get(category, 0.0) >= SHARE_SHAPE_ONLY
        if has_header and category in SHAPE_ONLY:
            return False
        need = SHARE_WITH_CHECKSUM if detector.checksum else SHARE_SHAPE_ONLY
        if category == "birth_date" and not _mostly_old(detector, sample):
            return False
        return (shares[category] if share is None else share) >= need

    def by_values(category: str) -> ColumnClass:
        mixed = _minorities(category, flags, detectors)
        return ColumnClass(column, category, False, round(shares[category], 3), mixed=mixed)

    if veto is not None:
        looked_like = next((c for c in sorted(shares, key=shares.__getitem__, reverse=True)
                            if shares[c] and enough(c)), None)
        best_share = shares.get(looked_like or "", 0.0)
        return ColumnClass(column, None, True, None if looked_like is None
                           else round(best_share, 3), veto=veto.id, looked_like=looked_like)
    if named == "person_name" and shares.get("name_kana", 0.0) >= SHARE_SHAPE_ONLY:
        # 口座名義, カード名義, even 氏名, written in kana (ﾔﾏﾀﾞ ﾀﾛｳ): readings of names
        return ColumnClass(column, "name_kana", False, round(shares["name_kana"], 3))
    if named is not None:
        own = shares.get(named)
        if own is not None and own < SHARE_HEADER_OVERRULED and best and best != named \
                and enough(best):
            return by_values(best)
        mixed = _minorities(named, flags, detectors) if own is not None else ()
        return ColumnClass(column, named, True, None if own is None else round(own, 3),
                           mixed=mixed)
    if best and enough(best):
        return by_values(best)
    if best and _strict(next(d for d in detectors if d.category == best)):
        # No one item is enough, but strict items together are (phones and e-mails in one
        # column): the largest is the column's item, the others its minorities.
        mixed = _minorities(best, flags, detectors)
        if mixed:
            union = [any(flags[c][i] for c in (best, *mixed)) for i in range(len(folded))]
            if enough(best, sum(union) / len(folded)):
                return by_values(best)
    return ColumnClass(column, None, False, None, _free_text(column, sample, has_header))


def _free_text(column: str, sample: list[str], has_header: bool) -> bool:
    """An unclassified column is free text when half its cells are long, when its header
    names notes, or when half its cells read as notes (``_NOTE_LIKE``), however short."""
    if not sample:
        return False
    if sum(len(v) >= FREE_TEXT_MIN_LENGTH for v in sample) * 2 >= len(sample):
        return True
    if has_header and FREE_TEXT_HEADER.search(column.strip()):
        return True
    notes = sum(len(v) >= FREE_TEXT_NOTE_MIN_LENGTH and bool(_NOTE_LIKE.search(v)) for v in sample)
    return notes >= FREE_TEXT_NOTE_SHARE * len(sample)


def _evident_share(detector: Detector, folded: list[str]) -> float:
    """The share of ``folded`` cells that are the item by themselves: the whole cell matches
    the detector's ``SELF_EVIDENT_PATTERN``, or the cell holds a value with one of the
    detector's context words near it (みずほ銀行 渋谷支店 普通 1234567 ﾔﾏﾀﾞ ﾀﾛｳ)."""
    if not folded:
        return 0.0
    whole = _valid_flags(detector, folded, detector.module.SELF_EVIDENT_PATTERN)
    evident = sum(1 for value, ok in zip(folded, whole, strict=True)
                  if ok or any(c.strength for c in detector.candidates(value)))
    return evident / len(folded)


def by_evident_values(cls: ColumnClass) -> bool:
    """A column of an item only a header names, found by cells that carry their context: its
    cells are searched for the item as under a header (``Detector.find_in_cell``)."""
    return cls.category in HEADER_ONLY and not cls.by_header
