"""The prevention plan laid out: the heading lines, one section per group (one field per
measure: owner, due date, KPI, status) and what measures still lack. Pure Python."""

from __future__ import annotations

from rouei.documents.layout import Field, Layout, Section

NONE = "（未設定）"


def _measure_text(m: dict) -> str:
    status = m["status_label"]
    if m["status"] == "done" and m["done_on_text"]:
        status += f"（{m['done_on_text']}）"
    if m["overdue"]:
        status += "・期日超過"
    if m["status"] == "dropped" and m["drop_reason"]:
        status += f"（理由: {m['drop_reason']}）"
    return "\n".join((m["title"], f"担当: {m['owner'] or NONE}", f"期日: {m['due_text'] or NONE}",
                      f"KPI: {m['kpi'] or NONE}", f"状況: {status}"))


def layout(content: dict) -> Layout:
    plan, counts = content["plan"], content["counts"]
    head = (
        Field("plan.title", "事案", plan["title"]),
        Field("plan.organisation", "作成部署", plan["organisation"] or NONE,
              missing=not plan["organisation"]),
        Field("plan.drafted_on_text", "作成日", plan["drafted_on_text"]),
        Field("counts", "措置の数",
              f"計{counts['total']}件（実施済み{counts['done']}件・実施中{counts['in_progress']}件"
              f"・実施予定{counts['planned']}件・取りやめ{counts['dropped']}件）"
              + (f"、うち期日超過{counts['overdue']}件" if counts["overdue"] else "")),
    )
    sections = []
    for number, group in enumerate(content["groups"], start=1):
        # The label is the measure's number: a long title in the narrow label column of the
        # PDF would interleave with the value in its text layer.
        fields = tuple(Field(f"measures.{m['id']}", f"{number}-{i}", _measure_text(m),
                             missing=m["overdue"])
                       for i, m in enumerate(group["measures"], start=1))
        sections.append(Section(str(number), group["label"],
                                fields or (Field(f"groups.{group['group']}", "措置", "なし"),)))
    missing = tuple(Field(f"missing.{x['measure_id']}", "措置",
                          f"{x['title']}（未設定: " + "、".join(x["lacks"]) + "）", missing=True)
                    for x in content["incomplete"])
    if missing:
        sections.append(Section(str(len(sections) + 1), "担当者・期日・KPIが未設定の措置", missing))
    return Layout(title="再発防止策実施計画", subtitle=f"（{plan['drafted_on_text']}現在）",
                  head=head, sections=tuple(sections),
                  notes=("担当者・期日・KPIのない再発防止策は、公表しても信頼されません。"
                         "公表用の要約には担当者名・進捗の記録を含めません。",))
