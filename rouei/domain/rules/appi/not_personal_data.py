"""Exception: the data is not 個人データ (APPI Art. 16(3); GL 2-4, 2-6).

Since 2024-04-01 trigger 3 also covers personal information the business is acquiring or trying
to acquire and intends to put into a database (Rules Art. 7(iii) 括弧書き; GL 3-5-1-1), so this
exception takes away triggers 1, 2 and 4 but trigger 3 only when no database was intended.
"""

from __future__ import annotations

import datetime as dt

from rouei.domain.facts import Facts
from rouei.domain.rules.base import Finding, Rule, Status, Unknown
from rouei.domain.text import Text

RULE = Rule("not_personal_data", "exception",
            Text("個人データに該当しない", "Not personal data (個人データ)"), dt.date(2024, 4, 1))
CITATION = "個人情報保護法16条3項, 26条1項; 規則7条3号括弧書き; GL 2-4, 2-6, 3-5-1-1"
PERSONAL_DATA_ONLY = frozenset({"sensitive", "financial", "over_1000"})


def evaluate(facts: Facts) -> Finding:
    if facts.is_personal_data is not False:
        unknowns = () if facts.is_personal_data else (Unknown("is_personal_data", Text(
            "個人データ（個人情報データベース等を構成するもの）に該当するか。該当するものとして判定しました",
            "whether the data forms a personal-information database; judged as if it does")),)
        return RULE.finding(Status.NO, "個人データに該当します", "It is personal data", CITATION,
                            *unknowns)
    if facts.intended_for_database is False:
        return RULE.finding(
            Status.YES, "個人データではなく、個人情報データベース等に入れる予定もありません",
            "Not personal data, and not meant to go into a database", CITATION)
    if facts.intended_for_database:
        return RULE.finding(
            Status.YES,
            "個人データではありませんが、データベース化する予定で取得中の個人情報のため、"
            "不正の目的による事態（規則7条3号）は対象になります",
            "Not personal data yet, but being acquired for a database: trigger 3 still applies",
            CITATION, exempts=PERSONAL_DATA_ONLY)
    return RULE.finding(
        Status.YES,
        "個人データではありません。データベース化する予定で取得中の情報であれば、不正の目的による事態は対象になります（要確認）",
        "Not personal data; if it was being acquired for a database, trigger 3 still applies",
        CITATION, Unknown("intended_for_database", Text(
            "取得中の個人情報を個人情報データベース等に入れる予定だったか",
            "whether the information being acquired was meant for a database")),
        exempts=PERSONAL_DATA_ONLY)
