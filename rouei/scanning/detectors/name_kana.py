"""Name readings in kana (氏名のフリガナ).

In free text only in a frame: after a reading label (フリガナ, ふりがな, カナ, 氏名カナ, よみがな,
セイメイ, Kana) and a colon or space, or as katakana family and given name separated by a space
before an honorific (ヤマダ タロウ様). Each part is all katakana or all hiragana (a reading does not
mix them, so a following particle is not swallowed). Half-width katakana (ﾔﾏﾀﾞ) is katakana after
NFKC. Columns are classified by header; ``validate`` rejects what cannot be a reading.
"""

from __future__ import annotations

import re

from rouei.scanning.detectors._common import HIRAGANA, KATAKANA, MIDDLE_DOT, PROLONGED, nfkc

CATEGORY = "name_kana"
CHECKSUM = None
CONTEXT_WORDS = ("フリガナ", "ふりがな", "カナ", "よみがな", "ヨミガナ", "セイメイ", "様", "さん", "(",
                 "さま", "殿", "kana", "furigana")
REQUIRES_CONTEXT = True

LABELS = ("氏名(カナ)", "氏名(フリガナ)", "氏名カナ", "カナ氏名", "フリガナ", "ふりがな", "よみがな",
          "ヨミガナ", "セイメイ", "カナ", "Kana", "KANA", "kana", "Furigana", "furigana")
# Katakana words that take 様 in business mail but are not people.
NOT_NAMES = frozenset((
    "サービス", "センター", "カスタマー", "サポート", "ショップ", "ストア", "スタッフ", "チーム",
    "グループ", "オフィス", "クリニック", "ホテル", "システム", "デザイン", "マーケティング",
    "セールス", "メンバー", "ユーザー", "オーナー", "ゲスト", "カード", "ネット",
))

_PART = f"(?:[{KATAKANA}{PROLONGED}]{{1,12}}|[{HIRAGANA}{PROLONGED}]{{1,12}})"
_KATA = f"[{KATAKANA}{PROLONGED}]"
_LABEL = "(?:" + "|".join(re.escape(label) for label in LABELS) + ")"
TEXT_PATTERN = (
    f"(?<![{KATAKANA}{PROLONGED}]){_LABEL} *(?:: *| )(?P<value>{_PART}(?: {_PART})?)"
    f"|(?<![{KATAKANA}{PROLONGED}])(?P<value_2>{_KATA}{{1,10}} {_KATA}{{1,10}}) ?"
    "(?:様|さん|さま|殿)"
    # A reading in parentheses right after a name or its honorific: 三浦裕美子様（ミウラ ユミコ）
    # (two parts after kanji; one part too after an honorific — 商品（ボールペン） is no reading)
    rf"|(?<=[様殿]) ?\((?P<value_3>{_KATA}{{1,10}}(?: {_KATA}{{1,10}})?)\)"
    rf"|(?<=[\u3400-\u9fff]) ?\((?P<value_4>{_KATA}{{1,10}} {_KATA}{{1,10}})\)")
COLUMN_PATTERN = f"^[{KATAKANA}{HIRAGANA}{PROLONGED}{MIDDLE_DOT} ]{{2,30}}$"
# What every match contains, each alternative with its look-behinds taken as characters and its
# negative ones left out (Detector.gates; Rust regex: no look-around).
TEXT_GATE = (f"{_LABEL} *(?:: *| )[{KATAKANA}{HIRAGANA}{PROLONGED}]"
             f"|{_KATA} {_KATA}+ ?(?:様|さん|さま|殿)"
             rf"|[様殿] ?\({_KATA}"
             rf"|[\u3400-\u9fff] ?\({_KATA}+ {_KATA}+\)")

_READING = re.compile(f"[{KATAKANA}{HIRAGANA}{PROLONGED}{MIDDLE_DOT} ]+")
_SENTENCE = ("です", "ます", "でした", "ください")


def validate(value: str) -> bool:
    v = nfkc(value).strip()
    if not v or len(v) > 30 or not _READING.fullmatch(v) or any(s in v for s in _SENTENCE):
        return False
    parts = v.replace(MIDDLE_DOT, " ").split()
    core = "".join(parts)
    return (len(core) >= 2 and not set(core) <= {PROLONGED}
            and not any(part in NOT_NAMES for part in parts))


def normalise_value(value: str) -> str:
    """Katakana without spaces: やまだ たろう and ヤマダタロウ are one reading."""
    v = nfkc(value).replace(" ", "").replace(MIDDLE_DOT, "").strip()
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in v)
