"""Results of a health check (健康診断等の結果), 要配慮個人情報: APPI Art. 2(3); Cabinet Order
Art. 2(ii) (医師等による健康診断その他の検査の結果) and (iii) (保健指導); PPC Guidelines (通則編)
2-3: the results of 健康診断, 人間ドック, ストレスチェック, 遺伝子検査 and the like — having taken
a check is not sensitive (catalogue item ``health_checkup_attendance``), its result is.
Vocabulary in ``_health_vocabulary`` (the measured items follow 労働安全衛生規則 Art. 44 and the
特定健診 items).

In free text:

- what a check found, told of someone: 「健康診断で脂肪肝を指摘された」「人間ドックで要精密検査と
  言われた」 (a check, then up to 25 characters, then を/と/が 指摘・言われ・診断・判定);
- a measurement that was out of range: 「血圧が高い」「尿酸値が基準値を超え」, with a context word
  (健康診断, 結果, 言われ, 指摘 …) near;
- a grade on a result: 要再検査, 要精密検査, 異常所見, 高ストレス者, D判定, 特定保健指導 …,
  with a context word near.

A sentence about checks in general (「健康診断で異常を指摘された方は…」) vetoes the match unless it
also speaks of someone (``health.plausible``).
"""

from __future__ import annotations

from rouei.scanning.detectors import _health_vocabulary as vocab
from rouei.scanning.detectors import health
from rouei.scanning.detectors._common import nfkc

CATEGORY = "health_checkup_result"
CHECKSUM = None

_CHECK = health.literal_pattern(vocab.CHECKUPS)
_MEASURE = health.literal_pattern(vocab.MEASUREMENTS)
_FINDING = health.literal_pattern(vocab.FINDING_WORDS)
_GRADE = health.literal_pattern(vocab.RESULT_GRADES)

TOLD = f"(?:{_CHECK})(?:の結果)?(?:で|にて|では|から)[^。！？\n]{{1,25}}?(?:を|と|が|に)(?:指摘|言われ|いわれ|診断|判定|出)"
OUT_OF_RANGE = (f"(?<![A-Za-z])(?:{_MEASURE})(?:の値|値|の数値|の数字)?(?:が|は|も)(?:少し|やや|かなり|非常に|とても)?"
                f"(?:{_FINDING})")
GRADE = f"(?:{_GRADE})|(?<![A-Za-z])[A-EＡ-Ｅ][12]?判定"

TEXT_PATTERN = f"{TOLD}|{OUT_OF_RANGE}|{GRADE}"
COLUMN_PATTERN = "(?s)^.*(?:" + health.literal_pattern((*vocab.RESULT_GRADES, "判定", "異常", "所見")) + ").*$"

# Not 結果 or 判定 alone: an exam has a result and a grade too.
CONTEXT_WORDS = (*vocab.CHECKUPS, "言われ", "いわれ", "指摘", "数値", "医師", "受診勧奨")
CONTEXT_WINDOW = 40
REQUIRES_CONTEXT = True
PRIORITY = 1

_ANY = f"(?:{TEXT_PATTERN})"


def validate(value: str) -> bool:
    v = nfkc(value).strip()
    return bool(health._regex(_ANY).fullmatch(v)) or bool(health._regex(COLUMN_PATTERN).search(v))


def needs_context(value: str) -> bool:
    """A check and what it found, in one phrase, is its own context."""
    return not health._regex(TOLD).fullmatch(nfkc(value).strip())


plausible = health.plausible
# No match stands without a context word (or, for a grade, the grade's own mark).
PREFILTER = health.literal_pattern(CONTEXT_WORDS)


def normalise_value(value: str) -> str:
    return nfkc(value).strip().casefold()
