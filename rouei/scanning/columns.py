"""Which item a column of a table holds: from its header and from the share of its values that
validate, so that a column headed ``col7`` full of valid phone numbers is found, and a column of
order numbers is not.

Rules (the thresholds are the module constants below):
- a header that names a catalogue item (an alias, exact or contained in a longer header such as
  お客様電話番号) decides, unless its values clearly belong to another item;
- without such a header, the values decide: the item whose detector validates the largest
  share of sampled values, if that share is high enough. Items whose values have no checksum
  or strong shape need a higher share; bare numbers that look like any other number (bank
  accounts, passports, licences) are only taken from a header.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

from rouei.domain.items import CATALOGUE, PART_HEADER_PREFIXES, PART_HEADERS
from rouei.scanning.detectors import Detector, all_detectors

SAMPLE_SIZE = 300
SHARE_WITH_CHECKSUM = 0.6  # e.g. card numbers (Luhn), My Numbers (check digit)
SHARE_SHAPE_ONLY = 0.8  # e.g. names, addresses: a shape but no checksum
SHARE_HEADER_OVERRULED = 0.2
# Bare digit strings that look like many other numbers (order, member or slip numbers): only a
# header names them. Names, kana readings, birth dates and disease names keep their shape in a
# column of their own, so a headerless column of them is found by its values.
HEADER_ONLY = frozenset({"bank_account", "passport", "drivers_license"})
# In a file with a header row, a column whose header names no item is classified from its values
# only for items with a checksum or a strict shape: status words (受付) look like names, order
# dates like birth dates. Without a header row, values are all there is.
SHAPE_ONLY = frozenset({"person_name", "name_kana", "birth_date", "health", "disability",
                        "health_checkup_result", "address"})
BIRTH_YEARS_AGO = 15  # a column of birth dates is mostly of people at least this old  # below this, a header's item yields to what the values say
FREE_TEXT_MIN_LENGTH = 24  # an unclassified column with values this long is scanned as text

_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ColumnClass:
    column: str
    category: str | None
    by_header: bool = False
    valid_share: float | None = None
    free_text: bool = False  # no single item: run the text detectors on each cell
    part: str | None = None  # one part of an item split over columns (items.PART_HEADERS)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


@cache
def _aliases() -> tuple[tuple[str, str], ...]:
    """(folded alias, item id), longest first, so 電話番号 wins over 電話."""
    pairs = {(_fold(alias), item.id)
             for item in CATALOGUE for alias in (item.id, item.label_ja, *item.aliases)}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def header_category(header: str) -> str | None:
    """The item a header names: an alias exactly, or contained in it. ASCII aliases must be
    whole words (``tel`` in ``home_tel``, not ``pin`` in ``shipping``)."""
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
    return None


def value_share(detector: Detector, folded: list[str]) -> float:
    """The share of ``folded`` values (``_fold_cell``, none empty) whose whole cell is a valid
    value for ``detector``."""
    match = _compiled(detector.column_pattern).match
    valid = sum(1 for value in folded if match(value) and detector.validate(value))
    return valid / len(folded) if folded else 0.0


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


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
                _compiled(detector.column_pattern)
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


def classify(column: str, values: list[str | None], *, has_header: bool) -> ColumnClass:
    """Classify one column from its header (if any) and a sample of its values."""
    sample = [v for v in values if v and v.strip()][:SAMPLE_SIZE]
    part = _part(column) if has_header else None
    if part is not None:  # 姓, 名, 都道府県, 番地 …: the header is all there is to go by
        return ColumnClass(column, part[0], True, None, part=part[1])
    detectors = prepare()
    folded = [f for f in map(_fold_cell, sample) if f]
    shares = {d.category: value_share(d, folded) for d in detectors}
    named = header_category(column) if has_header else None
    best = max(shares, key=shares.__getitem__) if shares else None
    best_share = shares.get(best, 0.0) if best else 0.0

    def enough(category: str) -> bool:
        detector = next(d for d in detectors if d.category == category)
        if category in HEADER_ONLY or (has_header and category in SHAPE_ONLY):
            return False
        need = SHARE_WITH_CHECKSUM if detector.checksum else SHARE_SHAPE_ONLY
        if category == "birth_date" and not _mostly_old(detector, sample):
            return False
        return shares[category] >= need

    if named is not None:
        own = shares.get(named)
        if own is not None and own < SHARE_HEADER_OVERRULED and best and best != named \
                and enough(best):
            return ColumnClass(column, best, False, round(best_share, 3))
        return ColumnClass(column, named, True, None if own is None else round(own, 3))
    if best and enough(best):
        return ColumnClass(column, best, False, round(best_share, 3))
    long_values = [v for v in sample if len(v) >= FREE_TEXT_MIN_LENGTH]
    free_text = bool(sample) and len(long_values) * 2 >= len(sample)
    return ColumnClass(column, None, False, None, free_text)
