"""`rouei incident spend` and `rouei incident spend-add`: the incident's spend page from the
command line, through the same audited action as the page and the API (``do_add_spend``).
(`rouei estimate FILE` is the model estimate of a facts file, without an incident.)"""

from __future__ import annotations

import datetime as dt
import json

import typer

from rouei.cli.django_setup import setup_django
from rouei.cli.document_commands import _fail, _incident, _user, incident_app, out

INCIDENT_ARG = typer.Argument(..., metavar="INCIDENT", help="事案の ID / incident id")


def _yen(value: int | None) -> str:
    return "—" if value is None else f"{value:,}円"


@incident_app.command()
def spend(
    incident: str = INCIDENT_ARG,
    as_json: bool = typer.Option(False, "--json", help="JSON で出力 / print JSON"),
) -> None:
    """支出の一覧と試算との比較 / the money spent, per category and in total beside the estimate.

    JSON: {"records": [{id, spent_on, category, category_label, amount, note, version,
    recorded_by, recorded_at}], "summary": {entries, lines: [{key, label, estimate, spent,
    difference}], total: {estimate, spent, difference}}} (as GET /api/v1/incidents/{id}/
    estimate/spend)."""
    setup_django()
    from rouei.estimates.services import spend_report

    report = spend_report(_incident(incident), "ja")
    if as_json:
        out.print(json.dumps(report, ensure_ascii=False, indent=2), markup=False,
                  soft_wrap=True)
        return
    for record in report["records"]:
        note = f"  {record['note']}" if record["note"] else ""
        out.print(f"#{record['id']}  {record['spent_on']}  {record['category_label']}  "
                  f"{_yen(record['amount'])}{note}", markup=False, soft_wrap=True)
    summary = report["summary"]
    if not summary["entries"]:
        out.print("支出の記録はありません / no spend recorded", markup=False)
    for line in summary["lines"]:
        out.print(f"{line['label']}: 試算 {_yen(line['estimate'])} / 支出 {_yen(line['spent'])}",
                  markup=False, soft_wrap=True)
    total = summary["total"]
    out.print(f"合計 / total: 試算 {_yen(total['estimate'])} / 支出 {_yen(total['spent'])}"
              f"（{summary['entries']}件 / records）", markup=False, soft_wrap=True)


@incident_app.command(name="spend-add")
def spend_add(
    incident: str = INCIDENT_ARG,
    category: str = typer.Option(..., "--category",
                                 help="費目のキー（例: legal_counsel。誤ったキーには一覧を表示） / "
                                      "the category key (e.g. legal_counsel; a wrong one lists "
                                      "them)"),
    amount: int = typer.Option(..., "--amount", help="金額（円） / amount in whole yen"),
    spent_on: str | None = typer.Option(None, "--date",
                                        help="支出日（既定: 今日） / the day (YYYY-MM-DD, "
                                             "default: today)"),
    note: str = typer.Option("", "--note", help="メモ / note"),
    user: str | None = typer.Option(None, "--user",
                                    help="記録する人（既定: 事案の作成者） / who records it "
                                         "(default: the incident's creator)"),
) -> None:
    """支出を記録 / record money spent on the response (audited: spend.add); prints its id."""
    setup_django()
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from rouei.core.errors import ActionError
    from rouei.estimates.actions import do_add_spend
    from rouei.estimates.choices import SPEND_CATEGORIES

    case = _incident(incident)
    actor = _user(user) if user else case.created_by
    try:
        day = dt.date.fromisoformat(spent_on) if spent_on else timezone.localdate()
    except ValueError:
        _fail(f"--date: 日付として読めません（例: 2026-12-01） / not a date (e.g. 2026-12-01): "
              f"{spent_on}", 2)
    if category not in SPEND_CATEGORIES:
        _fail(f"--category: 費目は次のいずれか / one of: {', '.join(SPEND_CATEGORIES)}", 2)
    try:
        row = do_add_spend(case, spent_on=day, category=category, amount=amount, note=note,
                           actor=actor)
    except PermissionDenied as exc:
        _fail(f"{actor.get_username()}: {exc}", 2)
    except ActionError as exc:
        _fail(exc.message, 2)
    out.print(row.pk, markup=False)
