"""A notice promises something nobody is doing: the public notice (published, or the next
version's draft), the letter to each person or the PPC report says the company will open a
dedicated window, send a voucher, take prevention measures, publish the results, strengthen
monitoring, reset passwords … and no open or done task, prevention measure or compensation
policy carries it. A promise made to the public and then not kept is worse than none
(response-practice.md §8: vague promises; notices-and-victims.md §3–§5). What counts as a
promise and what carries it is one table: ``checks/_promises.py``."""

from __future__ import annotations

from rouei.documents.checks import CheckInput, Finding, join_en, join_ja
from rouei.documents.checks._promises import PROMISES, PromiseKind, promised

CODE = "check.notice_promise_uncarried"
TITLE = "公表文・通知・報告で約束した対応を担うタスク・再発防止策・補償方針がない"
TITLE_EN = "A notice promises something no task, measure or compensation policy carries"
QUOTE = 60  # characters of the promising sentence shown


def carried(kind: PromiseKind, data: CheckInput) -> bool:
    for carrier in data.carriers:
        if carrier.kind == "measure" and kind.any_measure:
            return True
        if carrier.kind == "task" and carrier.key and carrier.key in kind.task_keys:
            return True
        if any(word in carrier.title for word in kind.carrier_words):
            return True
    return bool(kind.compensation and data.compensation is not None
                and data.compensation.mode != "none")


def check(data: CheckInput) -> list[Finding]:
    # kind key → [(source, source_en, sentence)], in the order of the table
    made: dict[str, list[tuple[str, str, str]]] = {}
    for text in data.promise_texts:
        for key, sentence in promised(text.text).items():
            made.setdefault(key, []).append((text.source, text.source_en, sentence))
    bare = [kind for kind in PROMISES if kind.key in made and not carried(kind, data)]
    if not bare:
        return []
    lines_ja, details = [], []
    for kind in bare:
        sources = list(dict.fromkeys(source for source, _, _ in made[kind.key]))
        sentence = made[kind.key][0][2]
        quote = sentence if len(sentence) <= QUOTE else sentence[:QUOTE] + "…"
        lines_ja.append(f"「{kind.label}」（{join_ja(sources)}:「{quote}」）")
        details.append({"promise": kind.key, "label": kind.label, "sources": sources,
                        "sources_en": list(dict.fromkeys(s for _, s, _ in made[kind.key])),
                        "sentence": sentence})
    return [Finding(
        code=CODE, severity="medium",
        message=(f"次の約束を担うタスク・再発防止策・補償方針がありません: {join_ja(lines_ja)}。"
                 "担当するタスクか再発防止策を登録するか、約束を文面から外してください。"),
        message_en=(f"Promised with nothing to carry it: {join_en(k.label_en for k in bare)}. "
                    "Add a task or a prevention measure that carries it, or take the promise "
                    "out of the text."),
        fix="playbooks:tasks", details={"promises": details})]
