"""Trigger 2: data whose misuse may cause property damage. PPC Rules Art. 7(ii); GL 3-5-3-1(2).

Judged when the business learns of the event; later steps such as cancelling cards do not
remove the duty (Q&A 6-15). A card number alone suffices (Q6-12); address, phone, e-mail alone do
not (Q6-11); an account number alone is treated as not triggering (inferred, low; Q14-8).
"""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.items import CREDENTIAL_PAIR, FINANCIAL_COMBINATIONS, ITEMS, Financial
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status, Unknown
from rouei.domain.rules.common import UNKNOWN_ITEMS
from rouei.domain.text import Text

RULE = Rule("financial", "trigger",
            Text("財産的被害のおそれ（規則7条2号）", "Risk of property damage (Rules 7(ii))"), APPI_2022,
            order=2, because=Text("財産的被害が生じるおそれがある", "property damage may result"),
            article=Text("規則7条2号", "PPC Rules Art. 7(ii)"))
CITATION = "個人情報保護法施行規則7条2号; GL 3-5-3-1(2); Q&A 6-11, 6-12, 6-15"


def evaluate(facts: Facts) -> Finding:
    if facts.items is None:
        return RULE.finding(Status.UNKNOWN, "漏えい等した項目が不明です（要確認）",
                            "The leaked items are not known", CITATION, UNKNOWN_ITEMS)
    items = facts.item_set
    alone = [ITEMS[i] for i in facts.items if ITEMS[i].financial is Financial.ALONE]
    if alone:
        return RULE.finding(
            Status.YES,
            f"{'・'.join(i.label_ja for i in alone)}は、それだけで不正利用による財産的被害のおそれがあります"
            "（その後のカード停止等の措置で報告義務は消えません）",
            f"{', '.join(i.label_en for i in alone)} alone can be misused to cause property damage "
            "(later steps such as cancelling cards do not remove the duty)", CITATION)
    for combo, ja, en in FINANCIAL_COMBINATIONS:
        if combo <= items:
            return RULE.finding(Status.YES, f"{ja}の組合せにより財産的被害のおそれがあります",
                                f"The {en} can be misused to cause property damage", CITATION)
    if items >= CREDENTIAL_PAIR:
        if facts.payment_functions is True:
            return RULE.finding(
                Status.YES, "決済・送金機能のあるサービスのログインIDとパスワードです",
                "Login ID and password of a service with payment or remittance functions",
                CITATION)
        if facts.payment_functions is None:
            return RULE.finding(
                Status.UNKNOWN,
                "ログインIDとパスワードが漏えいしています。サービスに決済・送金機能があれば該当します（要確認）",
                "Login ID and password leaked; this applies if the service has payment or "
                "remittance functions", CITATION,
                Unknown("payment_functions", Text("ID・パスワードのサービスに決済・送金機能があるか",
                                                  "whether the service has payment functions")))
    notes_ja, notes_en = [], []
    if "card_expiry" in items or "card_security_code" in items:
        notes_ja.append("カード番号を伴わない有効期限等のみでは直ちに該当しません（Q&A 6-12）")
        notes_en.append("expiry or security code without the card number does not trigger it")
    if "bank_account" in items:
        notes_ja.append("口座番号のみは該当しないものと扱いました（推定・低確度、Q&A 14-8）")
        notes_en.append("an account number alone is treated as not triggering (inferred, low)")
    ja = "財産的被害のおそれがある項目は含まれていません（住所・電話番号・メールアドレスのみでは該当しません）"
    en = "No data that can be misused for property damage (address, phone or e-mail alone do not)"
    if notes_ja:
        ja += "。" + "。".join(notes_ja)
        en += "; " + "; ".join(notes_en)
    return RULE.finding(Status.NO, ja, en, CITATION)
