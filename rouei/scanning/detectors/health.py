"""Health information (病歴・病状・診療情報), 要配慮個人情報: APPI Art. 2(3); Cabinet Order Art. 2(ii);
PPC Guidelines (通則編) 2-3.

A vocabulary of diseases, treatments and medicines, matched as whole words (a katakana or Latin
term not inside a longer katakana or Latin word; がん not in がんばる). A word alone says little
(a leaflet mentions 糖尿病 too), so in free text a term counts only with a medical context word
(診断, 処方, 通院, 入院, 病名, 既往歴, 服薬, 治療 …) within ``CONTEXT_WINDOW`` characters. In a column
whose header is medical (病名, 既往歴 …; the column classifier decides) any vocabulary word counts:
``COLUMN_PATTERN`` finds a term anywhere in the cell and ``validate`` accepts a term.
"""

from __future__ import annotations

import re

from rouei.scanning.detectors._common import HIRAGANA, KATAKANA, PROLONGED, nfkc

CATEGORY = "health"
CHECKSUM = None

DISEASES = (
    "糖尿病", "2型糖尿病", "1型糖尿病", "高血圧", "高血圧症", "脂質異常症", "高脂血症", "痛風",
    "うつ病", "鬱病", "躁うつ病", "双極性障害", "統合失調症", "認知症", "アルツハイマー病",
    "パーキンソン病", "てんかん", "パニック障害", "適応障害", "不安障害", "摂食障害", "ADHD",
    "自閉症", "アルコール依存症", "依存症", "喘息", "気管支喘息", "COPD", "肺炎", "結核",
    "肝炎", "B型肝炎", "C型肝炎", "肝硬変", "腎不全", "慢性腎臓病", "心筋梗塞", "狭心症",
    "心不全", "不整脈", "脳梗塞", "脳卒中", "脳出血", "くも膜下出血", "癌", "がん", "悪性腫瘍",
    "白血病", "悪性リンパ腫", "乳がん", "乳癌", "胃がん", "胃癌", "肺がん", "肺癌", "大腸がん",
    "HIV", "エイズ", "AIDS", "梅毒", "性感染症", "関節リウマチ", "潰瘍性大腸炎", "クローン病",
    "アトピー性皮膚炎", "不妊症", "難病", "COVID-19", "新型コロナウイルス感染症",
)
TREATMENTS = (
    "透析", "人工透析", "化学療法", "抗がん剤治療", "放射線治療", "手術", "臓器移植", "骨髄移植",
    "輸血", "人工呼吸器", "ペースメーカー", "不妊治療", "体外受精", "リハビリ", "精神療法",
)
MEDICINES = (
    "インスリン", "抗うつ薬", "抗精神病薬", "抗不安薬", "睡眠薬", "睡眠導入剤", "抗がん剤",
    "降圧剤", "降圧薬", "抗凝固薬", "ワルファリン", "抗てんかん薬", "抗HIV薬", "抗ウイルス薬",
    "ステロイド", "メトホルミン", "モルヒネ",
)
VOCABULARY = DISEASES + TREATMENTS + MEDICINES

CONTEXT_WORDS = ("診断", "処方", "通院", "入院", "退院", "病名", "傷病名", "既往歴", "既往症", "病歴",
                 "服薬", "服用", "投与", "治療", "受診", "診察", "罹患", "発症", "闘病", "療養", "持病",
                 "主治医", "病院", "クリニック", "カルテ", "diagnosis", "diagnosed", "prescribed")
CONTEXT_WINDOW = 40
REQUIRES_CONTEXT = True

# がん as in がんばる, がんこ, がんじがらめ, がんもどき: not cancer.
_GAN_NOT = "(?!ば|こ|じ|も|ぜ|ぐ)"


def _whole_word(term: str) -> str:
    """The term with look-arounds that keep it from matching inside a longer word."""
    pattern = re.escape(term)
    if term.isascii():
        return f"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])"
    before = after = ""
    kana = f"[{KATAKANA}{PROLONGED}]"
    if re.match(kana, term[0]):
        before = f"(?<!{kana})"
    if re.match(kana, term[-1]):
        after = f"(?!{kana})"
    if re.match(f"[{HIRAGANA}]", term[0]):
        before = f"(?<![{HIRAGANA}])"
    if term.endswith("がん"):
        after = _GAN_NOT
    return before + pattern + after


_LONGEST_FIRST = sorted(VOCABULARY, key=len, reverse=True)
TEXT_PATTERN = "|".join(_whole_word(term) for term in _LONGEST_FIRST)
COLUMN_PATTERN = "(?s)^.*(?:" + "|".join(re.escape(t) for t in _LONGEST_FIRST) + ").*$"

_TERMS = frozenset(nfkc(t).casefold() for t in VOCABULARY)


def validate(value: str) -> bool:
    """A vocabulary term (a finding's value), or a cell that contains one."""
    v = nfkc(value).strip().casefold()
    return v in _TERMS or any(t in v for t in _TERMS)


def normalise_value(value: str) -> str:
    return nfkc(value).strip().casefold()
