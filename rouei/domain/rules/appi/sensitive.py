"""Trigger 1: 要配慮個人情報 included. PPC Rules Art. 7(i); APPI Art. 26(1); GL 3-5-3-1(1)."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.items import ITEMS
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status
from rouei.domain.rules.common import UNKNOWN_ITEMS
from rouei.domain.text import Text

RULE = Rule("sensitive", "trigger", Text("要配慮個人情報（規則7条1号）", "Sensitive data (Rules 7(i))"),
            APPI_2022, order=1,
            because=Text("要配慮個人情報が含まれる", "sensitive personal information is involved"),
            article=Text("規則7条1号", "PPC Rules Art. 7(i)"))
CITATION = "個人情報保護法施行規則7条1号, 法2条3項; GL 3-5-3-1(1)"


def evaluate(facts: Facts) -> Finding:
    if facts.items is None:
        return RULE.finding(Status.UNKNOWN, "漏えい等した項目が不明です（要確認）",
                            "The leaked items are not known", CITATION, UNKNOWN_ITEMS)
    found = [ITEMS[i] for i in facts.items if ITEMS[i].sensitive]
    if found:
        names_ja = "・".join(i.label_ja for i in found)
        names_en = ", ".join(i.label_en for i in found)
        return RULE.finding(
            Status.YES,
            f"要配慮個人情報（{names_ja}）が含まれます。1人分でも報告対象です",
            f"Sensitive data ({names_en}) is included; even one person's data is reportable",
            CITATION)
    return RULE.finding(Status.NO, "要配慮個人情報は含まれていません", "No sensitive data", CITATION)
