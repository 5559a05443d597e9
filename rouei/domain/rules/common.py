"""Tests shared by the APPI and the My Number Act rules (the two use the same wording)."""

from __future__ import annotations

from rouei.domain.facts import Cause, Encryption, Event, Facts
from rouei.domain.rules.base import Status, Unknown
from rouei.domain.text import Text

# Causes that PPC names as acts that may have been done with 不正の目的 (GL 3-5-3-1(3) examples:
# unauthorised access, ransomware, theft of papers or media, an employee taking data out).
MALICIOUS_CAUSES = frozenset({Cause.UNAUTHORIZED_ACCESS, Cause.MALWARE, Cause.RANSOMWARE,
                              Cause.THEFT, Cause.INSIDER_THEFT})
# Causes that are mistakes, not acts against the business (GL: 紛失 is not malicious; 盗難 is).
MISTAKE_CAUSES = frozenset({Cause.MISDELIVERY, Cause.LOST_DEVICE, Cause.MISCONFIGURATION})

UNKNOWN_ITEMS = Unknown("items", Text("漏えい等した個人データの項目", "the leaked data items"))
UNKNOWN_MALICE = Unknown("malicious", Text(
    "不正の目的をもって行われたおそれの有無（原因・攻撃の有無）が不明です。該当すれば確報期限は60日になります",
    "Whether the event may have been done with an unlawful purpose is unknown; if so, the final "
    "report is due in 60 days"))


def malice(facts: Facts) -> tuple[Status, Text]:
    """Whether the event was caused by an act that may have had an unlawful purpose."""
    cause = facts.cause
    if cause in MALICIOUS_CAUSES:
        label = {
            Cause.UNAUTHORIZED_ACCESS: ("不正アクセス", "unauthorised access"),
            Cause.MALWARE: ("マルウェア感染", "malware infection"),
            Cause.RANSOMWARE: ("ランサムウェア", "ransomware"),
            Cause.THEFT: ("盗難", "theft"),
            Cause.INSIDER_THEFT: ("従業者による持ち出し", "an insider taking the data"),
        }[cause]
        extra_ja = extra_en = ""
        if facts.malicious is False:
            extra_ja = "（悪意なしと入力されていますが、この原因は委員会の例示どおり「おそれ」として扱います）"
            extra_en = (" (entered as not malicious, but this cause counts as a possibility, as "
                        "in the PPC's examples)")
        return Status.YES, Text(
            f"原因が{label[0]}であり、不正の目的をもって行われたおそれがある行為に当たります{extra_ja}",
            f"The cause is {label[1]}, an act that may have had an unlawful purpose{extra_en}")
    if facts.malicious is True:
        return Status.YES, Text("不正の目的をもって行われたおそれがある行為による事態です",
                                "Caused by an act that may have had an unlawful purpose")
    if cause in MISTAKE_CAUSES:
        return Status.NO, Text("誤送付・紛失・設定ミス等の過失による事態で、不正の目的による行為ではありません",
                               "A mistake (mis-delivery, loss, mis-setting), not an act with an "
                               "unlawful purpose")
    if facts.malicious is False:
        return Status.NO, Text("不正の目的による行為ではないと確認されています",
                               "Confirmed not to be an act with an unlawful purpose")
    return Status.UNKNOWN, Text("不正の目的による行為かどうかは未確認です（要確認）",
                                "Whether an act with an unlawful purpose caused it is not known")


