"""`rouei assess`, `rouei estimate`, `rouei items`: the duty engine from the command line.

No database and no Django: these run on an isolated laptop as well as on the server.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from rouei.cli.main import app
from rouei.domain.facts import CLOCK_SKEW, JST, FactsError, load_facts
from rouei.domain.jdates import format_date_with_wareki


class Lang(str, Enum):
    ja = "ja"
    en = "en"


FILE_ARG = typer.Argument(..., help="事実ファイル（YAML/JSON） / facts file (YAML or JSON)",
                          show_default=False)
JSON_OPT = typer.Option(False, "--json", help="JSON で出力 / print JSON")
LANG_OPT = typer.Option(Lang.ja, "--lang", help="表示言語 / language")
PRICES_OPT = typer.Option(None, "--prices", help="単価ファイル（YAML/JSON） / unit prices file")
AS_OF_OPT = typer.Option(
    None, "--as-of", show_default=False,
    help="判定の基準日時（ISO 8601、省略時は現在）。これより後の日付は受け付けません。"
         "後日を想定した訓練用の事例に / the time the facts are judged at (ISO 8601, default "
         "now): dates after it are refused; for an exercise set later")

YES_NO = {True: ("必要", "required"), False: ("不要", "not required"),
          None: ("要確認（必要として準備）", "undecided: prepare as if required")}
STATUS = {"yes": ("該当", "applies"), "no": ("非該当", "does not apply"),
          "unknown": ("要確認", "to confirm")}


def _t(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang is Lang.ja else pair[1]


def _fail(message: str) -> None:
    Console(stderr=True).print(f"[bold red]エラー / error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _as_of(text: str | None, lang: Lang) -> dt.datetime:
    """``--as-of``: the present the facts are judged in (dates after it are refused). Without
    an offset it is JST; a bare date is the whole of that day (until 24:00 JST)."""
    if text is None:
        return dt.datetime.now(JST)
    text = text.strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        pass
    else:  # the last instant that still lets every time of that day through
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=JST)
        return end - CLOCK_SKEW - dt.timedelta(microseconds=1)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        _fail(_t((f"--as-of: 日時として読めません（例: 2027-04-01）: {text}",
                  f"--as-of: not an ISO 8601 date or datetime (e.g. 2027-04-01): {text}"), lang))
    return value if value.tzinfo else value.replace(tzinfo=JST)


def _load(file: Path, lang: Lang, now: dt.datetime):
    try:
        return load_facts(file, now=now)
    except FactsError as exc:
        _fail(f"{file}: {exc.message(lang.value)}")


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def assess(file: Path = FILE_ARG, as_json: bool = JSON_OPT, lang: Lang = LANG_OPT,
           as_of: str | None = AS_OF_OPT) -> None:
    """報告・本人通知の要否と期限を判定 / decide the duties to report and notify, with deadlines."""
    from rouei.domain.assessment import assess as run_assess

    now = _as_of(as_of, lang)
    facts = _load(file, lang, now)
    result = run_assess(facts, today=now.astimezone(JST).date())
    if as_json:
        _print_json(result.to_dict(lang.value))
        return
    _render_assessment(result.to_dict(lang.value), lang, Console())


@app.command()
def estimate(
    file: Path = FILE_ARG,
    prices: Path | None = PRICES_OPT,
    as_json: bool = JSON_OPT,
    lang: Lang = LANG_OPT,
    as_of: str | None = AS_OF_OPT,
) -> None:
    """損害賠償額（JNSA JO モデル）と対応費用を試算 / estimate damages and response costs."""
    from rouei.domain.damage import PricesError, load_prices
    from rouei.domain.damage import estimate as run_estimate

    facts = _load(file, lang, _as_of(as_of, lang))
    unit_prices = None
    if prices is not None:
        try:
            unit_prices = load_prices(prices)
        except PricesError as exc:
            _fail(f"{prices}: {exc.message(lang.value)}")
    result = run_estimate(facts, unit_prices).to_dict(lang.value)
    if as_json:
        _print_json(result)
        return
    _render_estimate(result, lang, Console())


@app.command()
def items(as_json: bool = JSON_OPT, lang: Lang = LANG_OPT) -> None:
    """データ項目カタログを表示 / list the data-item catalogue."""
    from rouei.domain.items import CATALOGUE

    if as_json:
        _print_json([item.to_dict() for item in CATALOGUE])
        return
    ja = lang is Lang.ja
    table = Table(title="データ項目カタログ" if ja else "Data-item catalogue")
    for header in (("ID", "ID"), ("名称", "Label"), ("精神的", "Privacy"), ("経済的", "Economic"),
                   ("フラグ", "Flags"), ("見出しの例", "Header aliases")):
        table.add_column(header[0] if ja else header[1])
    for item in CATALOGUE:
        flags = [name for flag, name in (
            (item.sensitive, "要配慮" if ja else "sensitive"),
            (item.financial.value == "alone", "財産的被害" if ja else "financial"),
            (item.identifier_code, "個人識別符号" if ja else "identifier code"),
            (item.specific_personal_info, "特定個人情報" if ja else "My Number")) if flag]
        table.add_row(item.id, item.label(lang.value), str(item.privacy), str(item.economic),
                      ", ".join(flags), " / ".join(item.aliases[:4]))
    Console().print(table)


def _date(value: str | None, lang: Lang) -> str:
    return format_date_with_wareki(dt.date.fromisoformat(value), lang.value) if value else "—"


def _render_regime(data: dict, lang: Lang, console: Console, title: str) -> None:
    ja = lang is Lang.ja
    duties = Table.grid(padding=(0, 2))
    duties.add_row("個人情報保護委員会への報告" if ja else "Report to the PPC",
                   f"[bold]{_t(YES_NO[data['report_required']], lang)}[/]")
    duties.add_row("本人への通知" if ja else "Notice to individuals",
                   f"[bold]{_t(YES_NO[data['notify_required']], lang)}[/]")
    window = data["preliminary_report_window"]
    if window:
        duties.add_row("速報（目安）" if ja else "Preliminary report (guide)",
                       f"{_date(window[0], lang)} 〜 {_date(window[1], lang)}")
    if data["final_report_due"]:
        days = data["final_report_days"]
        duties.add_row(f"確報（{days}日）" if ja else f"Final report ({days} days)",
                       f"[bold]{_date(data['final_report_due'], lang)}[/]")
    console.print(Panel(duties, title=title, expand=False))

    findings = Table(show_lines=False)
    for header in (("判定", "Result"), ("事態・例外", "Trigger / exception"), ("理由", "Reason"),
                   ("根拠", "Citation")):
        findings.add_column(header[0] if ja else header[1], overflow="fold")
    style = {"yes": "bold", "unknown": "yellow", "no": "dim"}
    for f in [*data["trigger_details"], *data["exception_details"]]:
        if f["kind"] == "exception" and f["status"] == "no":
            continue  # an exception that does not apply says nothing useful
        findings.add_row(f"[{style[f['status']]}]{_t(STATUS[f['status']], lang)}[/]",
                         f["label"], f["text"], f["citation"])
    console.print(findings)


def _bullets(console: Console, rows: list[str]) -> None:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for row in rows:
        grid.add_row(" •", row)
    console.print(grid, highlight=False)


def _render_assessment(data: dict, lang: Lang, console: Console) -> None:
    ja = lang is Lang.ja
    _render_regime(data, lang, console, "個人情報保護法" if ja else "APPI")
    if data["my_number_act"]:
        _render_regime(data["my_number_act"], lang, console,
                       "番号法（特定個人情報）" if ja else "My Number Act")
    if data["unknowns"]:
        console.print("[yellow bold]要確認の事実[/]" if ja else "[yellow bold]Facts to confirm[/]")
        _bullets(console, [f"[yellow]{u['field']}[/]: {u['text']}" for u in data["unknowns"]])
    console.print("[bold]判断の理由[/]" if ja else "[bold]Reasons[/]")
    _bullets(console, [f"{r['text']} [dim]({r['citation']})[/]" for r in data["reasons"]])
    console.print(f"[dim]{data['rules_version']['label']} — {data['rules_version']['note']}[/]",
                  highlight=False)


def _yen(value: int | None) -> str:
    return "—" if value is None else f"{value:,}円"


def _render_estimate(data: dict, lang: Lang, console: Console) -> None:
    ja = lang is Lang.ja
    factors = Table(title="想定損害賠償額（JNSA JO モデル）" if ja else "Damages (JNSA JO model)")
    for header in (("要素", "Factor"), ("値", "Value"), ("理由", "Reason")):
        factors.add_column(header[0] if ja else header[1], overflow="fold")
    for factor in data["factors"]:
        factors.add_row(factor["name"], f"{factor['value']:,}", factor["reason"])
    console.print(factors)
    if data.get("formula"):
        console.print(f"[bold]{data['formula']}[/]", highlight=False)
    people = data.get("people")
    console.print(f"{'1人あたり' if ja else 'Per person'}: {_yen(data.get('per_person'))}   "
                  f"{'人数' if ja else 'People'}: {'—' if people is None else f'{people:,}'}   "
                  f"{'総額' if ja else 'Total'}: [bold]{_yen(data.get('total'))}[/]",
                  highlight=False)
    for missing in data.get("missing", []):
        console.print(f"[yellow]要確認 / missing: {missing}[/]", highlight=False)

    cases = Table(title="裁判例との比較" if ja else "Court cases for comparison")
    for header in (("事件", "Case"), ("裁判所・日付", "Court and date"), ("1人あたり", "Per person"),
                   ("本件人数での総額", "Total for this incident")):
        cases.add_column(header[0] if ja else header[1], overflow="fold")
    for case in data.get("cases", []):
        cases.add_row(case["name"], case["court"], _yen(case["per_person"]),
                      _yen(case.get("total_for_this_incident")))
    console.print(cases)

    costs = data.get("response_costs") or {}
    if costs.get("lines"):
        table = Table(title="対応費用（単価は編集可能な仮定値）" if ja
                      else "Response costs (editable assumptions)")
        for header in (("費目", "Item"), ("単価", "Unit price"), ("数量", "Quantity"),
                       ("金額", "Amount")):
            table.add_column(header[0] if ja else header[1], overflow="fold")
        for line in costs["lines"]:
            table.add_row(line["label"], _yen(line["unit_price"]), f"{line['quantity']:,}",
                          _yen(line["amount"]))
        table.add_row("[bold]小計[/]" if ja else "[bold]Subtotal[/]", "", "",
                      f"[bold]{_yen(costs['subtotal'])}[/]")
        console.print(table)
        for option in costs.get("goodwill_options", []):
            console.print(("見舞金" if ja else "Goodwill payment")
                          + f" {_yen(option['per_person'])}/人: "
                          + f"{_yen(option['total'])} → "
                          + ("合計" if ja else "grand total")
                          + f" [bold]{_yen(option['grand_total'])}[/]", highlight=False)
    _bullets(console, [f"[dim]{note['text']} ({note['source']})[/]"
                       for note in data.get("notes", [])])
