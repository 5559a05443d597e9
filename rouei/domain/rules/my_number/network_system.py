"""My Number trigger 1: 特定個人情報 in the 情報提供ネットワークシステム or the systems used for
個人番号利用事務 / public bodies' 個人番号関係事務. My Number reporting rules Art. 2(i); MN-GL 別添2."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status, Unknown
from rouei.domain.text import Text

RULE = Rule("mn_network_system", "trigger",
            Text("情報提供ネットワークシステム等（番号法規則2条1号）",
                 "Network system (My Number rules 2(i))"), APPI_2022, order=1)
CITATION = "番号法29条の4第1項; 特定個人情報漏えい等報告規則2条1号; 事業者編ガイドライン別添2"


def evaluate(facts: Facts) -> Finding:
    if facts.network_system is True:
        return RULE.finding(Status.YES,
                            "情報提供ネットワークシステム又は個人番号利用事務等に用いるシステムで管理される特定個人情報です",
                            "The My Numbers were held in the network system or systems used for "
                            "My Number work of this trigger", CITATION)
    if facts.network_system is False:
        return RULE.finding(Status.NO, "対象システムで管理される特定個人情報ではありません",
                            "Not held in the systems of this trigger", CITATION)
    return RULE.finding(
        Status.UNKNOWN,
        "対象システム（情報提供ネットワークシステム、個人番号利用事務用システム、行政機関等の関係事務用システム）"
        "で管理されていたか不明です（要確認。民間企業では主に行政機関等の委託先の場合に該当）",
        "Whether the data was held in the systems of this trigger is unknown (for a private "
        "company mostly when it works for a public body)", CITATION,
        Unknown("network_system", Text("情報提供ネットワークシステム等の対象システムで管理されていたか",
                                       "whether the data was in the systems of My Number trigger 1")))
