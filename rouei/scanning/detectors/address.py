"""Postal addresses in Japan (住所).

An address is a prefecture (the 47 都道府県 of 地方自治法, written with their suffix), a
municipality (市, 区, 町, 村; 郡 + 町/村; 政令指定都市 + 区), then the town and block numbers
(丁目, 番地, 番, 号, 1-2-3) and an optional building with its room number. In free text the
prefecture form needs something after the municipality; without a prefecture, a municipality
counts only when block numbers follow (横浜市中区山下町1番地). The prefecture list is inline: a
fixed fact of Japan, not a dependency.
"""

from __future__ import annotations

import re

from rouei.scanning.detectors._common import HIRAGANA, KANJI, KATAKANA, PROLONGED, nfkc, tempered

CATEGORY = "address"
CHECKSUM = None

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)
# Municipalities written in kana (the kanji-only unit below would not see them).
KANA_MUNICIPALITIES = (
    "つくばみらい", "かすみがうら", "ひたちなか", "いちき串木野", "さいたま", "南アルプス", "あきる野",
    "おいらせ", "つくば", "いわき", "みどり", "たつの", "うきは", "えびの", "みやま", "にかほ", "かほく",
    "あわら", "むつ",
)
CONTEXT_WORDS = ("住所", "ご住所", "現住所", "所在地", "送付先", "お届け先", "自宅", "〒", "address")
REQUIRES_CONTEXT = False
# What every match needs: a prefecture suffix then a municipality, or a municipality then digits.
PREFILTER = "[都道府県][^ ]{0,8}[市区町村郡]|[市区町村][^ ]{0,30}[0-9]"

_PREF = "(?:" + "|".join(PREFECTURES) + ")"
# After a prefecture a municipality may be written in kana (いすみ市, たつの市) or have a kana
# between kanji (日の出町), but not start with a particle (東京都が…市).
_UNIT = (f"(?:[{KANJI}ケノ]|[{HIRAGANA}]{{2,6}}(?=[{KANJI}])"
         f"|(?<=[{KANJI}])[のがつ](?=[{KANJI}])(?![市区町村郡]))")
# 郡 + 町/村, 市 + 区 (designated cities), or one municipality. Lazy, so 大町市 parses.
_MUNI_TEMPLATE = "(?:U{1,6}?郡U{1,6}?[町村]|U{1,6}?市U{1,6}?区|U{1,6}?[市区町村])"
_MUNI = "(?![がはをにでともへやの])" + _MUNI_TEMPLATE.replace("U", _UNIT)
# Without a prefecture the municipality must not swallow one (本社東京都港区 …).
_UNIT_NO_PREF = ("(?:" + "|".join(KANA_MUNICIPALITIES) + "|"
                 + tempered(f"{KANJI}ケノ", PREFECTURES) + ")")
_MUNI_NO_PREF = _MUNI_TEMPLATE.replace("U", _UNIT_NO_PREF)
_TOWN_CHAR = tempered(f"{KANJI}{KATAKANA}{PROLONGED}ケノ",
                      ("電話", "携帯", "氏名", "連絡先", "生年月日", "メール"))
# Town names contain short kana (丸の内, 勝どき, 二つ室), always followed by more of the name,
# and now and then Latin capitals before katakana (丸の内JPタワー).
_TOWN = (f"(?:{_TOWN_CHAR}|[{HIRAGANA}]{{1,2}}(?=[{KANJI}{KATAKANA}0-9])"
         f"|[A-Z]{{1,4}}(?=[{KATAKANA}]))")
_NUMBERS = "(?:[0-9]{1,5}(?:丁目|番地|番|号室|号|-|の)?){0,5}"
# A building: a name with katakana or Latin letters (千代田ハイツ, 松が谷コーポ, Tower) and a number.
_BUILDING = (f"(?: ?[{KANJI}{HIRAGANA}]{{0,8}}[{KATAKANA}A-Za-z]"
             f"[{KATAKANA}{PROLONGED}{HIRAGANA}{KANJI}A-Za-z]{{0,20}} ?[0-9]{{1,4}}"
             "(?:号室|号|階|F)?)?")
_LABEL = "(?:住所|ご住所|現住所|所在地|送付先|お届け先)"

COLUMN_PATTERN = (f"^(?:{_PREF} ?[{KANJI}{HIRAGANA}{KATAKANA}ケノ]{{1,12}}[市区町村郡].*"
                  f"|[{KANJI}{HIRAGANA}{KATAKANA}ケノ]{{1,12}}[市区町村郡].*[0-9].*)$")
TEXT_PATTERN = (
    f"(?P<value>{_PREF} ?{_MUNI} ?(?=[{KANJI}{KATAKANA}0-9]){_TOWN}{{0,20}}+{_NUMBERS}{_BUILDING})"
    f"|(?<![{KANJI}]){_LABEL}? ?:? ?"
    # Cheap guard first: digits must follow within the run (the rest backtracks a lot).
    f"(?P<value_2>(?=[{KANJI}{HIRAGANA}{KATAKANA}{PROLONGED}ケノ]{{2,40}}[0-9])"
    f"{_MUNI_NO_PREF}{_TOWN}{{0,20}}+[0-9]{{1,5}}(?:丁目|番地|番|号|-(?=[0-9]))"
    f"{_NUMBERS}{_BUILDING})")

_LOCALITY = re.compile(f"(?:{_PREF})? ?{_MUNI}")
_BLOCK_NUMBERS = re.compile("[0-9](?:丁目|番地|番|号)|[0-9]-[0-9]")
BLOCK_SUFFIXES = ("番地", "丁目", "番", "号")  # 番地 before 番: the longer one first
_SUFFIX_BEFORE_DIGIT = re.compile("(?:" + "|".join(BLOCK_SUFFIXES) + ")(?=[0-9])")
_SUFFIX = re.compile("|".join(BLOCK_SUFFIXES))


def split_locality(value: str) -> tuple[str, str]:
    """(prefecture + municipality, the rest): the part of an address safe to show."""
    m = _LOCALITY.match(value)
    return (value[: m.end()], value[m.end():]) if m else ("", value)


def validate(value: str) -> bool:
    v = nfkc(value).strip()
    if not 4 <= len(v) <= 120 or "@" in v:
        return False
    locality, rest = split_locality(v)
    if not locality:
        return False
    if v.startswith(PREFECTURES):
        return True
    return bool(_BLOCK_NUMBERS.search(rest))


def normalise_value(value: str) -> str:
    """No spaces, block numbers as 1-2-3: a block suffix (丁目, 番地, 番, 号) becomes a dash
    before a digit and goes elsewhere, so 1丁目2番3号 and 1-2-3 are the same address, and so
    are 1丁目2番 ハイツ101 and 1-2 ハイツ101."""
    v = nfkc(value).replace(" ", "")
    v = _SUFFIX.sub("", _SUFFIX_BEFORE_DIGIT.sub("-", v))
    return re.sub("-+", "-", v).rstrip("-")
