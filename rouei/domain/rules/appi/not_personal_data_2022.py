"""Exception: the data is not 個人データ (APPI Art. 16(3); GL 2-4, 2-6), as in force until
2024-03-31, when every trigger required 個人データ. Superseded by not_personal_data.py."""

from __future__ import annotations

import datetime as dt

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status, Unknown
from rouei.domain.text import Text

RULE = Rule("not_personal_data", "exception",
            Text("個人データに該当しない", "Not personal data (個人データ)"), APPI_2022,
            in_force_until=dt.date(2024, 3, 31))
CITATION = "個人情報保護法16条3項, 26条1項; GL 2-4, 2-6"


def evaluate(facts: Facts) -> Finding:
    if facts.is_personal_data is False:
        return RULE.finding(Status.YES, "個人データ（個人情報データベース等を構成する個人情報）ではありません",
                            "Not personal data forming a database", CITATION)
    unknowns = () if facts.is_personal_data else (Unknown("is_personal_data", Text(
        "個人データ（個人情報データベース等を構成するもの）に該当するか。該当するものとして判定しました",
        "whether the data forms a personal-information database; judged as if it does")),)
    return RULE.finding(Status.NO, "個人データに該当します", "It is personal data", CITATION,
                        *unknowns)
