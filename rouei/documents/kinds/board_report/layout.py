"""The board report laid out: heading lines, then 1 status, 2 deadlines, 3 people affected,
4 cost, 5 open risks, 6 prevention. Pure Python: the content in, a ``Layout`` out."""

from __future__ import annotations

from rouei.documents.layout import Field, Layout, Section

NONE = "なし"
UNKNOWN = "（未確認）"


def _field(key: str, label: str, value: str | None, *, missing: bool = False) -> Field:
    text = value or ""
    return Field(key, label, text or UNKNOWN, missing=missing or not text)


def _lines(lines: list[str]) -> str:
    return "\n".join(f"・{line}" for line in lines) or NONE


def _yen(value: int | None) -> str | None:
    return f"{value:,}円" if value is not None else None


def _yes_no(value: bool | None, yes: str, no: str) -> str | None:
    return None if value is None else (yes if value else no)


def _deadline_line(d: dict) -> str:
    text = f"{d['what']}（期限 {d['deadline']['text'] or '—'}"
    if d["done_on"]["text"]:
        text += f"、{d['done_on']['text']}実施"
    if d["receipt_number"]:
        text += f"、受付番号 {d['receipt_number']}"
    return text + "）"


def _people_text(people: dict) -> str | None:
    parts = []
    if people["confirmed"] is not None:
        parts.append(f"{people['confirmed']:,}人（確認済み）")
    if people["estimated"] is not None:
        bound = "（最大）" if people["is_upper_bound"] else "（推計）"
        parts.append(f"{people['estimated']:,}人{bound}")
    return "、".join(parts) or None


def _comparison_line(line: dict) -> str:
    """フォレンジック調査: 試算 3,000,000円、支出 1,200,000円（差 −1,800,000円）."""
    text = f"{line['label']}: 試算 {_yen(line['estimate']) or '—'}、支出 {_yen(line['spent'])}"
    if line["difference"] is not None:
        text += f"（差 {'+' if line['difference'] > 0 else ''}{_yen(line['difference'])}）"
    return text


def _spend_field(cost: dict) -> Field:
    if not cost.get("spend_recorded"):
        return Field("cost.spend", "実際の支出", "記録なし（支出の記録がないため比較できません）",
                     missing=True)
    total = cost["total"]
    text = f"{_yen(total['spent'])}（{cost['spend_entries']}件の記録）"
    if total["difference"] is not None:
        text += (f"。対応費用の試算 {_yen(total['estimate'])} との差 "
                 f"{'+' if total['difference'] > 0 else ''}{_yen(total['difference'])}")
    return Field("cost.spend", "実際の支出", text)


def layout(content: dict) -> Layout:
    meta, status, deadlines = content["report"], content["status"], content["deadlines"]
    people, cost, risks, prevention = (content["people"], content["cost"], content["risks"],
                                       content["prevention"])
    head = (
        _field("report.title", "事案", meta["title"]),
        _field("report.organisation", "報告部署", meta["organisation"]),
        _field("report.drafted_on_text", "報告日", meta["drafted_on_text"]),
    )
    s1 = Section("1", "現在の状況", (
        _field("status.label", "対応の段階", status["label"]),
        _field("status.summary", "事案の概要", status["summary"]),
        _field("status.triggers", "該当する事態（規則7条）", "、".join(status["triggers"])
               or _yes_no(status["report_required"], "", "該当なし")),
        _field("status.report_required", "個人情報保護委員会への報告",
               _yes_no(status["report_required"], "必要", "不要")),
        _field("status.notify_required", "本人への通知",
               _yes_no(status["notify_required"], "必要", "不要")),
    ))
    s2 = Section("2", "期限", (
        Field("deadlines.met", "遵守した期限", _lines([_deadline_line(d)
                                                     for d in deadlines["met"]])),
        Field("deadlines.coming", "今後の期限", _lines([_deadline_line(d)
                                                   for d in deadlines["coming"]])),
        Field("deadlines.missed", "守られなかった期限",
              _lines([_deadline_line(d) for d in deadlines["missed"]]),
              missing=bool(deadlines["missed"])),
    ))
    registry = people["registry"]
    s3 = Section("3", "影響を受けた本人", (
        _field("people.facts", "本人の数（事実関係）", _people_text(people)),
        Field("people.registry", "対象者名簿の登録数",
              f"{registry['total']:,}人（うち確認済み{registry['confirmed']:,}人・"
              f"可能性{registry['possible']:,}人）" if registry else "名簿は未作成"),
    ))
    estimate = cost["estimate"]
    s4 = Section("4", "費用", (
        _field("cost.estimate.damages_total", "損害賠償額の試算（モデル）",
               _yen(estimate["damages_total"])),
        _field("cost.estimate.response_costs", "対応費用の試算",
               _yen(estimate["response_costs"])),
        _spend_field(cost),
        *((Field("cost.by_category", "試算と支出（費目別）",
                 _lines([_comparison_line(line) for line in cost["by_category"]])),)
          if cost.get("spend_recorded") else ()),
    ))
    s5 = Section("5", "未解決のリスク", (
        Field("risks.overdue_tasks", "期限を過ぎたタスク",
              _lines([f"{t['title']}（期限 {t['due']['text']}、{t['days_overdue']}日超過）"
                      for t in risks["overdue_tasks"]]), missing=bool(risks["overdue_tasks"])),
        Field("risks.missing_report_items",
              f"報告（{risks['report_stage']}）の未確認事項",
              _lines([m["label"] + (f"（{m['deadline_label']} {m['deadline']['text']}まで）"
                                    if m["deadline"]["text"] else "")
                      for m in risks["missing_report_items"]]),
              missing=bool(risks["missing_report_items"])),
        Field("risks.overdue_measures", "期日を過ぎた再発防止策",
              _lines([f"{m['title']}（期日 {m['due']['text']}、{m['days_overdue']}日超過）"
                      for m in risks["overdue_measures"]]),
              missing=bool(risks["overdue_measures"])),
    ))
    s6 = Section("6", "再発防止策", (
        Field("prevention", "措置の状況",
              f"計{prevention['total']}件（実施済み{prevention['done']}件・未完了"
              f"{prevention['open']}件、うち期日超過{prevention['overdue']}件）"
              if prevention["total"] else "再発防止策は未策定", missing=not prevention["total"]),
    ))
    return Layout(title="個人データの漏えい等事案に関する取締役会報告",
                  subtitle=f"（{meta['drafted_on_text']}現在）",
                  head=head, sections=(s1, s2, s3, s4, s5, s6),
                  notes=("費用の試算はモデルによる概算であり、実際の支出ではありません。",))
