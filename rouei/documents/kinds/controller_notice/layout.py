"""The controller notice laid out: a letter head (to the controller, from the processor, the
article), then the nine items in the PPC report's order and words (``ppc_report.layout``)."""

from __future__ import annotations

from dataclasses import replace

from rouei.documents.kinds.ppc_report.layout import _field
from rouei.documents.kinds.ppc_report.layout import layout as ppc_layout
from rouei.documents.layout import Layout


def layout(report: dict) -> Layout:
    meta = report["overview"]["report"]
    base = ppc_layout(report)
    triggers = next(f for f in base.head if f.key == "overview.triggers")
    head = (
        _field("overview.report.controller", "通知先（委託元）", meta["controller"]),
        _field("overview.report.reporter", "通知者（委託先）", meta["reporter"]),
        _field("overview.report.drafted_on_text", "通知年月日", meta["drafted_on_text"]),
        triggers,
    )
    notes = [n for n in base.notes if not n.startswith("前回の報告")]
    if not meta["is_processor"]:
        notes.insert(0, "（注）事実の記録では当社は委託先になっていません。委託先として取り扱う"
                        "場合は、事実の「立場」を委託先にしてください。")
    notes.append("本通知は、個人情報の保護に関する法律施行規則第9条に基づき、同規則第8条第1項各号"
                 "に定める事項のうち現時点で把握しているものをお知らせするものです。")
    return replace(base, title="個人データの漏えい等の事案に関するご通知",
                   subtitle="（委託元への通知）　個人情報の保護に関する法律第26条第1項ただし書・"
                            "同法施行規則第9条",
                   head=head, notes=tuple(notes))
