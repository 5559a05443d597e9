"""My Number trigger 4: more than 100 people (100人を超える) whose 特定個人情報 leaked etc., or whose
My Numbers were used in breach of Art. 9 or provided in breach of Art. 19.
My Number reporting rules Art. 2(iv); MN-GL 別添2. As for the APPI's 1,000 (GL 3-5-3-1(4)), an
estimate of 100 or fewer that is not known to be an upper bound leaves the maximum open: 要確認."""

from __future__ import annotations

from rouei.domain.facts import Facts, MyNumberViolation
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status, Unknown
from rouei.domain.rules.common import UNKNOWN_UPPER_BOUND, count_may_be_higher, people_text
from rouei.domain.text import Text

THRESHOLD = 100  # "exceeds 100": My Number reporting rules Art. 2(iv)
RULE = Rule("mn_over_100", "trigger",
            Text("本人の数が100人超（番号法規則2条4号）", "More than 100 people (My Number rules 2(iv))"),
            APPI_2022, order=4)
CITATION = "番号法9条, 19条, 29条の4第1項; 特定個人情報漏えい等報告規則2条4号"


def evaluate(facts: Facts) -> Finding:
    n = facts.people_max
    if n is None:
        return RULE.finding(Status.UNKNOWN, "本人の数が不明です（要確認）",
                            "The number of people is not known", CITATION,
                            Unknown("people_estimated", Text("特定個人情報に係る本人の数",
                                                             "the number of people whose My Numbers are involved")))
    ja, en = people_text(facts)
    what_ja = {MyNumberViolation.UNLAWFUL_USE: "番号法9条に違反して利用された",
               MyNumberViolation.UNLAWFUL_PROVISION: "番号法19条に違反して提供された",
               None: "漏えい等した"}[facts.my_number_violation]
    if n > THRESHOLD:
        return RULE.finding(Status.YES, f"{what_ja}特定個人情報に係る本人の数が{ja}で、100人を超えます",
                            f"{en}: more than 100", CITATION)
    if count_may_be_higher(facts):
        return RULE.finding(
            Status.UNKNOWN,
            f"本人の数は{ja}ですが、上限かどうか分からず100人を超えるおそれが否定できません（要確認）",
            f"{en}, but not known to be an upper bound: more than 100 is not ruled out",
            CITATION, UNKNOWN_UPPER_BOUND)
    return RULE.finding(Status.NO, f"本人の数は{ja}で、100人を超えていません（100人ちょうどは該当しません）",
                        f"{en}: not more than 100 (exactly 100 does not count)", CITATION)
