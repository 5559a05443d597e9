"""What a notice or report can promise, and what carries each promise: the one table the rule
``notice_promise_uncarried`` reads (issue 13: "a notice that promises something no task or
measure carries").

The words are the domain reference's (notices-and-victims.md §2–§5, response-practice.md §3–§7):
the dedicated window (専用窓口), compensation (お詫びの品・金券・見舞金), recurrence prevention
(再発防止策), the investigation's results and follow-up notices (続報), stronger monitoring
(監視の強化), a password reset, card reissue, the letter to each person, the deletion request
after a misdelivery. A promise is carried by a playbook task (by key, or by a word in its title),
a prevention measure (by a word in its title, or any measure for 再発防止策) or, for
compensation, a compensation policy that pays something. A task marked 不要 and a dropped
measure carry nothing.

Patterns are regular expressions matched per sentence; a sentence that says the company will
*not* do it (``NEGATIONS``) promises nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PromiseKind:
    key: str
    label: str  # Japanese, as the warning names it
    label_en: str
    patterns: tuple[str, ...]  # what a text says when it promises it
    task_keys: tuple[str, ...] = ()  # playbook tasks that carry it
    carrier_words: tuple[str, ...] = ()  # a word in a task's or measure's title that carries it
    any_measure: bool = False  # any prevention measure carries it
    compensation: bool = False  # a compensation policy that pays something carries it


PROMISES: tuple[PromiseKind, ...] = (
    PromiseKind(
        "contact_window", "専用窓口", "a dedicated contact window",
        (r"専用(の)?(お問い?合わ?せ)?(窓口|ダイヤル|フリーダイヤル)", r"コールセンターを(設置|開設)",
         r"窓口を(設置|開設)"),
        task_keys=("contact_window",), carrier_words=("窓口", "コールセンター")),
    PromiseKind(
        "compensation", "お詫びの品・補償", "compensation (a voucher, money)",
        (r"お詫びの品", r"金券", r"商品券", r"QUOカード", r"クオカード", r"ギフト(カード|券)",
         r"見舞金", r"電子マネー", r"ポイントを(付与|進呈)", r"補償いたします"),
        carrier_words=("お詫びの品", "見舞金", "補償"), compensation=True),
    PromiseKind(
        "prevention", "再発防止策", "recurrence-prevention measures",
        (r"再発防止(策|のための措置)を(講じ|策定|実施|徹底|進め)", r"再発防止に(努め|取り組)"),
        task_keys=("recurrence_prevention",), carrier_words=("再発防止",), any_measure=True),
    PromiseKind(
        "follow_up", "調査結果の公表・続報", "publishing the investigation's results (a follow-up)",
        (r"改めて(お知らせ|ご報告|公表)", r"続報", r"調査結果を(公表|お知らせ|ご報告)",
         r"判明(次第|しましたら).{0,12}(お知らせ|ご報告|公表)"),
        task_keys=("public_notice", "card_publication", "notify_individuals",
                   "start_forensics", "pfi_investigation"),
        carrier_words=("公表", "続報", "調査")),
    PromiseKind(
        "monitoring", "監視の強化", "stronger monitoring",
        (r"監視(を|の|体制を?)(強化|徹底)", r"モニタリングを(強化|実施)", r"不正利用の監視"),
        task_keys=("monitor_misuse",), carrier_words=("監視", "モニタリング", "SIEM", "ログ")),
    PromiseKind(
        "password_reset", "パスワードのリセット", "a password reset",
        (r"(弊社|当社|本)サービスの(ログイン)?パスワード",
         r"パスワードを(リセット|初期化|無効化)", r"パスワードの(リセット|初期化|再設定を)"),
        task_keys=("block_intrusion",), carrier_words=("パスワード", "認証情報", "リセット")),
    PromiseKind(
        "card_reissue", "カードの再発行", "card reissue",
        (r"カードの?再発行",),
        task_keys=("card_reissue",), carrier_words=("再発行",)),
    PromiseKind(
        "individual_notice", "対象の方への個別のご連絡", "a letter to each person affected",
        (r"個別に(ご連絡|ご通知|ご案内|お知らせ)", r"順次.{0,4}(ご連絡|ご通知)"),
        task_keys=("notify_individuals",), carrier_words=("本人への通知", "個別")),
    PromiseKind(
        "deletion", "誤送付先への削除依頼", "asking the recipients to delete",
        (r"削除を(依頼|お願い|要請)",),
        task_keys=("recipient_delete", "trace_distribution"), carrier_words=("削除",)),
)

# A sentence with one of these says what the company will not do.
NEGATIONS = ("ございません", "ありません", "しておりません", "いたしません", "行いません")

_SENTENCES = re.compile(r"[。\n]")
_COMPILED = tuple((kind, tuple(re.compile(p) for p in kind.patterns)) for kind in PROMISES)


def promised(text: str) -> dict[str, str]:
    """The promises ``text`` makes: kind key → the first sentence that makes it."""
    found: dict[str, str] = {}
    for sentence in _SENTENCES.split(text or ""):
        sentence = sentence.strip()
        if not sentence or any(word in sentence for word in NEGATIONS):
            continue
        for kind, patterns in _COMPILED:
            if kind.key not in found and any(p.search(sentence) for p in patterns):
                found[kind.key] = sentence
    return found
