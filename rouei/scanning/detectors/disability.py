"""Disability (障害), 要配慮個人情報: APPI Art. 2(3); Cabinet Order Art. 2(i) (身体障害・知的障害・
精神障害（発達障害を含む）その他の心身の機能の障害); PPC Rules Art. 5 (the disabilities of
身体障害者福祉法 別表, 知的障害者福祉法, 精神保健福祉法 and 発達障害者支援法); PPC Guidelines
(通則編) 2-3, whose examples are the three certificates: 身体障害者手帳, 療育手帳 (愛の手帳,
みどりの手帳 in some prefectures), 精神障害者保健福祉手帳. Vocabulary in ``_health_vocabulary``.

In free text: a certificate, a kind of disability, an aid (車椅子, 補聴器, 白杖) or a welfare
service for disabled people, with a context word (所持, 交付, 等級, 認定, 利用 …) near; a
certificate with its grade (障害者手帳2級, 療育手帳B1) needs none. As for health, a sentence
about disability in general (「障害者手帳をお持ちの方は割引」) vetoes the match unless it also
speaks of someone (``health.plausible``). In a column its header names (障害, 障害者手帳 …)
every filled cell counts (the engine's whole-cell rule).
"""

from __future__ import annotations

import re

from rouei.scanning.detectors import _health_vocabulary as vocab
from rouei.scanning.detectors import health
from rouei.scanning.detectors._common import nfkc

CATEGORY = "disability"
CHECKSUM = None

CERTIFICATES = vocab.CERTIFICATES
DISABILITIES = vocab.DISABILITIES
VOCABULARY = CERTIFICATES + DISABILITIES

# 1級–7級 (身体障害者手帳), 1級–3級 (精神), A/B, A1/A2/B1/B2, 1度–4度 (療育手帳 by prefecture)
GRADE = "(?:の)?(?:[0-9一二三四五六七]級|[0-9一二三四]度|[ABＡＢ][12１２]?(?![A-Za-z])|重度|中度|軽度)"
_GRADED = f"(?:{health.literal_pattern(CERTIFICATES)}|(?:身体|精神)?障害(?:者)?){GRADE}"

CONTEXT_WORDS = ("所持", "取得", "交付", "持って", "持ち", "等級", "認定", "判定", "区分", "診断",
                 "利用", "使用", "受給", "申請", "更新", "通院", "本人", "様", "さん")
CONTEXT_WINDOW = 30
REQUIRES_CONTEXT = True
# A certificate or a kind of disability is more specific than the same words as a disease name.
PRIORITY = 1

TEXT_PATTERN = f"{_GRADED}|{health.terms_pattern(VOCABULARY)}"
COLUMN_PATTERN = "(?s)^.*(?:" + health.literal_pattern(VOCABULARY) + ").*$"
# What every match contains (Detector.gates): a term, or 障害 before a grade.
TEXT_GATE = health.literal_pattern((*VOCABULARY, "障害"))

_TERMS = frozenset(nfkc(t).casefold() for t in VOCABULARY)
_GRADED_RE = re.compile(_GRADED)


def validate(value: str) -> bool:
    v = nfkc(value).strip().casefold()
    return v in _TERMS or bool(_GRADED_RE.fullmatch(nfkc(value).strip())) or any(
        t in v for t in _TERMS)


def needs_context(value: str) -> bool:
    """A certificate with its grade says it of someone; a word alone does not."""
    return not _GRADED_RE.fullmatch(nfkc(value).strip())


plausible = health.plausible
# No match stands without a context word (or, for a grade, the grade's own mark).
PREFILTER = health.literal_pattern((*CONTEXT_WORDS, "級", "度", "A", "B", "Ａ", "Ｂ"))


def normalise_value(value: str) -> str:
    return nfkc(value).strip().casefold()