def encryption_protects(facts: Facts) -> tuple[Status, Text, tuple[Unknown, ...]]:
    """高度な暗号化 with the key properly managed and not leaked (Q6-19, MN Q17-14)."""
    if facts.encryption is None:
        return Status.UNKNOWN, Text(
            "暗号化の有無が不明のため、保護されていないものとして判定しました（要確認）",
            "Encryption unknown: judged as unprotected"), (Unknown("encryption", Text(
                "暗号化の有無と方式（高度な暗号化か）", "whether and how the data was encrypted")),)
    if facts.encryption is not Encryption.ADVANCED:
        weak = facts.encryption is Encryption.WEAK
        return Status.NO, Text(
            "簡易なパスワード保護等は高度な暗号化に当たりません" if weak else "暗号化されていません",
            "Simple password protection is not advanced encryption" if weak
            else "Not encrypted"), ()
    if facts.key_leaked is None:
        return Status.UNKNOWN, Text(
            "高度な暗号化ですが、鍵（復号手段）が漏えいしていないか不明のため、例外は適用していません（要確認）",
            "Advanced encryption, but whether the key also leaked is unknown: exception not "
            "applied"), (Unknown("key_leaked", Text(
                "復号鍵・パスワードが適切に管理され漏えいしていないか（同じメールで送付、端末に記載等がないか）",
                "whether the key stayed safe (not sent in the same mail, not written on the "
                "device)")),)
    if facts.key_leaked:
        return Status.NO, Text("高度な暗号化ですが、復号鍵も漏えいしたため保護されていません",
                               "Advanced encryption, but the key leaked too"), ()
    return Status.YES, Text(
        "高度な暗号化（CRYPTREC 推奨暗号等を適切に実装）がされ、復号鍵も適切に管理され漏えいしていません",
        "Advanced encryption, properly implemented, with the key kept safe"), ()


def no_incident(facts: Facts, *, provision_counts: bool) -> tuple[Status, Text, tuple[Unknown, ...]]:
    """No 漏えい / 滅失 / 毀損 at all (GL 3-5-1-2 to 3-5-1-4)."""
    event = facts.event
    if facts.intentional_provision and provision_counts:
        return Status.YES, Text(
            "事業者の意図による第三者提供であり漏えいに当たりません（第27条の第三者提供規制の問題は別途要確認）",
            "An intentional provision to a third party is not a leak (check Art. 27 separately)"), ()
    if facts.recovered_before_viewed and event in (Event.LEAK, None):
        return Status.YES, Text("第三者に閲覧される前に全て回収されたため、漏えいに当たりません",
                                "All copies were recovered before any third party saw them"), ()
    if facts.copy_exists_elsewhere and event in (Event.LOSS, Event.DAMAGE):
        text_ja = "同じ内容のデータが他に保管されているため、滅失・毀損に当たりません"
        text_en = "An identical copy exists elsewhere, so nothing was lost or damaged"
        if facts.cause is Cause.RANSOMWARE:
            text_ja += "。ただしランサムウェアでは持ち出し（漏えいのおそれ）の有無を必ず確認してください"
            text_en += "; with ransomware, check for exfiltration (a possible leak)"
        return Status.YES, Text(text_ja, text_en), ()
    if facts.copy_exists_elsewhere and event is None:
        return Status.NO, Text(
            "他に複製がありますが、漏えい（外部流出）のおそれが否定されていないため例外に当たりません",
            "A copy exists, but a leak is not ruled out"), (Unknown("event", Text(
                "事態の種類（漏えい・滅失・毀損のどれか）", "the kind of event (leak, loss, damage)")),)
    return Status.NO, Text("漏えい等（又はそのおそれ）が生じています",
                           "A leak, loss or damage has (or may have) occurred"), ()


def count_may_be_higher(facts: Facts) -> bool:
    """Whether the true number of people may exceed ``people_max``: an estimate that is not
    known to be an upper bound (the form asks "Yes if the true number cannot be higher").
    The maximum possible number decides a count that is not fixed (GL 3-5-3-1(4)), so a
    threshold not passed by such an estimate is 要確認, not "not passed"."""
    return facts.people_estimated is not None and facts.people_is_upper_bound is not True


UNKNOWN_UPPER_BOUND = Unknown("people_is_upper_bound", Text(
    "推定人数が上限か（実際の人数がそれより多くなり得ないか）。多くなり得る場合は最大となり得る人数",
    "whether the estimate is an upper bound (the true number cannot be higher); if not, the "
    "maximum possible number"))


def people_text(facts: Facts) -> tuple[str, str]:
    """How the people count was taken, for reasons."""
    n = facts.people_max
    if facts.people_estimated is not None and facts.people_estimated == n and (
            facts.people_confirmed is None or facts.people_confirmed < n):
        bound = "上限" if facts.people_is_upper_bound else "推定"
        bound_en = "upper bound" if facts.people_is_upper_bound else "estimate"
        return f"{bound}で最大{n:,}人", f"up to {n:,} people ({bound_en})"
    return f"{n:,}人（確認済み）", f"{n:,} people (confirmed)"
