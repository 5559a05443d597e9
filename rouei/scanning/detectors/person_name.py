"""Personal names (氏名).

A name has no shape of its own, so in free text it is found only by its frame: after a label
(氏名, お名前, 名前, 宛名, 担当, Name …) and a colon or space, or before an honorific (様, さん, 殿,
氏), as the display name in a mail header (From: 山田 太郎 <…>), or in a self-introduction
(山田と申します; サポートの林でございます: after a department or a katakana word and の).
Kanji names are 2–6 ideographs with an optional space between family and given name; after
an honorific a hiragana given name is allowed too (田中はるかさん). A single kanji is a name only
if it is a common one-kanji surname (林さん, 担当：森). Role words (お客様, 担当者様, 社長さん …)
are rejected. Bare names in prose (青木修平から電話があり) have no frame: the optional NER step
(``rouei.scanning.ner``) finds them. In columns, names are classified by header (catalogue aliases), so
``COLUMN_PATTERN`` is permissive (kanji, kana or Latin, 2–20 characters) and ``validate`` only
rejects what cannot be a name (digits, @, sentences, role words).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from rouei.scanning.detectors._anchors import finditer_spans
from rouei.scanning.detectors._common import (
    HIRAGANA,
    KANJI,
    KATAKANA,
    MIDDLE_DOT,
    PROLONGED,
    nfkc,
    tempered,
)

CATEGORY = "person_name"
CHECKSUM = None
CONTEXT_WORDS = ("氏名", "お名前", "名前", "宛名", "担当", "様", "さん", "さま", "殿", "氏", "name",
                 "From", "To", "Cc", "Reply-To", "差出人", "宛先", "申します", "申し上げます",
                 "でございます",
                 # a name before a job title (鈴木部長), or a staff member after a unit or label
                 "部長", "課長", "係長", "社長", "店長", "主任", "室長", "所長", "次長", "専務", "常務",
                 "弊社", "当社", "当店", "弊店", "窓口", "サポート", "センター", "デスク", "スタッフ",
                 "オペレーター", "ショップ", "ストア", "チーム", "対応者", "記入者", "作成者", "承認者",
                 "申請者", "報告者", "依頼者", "受付者", "送信者", "連絡者", "責任者",
                 # the display name of an address in a list (…>, 片山 涼 <b@…>): its own address
                 "@")
REQUIRES_CONTEXT = True

LABELS = ("お名前", "御名前", "氏名", "名前", "宛名", "受取人", "契約者名", "契約者", "申込者",
          "患者名", "担当者", "担当", "対応者", "記入者", "作成者", "承認者", "申請者", "報告者",
          "依頼者", "受付者", "送信者", "連絡者", "責任者", "Name", "NAME", "name")
HONORIFICS = ("様", "さん", "さま", "殿", "氏")
# Words that take an honorific or follow a label but are not names.
ROLE_WORDS = frozenset((
    "本人", "主人", "家族", "両親", "担当", "顧客", "先方", "相手", "各位", "一同", "貴方", "奥方",
    "社長", "部長", "課長", "係長", "店長", "院長", "所長", "会長", "次長", "室長", "署長", "班長",
    "市長", "町長", "村長", "議長", "校長", "理事長", "委員長", "先生", "上司", "同僚", "先輩", "後輩",
    "弁護士", "税理士", "会計士", "司法書士", "行政書士", "保育士", "介護士", "運転士", "御中",
    "皆様", "皆", "客", "お客", "お客様", "ご本人", "ご家族", "ご担当", "弊社", "貴社", "御社", "当社",
    "不明", "未定", "なし", "無し", "受付", "窓口", "代表", "営業", "総務", "経理", "人事", "広報",
    # departments before a job title (事業部長, 開発課長) and what a company calls its own
    # (弊社の責任です, 当店の不手際が): not names
    "事業", "開発", "技術", "製造", "企画", "法務", "財務", "購買", "物流", "品質", "生産", "販売",
    "管理", "情報", "業務", "設計", "研究", "監査", "経営", "国際", "海外", "支社", "本社", "支店",
    "工場", "店舗", "取締役", "代表取締役", "部門", "事務", "庶務", "会計", "総合", "第一", "第二",
    "責任", "不手際", "不備", "手違", "対応", "確認", "判断", "過失", "方針", "規定", "規約", "商品",
    "製品", "都合", "誤", "問題", "調査", "説明", "案内", "内容", "結果", "回答", "連絡", "者",
    # family members by their relation (息子さん, 旦那様): who they are is said after
    "息子", "旦那", "お子", "ご主人", "祖母", "祖父", "伯母", "叔母", "伯父", "叔父", "両親", "義母", "義父",
))
# Given names of one kanji (common in birth-name rankings and older registers; many are common
# words too: 晃, 涼, 匠): a name only after a family name or a kinship word (夫の幹が, 息子の蓮も)
ONE_KANJI_GIVEN_NAMES = frozenset("幹誠翼蓮葵凛茂隆修学進豊稔勝実忍薫望歩淳潤聡智徹剛健亮仁博浩弘宏"
                                  "渉司哲悟駿陸樹颯楓雫栞巌章孝崇毅晃昇肇勉環瞳遥碧怜純萌廉慧匠涼力"
                                  "恵清"
                                  # names of one kanji of the birth-name rankings (蒼, 湊, 茜, 椿 …)
                                  "蒼湊律凪茜桜椿梓藍舞翔彩咲悠唯拓岳雅篤敦")
# Units whose name ends a department (総務部, 営業課): with a job title after it they are no one
_UNIT_ENDS = "部課室係"
# Job titles after a name (鈴木部長, 田中 課長): a person of a company, named by their post.
JOB_TITLES = ("支店長", "部長", "課長", "係長", "社長", "店長", "主任", "室長", "所長", "次長", "専務",
              "常務")
# Common surnames of one kanji: a lone kanji before an honorific or after a label is a name
# only if it is one of these (words such as 上様, 奥さん, 皆様, 星様 are not).
ONE_KANJI_SURNAMES = frozenset("林森東原関堀岡辻谷西北南泉畑島浜菅柳沢滝杉岩岸城牧堤湊芝館舘峰嶋澤濱"
                               "廣桜楠萩椎")
# Endings of role and organisation words (not of common surnames such as 阿部, 田所, 土屋, 緒方).
ROLE_SUFFIXES = ("者", "員", "社", "課", "店", "局", "校", "会", "団", "師", "達", "側", "族", "様",
                 "殿", "家")

_STOP_WORDS = "住所|電話|生年|性別|年齢|携帯|連絡|郵便|職業|勤務|備考|様|殿|氏名"
_K = tempered(KANJI, tuple(_STOP_WORDS.split("|")))
# A labelled name ends where the kanji run ends, or before the next label.
_END = f"(?:(?![{KANJI}])|(?={_STOP_WORDS}))"
_LABEL = "(?:" + "|".join(LABELS) + ")"
_LATIN_NAME = "[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}"
# A department or office before の in a self-introduction (営業部の, 窓口の, 担当の …)
UNIT_WORDS = ("部", "課", "係", "室", "店", "社", "局", "所", "担当", "窓口", "支店", "本部", "センター")
_UNIT = "(?:" + "|".join(UNIT_WORDS) + ")"
MAIL_HEADERS = ("From", "To", "Cc", "Reply-To", "差出人", "宛先")
_MAIL_HEADER = "(?:" + "|".join(MAIL_HEADERS) + ")"
# A given name may be or begin with hiragana (はるか, くみ子): after a space in a labelled name,
# with or without one before an honorific.
# One hiragana takes exactly one kanji after it (の子 no, but 商事の山本さん is not 商事 + の山本).
_GIVEN_KANA = f"(?:[{HIRAGANA}]{{2,4}}{_K}?|[{HIRAGANA}]{_K})"
_STAFF_BEFORE = ("担当", "窓口", "弊社", "当社", "当店", "弊店")
_STAFF_AFTER = ("サポート", "センター", "デスク", "スタッフ", "オペレーター", "ショップ", "ストア", "チーム")
_STAFF_UNIT = "(?:" + "|".join((*_STAFF_BEFORE, _UNIT, *_STAFF_AFTER)) + ")"
# What staff do after their name (担当の山本が承りました, 窓口の中村がご案内します)
_STAFF_VERB = "(?:承|対応|担当|ご連絡|連絡|お伺|確認|折り返|お答え|回答|ご案内|案内|引き継|引継)"
TEXT_PATTERN = (
    f"{_LABEL}(?: *(?:: *| )|[】\\]] *)(?P<value>{_K}{{1,5}}(?: ?{_K}{{1,5}}| {_GIVEN_KANA})?{_END}"
    f"|{_LATIN_NAME})"
    f"|(?<![{KANJI}])(?P<value_2>{_K}{{1,5}}(?: ?{_K}{{1,5}}| ?{_GIVEN_KANA})?) ?"
    "(?:様|さん|さま|殿|氏(?!名))"
    # A mail header's display name: From: 山田 太郎 <taro@example.jp>
    f"|^{_MAIL_HEADER}: *\"?(?P<value_3>{_K}{{1,5}}(?: ?{_K}{{1,5}}| {_GIVEN_KANA})?)\"? *<"
    # … and the next addresses of the list: Cc: 山田 太郎 <…>, 佐藤 花子 <…>
    f"|(?<=>,) *\"?(?P<value_8>{_K}{{1,5}}(?: ?{_K}{{1,5}}| {_GIVEN_KANA})?)\"? *<"
    # Self-introductions: 私、山田と申します; カスタマーサポートの林でございます
    f"|(?<![{KANJI}])(?P<value_4>{_K}{{1,5}}(?: ?{_K}{{1,5}}| {_GIVEN_KANA})?)と申し(?:ます|上げます)"
    f"|(?:[{KATAKANA}{PROLONGED}]|{_UNIT})の(?P<value_5>{_K}{{1,4}})でございます"
    # staff after their unit: 担当の山本です。, サポートの林が承りました
    f"|{_STAFF_UNIT}の(?P<value_6>{_K}{{1,4}})(?:です(?:[。、.!！]|$)|が{_STAFF_VERB})"
    # a name before a job title: 鈴木部長, 田中 課長
    f"|(?<![{KANJI}])(?P<value_7>{_K}{{2,3}}) ?(?:{'|'.join(JOB_TITLES)})(?![{KANJI}])")
try:  # the compiled anchor scanner (rouei/scanning/_names.c); without it the pattern alone
    from rouei.scanning import _names
except ImportError:  # pragma: no cover - a build without the C extension
    _names = None
else:
    _names.configure(
        LABELS, MAIL_HEADERS,
        # what follows a name a few characters after its kanji run starts
        (*HONORIFICS, "と申し", *JOB_TITLES),
        # what comes right before の in a self-introduction or a staff member's frame
        (*_STAFF_BEFORE, *UNIT_WORDS, *_STAFF_AFTER))


def find_spans(texts: list[str], regex: re.Pattern[str], groups: tuple[str, ...]
               ) -> list[tuple[int, int, int]]:
    """(index of the text, start, end) of each match of ``regex`` (``TEXT_PATTERN`` compiled)
    in each of ``texts``, in order, as ``finditer`` gives them: the span of the first of the
    value ``groups`` that took part. The kernel asks the pattern only where one of its frames
    may start (a label, an honorific after a kanji run …), instead of at every character."""
    numbers = tuple(regex.groupindex[g] for g in groups)
    if _names is not None:
        return _names.find(texts, regex.match, numbers)
    return finditer_spans(texts, regex, numbers)


COLUMN_PATTERN = (f"^(?:[{KANJI}{HIRAGANA}{KATAKANA}{PROLONGED}{MIDDLE_DOT} ]{{2,20}}"
                  "|[A-Za-z][A-Za-z .'-]{1,40})$")

_KANJI_ONLY = re.compile(f"[{KANJI}]+")
_JAPANESE = re.compile(f"[{KANJI}{HIRAGANA}{KATAKANA}{PROLONGED}]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z .'-]*")
_NOT_IN_NAMES = re.compile(r"[0-9@。、,!?:;/\\()「」<>=_#%&*+]")
_SENTENCE = ("です", "ます", "でした", "ください", "しました", "について")
# A particle with a word after it: a phrase (青木修平から電話), not a name; at the end it can be
# part of a kana given name (ちから, かより).
_PHRASE = re.compile(f"(?:から|まで|より|への|では|には|として|による|のため)[{KANJI}{KATAKANA}]")
_PLACEHOLDERS = frozenset(("n/a", "na", "none", "null", "nil", "test", "unknown", "anonymous"))


def validate(value: str) -> bool:
    v = nfkc(value).strip()
    if (not v or len(v) > 40 or _NOT_IN_NAMES.search(v) or any(s in v for s in _SENTENCE)
            or _PHRASE.search(v)):
        return False
    core = v.replace(" ", "").replace(MIDDLE_DOT, "")
    if " " in v and any(part in ROLE_WORDS or (_KANJI_ONLY.fullmatch(part) and len(part) > 1
                                               and part.endswith(ROLE_SUFFIXES))
                        for part in v.split()):
        return False  # 商店 お客(様), 営業会 山田: an organisation or role word, then a word
    if _LATIN.fullmatch(v):
        return len(core) >= 2 and v.casefold() not in _PLACEHOLDERS
    if not _JAPANESE.fullmatch(core):
        return False
    if len(core) < 2:
        return core in ONE_KANJI_SURNAMES
    if core in ROLE_WORDS or (_KANJI_ONLY.fullmatch(core) and core.endswith(ROLE_SUFFIXES)):
        return False
    if core[-1] in _UNIT_ENDS and core[:-1] in ROLE_WORDS:
        return False  # 総務部, 営業課 (阿部, 服部 stay names)
    if core.endswith(("お客", "御客")):
        return False  # ことり堂お客様窓口: a shop's name before お客様, not a name
    if _KANJI_ONLY.fullmatch(core):
        return len(core) <= 6
    return len(core) <= 20


# Variant kanji that registries and forms write either way (JIS X 0213 forms outside CP932 and
# their common forms): one system keeps 髙橋, the next types 高橋 for the same person. A name's
# key has the common form (the registry of affected people compares names the same way).
VARIANT_FORMS: dict[str, str] = {"髙": "高", "﨑": "崎", "𠮷": "吉", "邉": "辺", "邊": "辺",
                                 "齋": "斎", "齊": "斉", "濵": "浜", "濱": "浜", "德": "徳"}
_FOLD_VARIANTS = str.maketrans(VARIANT_FORMS)


def normalise_value(value: str) -> str:
    """No spaces or middle dots, variant kanji in their common form: 山田 太郎 and 山田太郎 are
    one name, and so are 髙橋 一郎 and 高橋一郎."""
    return (nfkc(value).replace(" ", "").replace(MIDDLE_DOT, "").strip()
            .translate(_FOLD_VARIANTS))


# --- the name lexicon -------------------------------------------------------------------------
# Family and given names of SudachiDict (Works Applications, Apache License 2.0: lexicon/NOTICE),
# the words it tags 人名,姓 / 人名,名 and as nothing but a person's or a place's name (森, 必要
# are common nouns too: not in it). Built by bench/name_lexicon.py. Frames that are not a name's
# on their own (（田中）at a line's end, 受付：南, a chat's speaker) take a name only from it.
_LEXICON = Path(__file__).with_name("lexicon")


@cache
def family_names() -> frozenset[str]:
    return frozenset((_LEXICON / "family_names.txt").read_text(encoding="utf-8").split())


@cache
def given_names() -> frozenset[str]:
    return frozenset((_LEXICON / "given_names.txt").read_text(encoding="utf-8").split())


def _readings(file: str) -> dict[str, tuple[str, ...]]:
    """A name's readings in katakana (山田 → ヤマダ), from a file of the lexicon's builder:
    the name, a tab, its readings separated by spaces."""
    found: dict[str, tuple[str, ...]] = {}
    for line in (_LEXICON / file).read_text(encoding="utf-8").splitlines():
        name, _, readings = line.partition("\t")
        found[name] = tuple(readings.split())
    return found


@cache
def family_readings() -> dict[str, tuple[str, ...]]:
    return _readings("family_readings.txt")


@cache
def given_readings() -> dict[str, tuple[str, ...]]:
    return _readings("given_readings.txt")


@cache
def family_reading_set() -> frozenset[str]:
    """Every reading of a family name (ノグチ, クロダ)."""
    return frozenset(r for readings in family_readings().values() for r in readings)


_KANA_GIVEN = re.compile(f"[{HIRAGANA}]{{2,4}}")
_KANJI_GIVEN = re.compile(f"[{KANJI}]{{1,3}}")


def in_lexicon(value: str) -> bool:
    """A family name of the lexicon, alone or with a given name: 樋口, 樋口 康弘 (after a space
    any one to three kanji or a kana name: 河合 英明, 星野 みゆき), 坂口遥 (without a space the
    given name must be one of the lexicon's, so that the two can be told apart)."""
    text = nfkc(value).strip()
    family, given = family_names(), given_names()
    if " " in text:
        head, rest = text.split(None, 1)
        rest = rest.replace(" ", "")
        return normalise_value(head) in family and (
            rest in given or bool(_KANA_GIVEN.fullmatch(rest) or _KANJI_GIVEN.fullmatch(rest)))
    core = normalise_value(value)
    if core in family:
        return True
    return any(core[:k] in family and (core[k:] in given or core[k:] in ONE_KANJI_GIVEN_NAMES)
               for k in range(1, min(4, len(core) - 1) + 1))

