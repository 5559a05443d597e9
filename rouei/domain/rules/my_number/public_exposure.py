"""My Number trigger 3: 特定個人情報 viewed (or possibly viewed) by an unspecified large number of
people by electronic means, e.g. exposed on the internet by a mis-setting. No number threshold.
My Number reporting rules Art. 2(iii); MN Q&A 17-10."""

from __future__ import annotations

from rouei.domain.facts import Cause, Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status, Unknown
from rouei.domain.text import Text

RULE = Rule("mn_public_exposure", "trigger",
            Text("不特定多数による閲覧（番号法規則2条3号）",
                 "Viewable by unspecified many (My Number rules 2(iii))"), APPI_2022, order=3)
CITATION = "特定個人情報漏えい等報告規則2条3号; 番号法Q&A 17-10"
# Causes in which the data went to specific people or things, not onto a network for anyone.
NOT_PUBLIC_CAUSES = frozenset({Cause.MISDELIVERY, Cause.LOST_DEVICE, Cause.THEFT})


def evaluate(facts: Facts) -> Finding:
    if facts.publicly_viewable is True:
        return RULE.finding(Status.YES, "不特定多数の者が電子的に閲覧できる状態になりました（人数を問いません）",
                            "Viewable by an unspecified number of people (no threshold)",
                            CITATION)
    if facts.publicly_viewable is False or facts.cause in NOT_PUBLIC_CAUSES:
        return RULE.finding(Status.NO, "不特定多数が閲覧できる状態ではありません",
                            "Not viewable by an unspecified number of people", CITATION)
    return RULE.finding(
        Status.UNKNOWN, "インターネット上等で不特定多数が閲覧できる状態になったか不明です（要確認）",
        "Whether it was viewable by anyone (e.g. on the internet) is not known", CITATION,
        Unknown("publicly_viewable", Text("不特定多数（事業者以外の者）が電子的に閲覧できる状態になったか",
                                          "whether unspecified people could view it electronically")))
