"""Disability (障害), 要配慮個人情報: APPI Art. 2(3); Cabinet Order Art. 2(i) (身体障害・知的障害・
精神障害（発達障害を含む）その他の心身の機能の障害); PPC Rules Art. 5 (the disabilities of
身体障害者福祉法 別表, 知的障害者福祉法, 精神保健福祉法 and 発達障害者支援法); PPC Guidelines
(通則編) 2-3, whose examples are the three certificates: 身体障害者手帳, 療育手帳 (愛の手帳,
みどりの手帳 in some prefectures), 精神障害者保健福祉手帳. Vocabulary in ``_health_vocabulary``.

In free text: a certificate, a kind of disability, an aid (車椅子, 補聴器, 白杖) or a welfare
service for disabled people, with a context word (所持, 交付, 等級, 認定, 利用 …) near; a
certificate with its grade (障害者手帳2級, 療育手帳B1), a certificate as people name it (精神の
手帳, 手帳（身体3級）) and a care level (要介護2, 要支援1) need none. As for health, a sentence
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
# The certificates as people name them in speech (精神の手帳, 身体の手帳, 手帳（精神2級）): which
# certificate is said, so no other word is needed.
_SHORT_CERTIFICATE = ("(?:身体|精神|療育)の手帳"
                      "|手帳[（(](?:身体|精神|療育)[^（()）]{0,8}[）)]")
# A care level of 介護保険法 (要介護1–5, 要支援1–2): certified because of 身体上又は精神上の障害
# (同法 7条1項, 2項), which the level says of the person without another word.
_CARE_LEVEL = "(?:要介護|要支援)(?:度)?[1-5１-５]"
_SAYS_ITSELF = f"{_GRADED}|{_SHORT_CERTIFICATE}|{_CARE_LEVEL}"

CONTEXT_WORDS = ("所持", "取得", "交付", "持って", "持ち", "等級", "認定", "判定", "区分", "診断",
                 "利用", "使用", "受給", "申請", "更新", "通院", "本人", "様", "さん",
                 # an aid worn or used (補聴器をつけている, 車椅子を使って)
                 "つけて", "付けて", "使って", "手放せ")
CONTEXT_WINDOW = 30
REQUIRES_CONTEXT = True
# A certificate or a kind of disability is more specific than the same words as a disease name.
PRIORITY = 1

TEXT_PATTERN = f"{_SAYS_ITSELF}|{health.terms_pattern(VOCABULARY)}"
COLUMN_PATTERN = "(?s)^.*(?:" + health.literal_pattern(VOCABULARY) + ").*$"
# What every match contains (Detector.gates): a term, or 障害 before a grade.
TEXT_GATE = health.literal_pattern((*VOCABULARY, "障害", "手帳", "要介護", "要支援"))

_TERMS = frozenset(nfkc(t).casefold() for t in VOCABULARY)
_GRADED_RE = re.compile(_SAYS_ITSELF)


def validate(value: str) -> bool:
    v = nfkc(value).strip().casefold()
    return v in _TERMS or bool(_GRADED_RE.fullmatch(nfkc(value).strip())) or any(
        t in v for t in _TERMS)


def needs_context(value: str) -> bool:
    """A certificate with its grade says it of someone; a word alone does not."""
    return not _GRADED_RE.fullmatch(nfkc(value).strip())


plausible = health.plausible
# No match stands without a context word (or, for a grade, the grade's own mark).
PREFILTER = health.literal_pattern((*CONTEXT_WORDS, "級", "度", "A", "B", "Ａ", "Ｂ", "手帳", "要介護",
                                    "要支援"))


def normalise_value(value: str) -> str:
    return nfkc(value).strip().casefold()
