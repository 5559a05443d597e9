"""Trigger 4: more than 1,000 individuals (千人を超える). PPC Rules Art. 7(iv); GL 3-5-3-1(4).

1,000 people do not trigger it; 1,001 do. When the count is not fixed, the maximum possible
number decides; a count that later passes 1,000 triggers it from then on. An estimate of 1,000
or fewer that is not known to be an upper bound leaves the maximum open: 要確認, not 非該当.
"""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status, Unknown
from rouei.domain.rules.common import UNKNOWN_UPPER_BOUND, count_may_be_higher, people_text
from rouei.domain.text import Text

THRESHOLD = 1000  # "exceeds 1,000": Rules Art. 7(iv)
RULE = Rule("over_1000", "trigger",
            Text("本人の数が1,000人超（規則7条4号）", "More than 1,000 people (Rules 7(iv))"),
            APPI_2022, order=4,
            because=Text("本人の数が1,000人を超えた", "the number of people passed 1,000"),
            article=Text("規則7条4号", "PPC Rules Art. 7(iv)"))
CITATION = "個人情報保護法施行規則7条4号; GL 3-5-3-1(4)"


def evaluate(facts: Facts) -> Finding:
    n = facts.people_max
    if n is None:
        return RULE.finding(
            Status.UNKNOWN, "本人の数が不明です（要確認）", "The number of people is not known",
            CITATION, Unknown("people_estimated", Text(
                "漏えい等した（おそれのある）本人の数。確定しない場合は最大となり得る人数",
                "the number of people affected; if not fixed, the maximum possible")))
    ja, en = people_text(facts)
    if n > THRESHOLD:
        return RULE.finding(Status.YES, f"本人の数が{ja}で、1,000人を超えます",
                            f"{en}: more than 1,000", CITATION)
    if count_may_be_higher(facts):
        return RULE.finding(
            Status.UNKNOWN,
            f"本人の数は{ja}ですが、上限かどうか分からず1,000人を超えるおそれが否定できません（要確認）",
            f"{en}, but not known to be an upper bound: more than 1,000 is not ruled out",
            CITATION, UNKNOWN_UPPER_BOUND)
    extra_ja = "。人数が増えて1,000人を超えた時点で該当します" if facts.people_estimated is None else ""
    extra_en = "; it applies once the count passes 1,000" if facts.people_estimated is None else ""
    return RULE.finding(Status.NO, f"本人の数は{ja}で、1,000人を超えていません（1,000人ちょうどは該当しません）{extra_ja}",
                        f"{en}: not more than 1,000 (exactly 1,000 does not count){extra_en}",
                        CITATION)
