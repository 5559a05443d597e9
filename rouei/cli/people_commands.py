"""`rouei people …`: the registry of affected people from the command line (issue 12's
interfaces). The CLI never waits for input; it acts as the server's operator (audited with no
user)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from rouei.cli.django_setup import setup_django
from rouei.cli.main import app

console = Console(highlight=False, stderr=True)
INCIDENT_ARG = typer.Argument(..., metavar="INCIDENT", help="事案の番号 / incident id")
FILE_ARG = typer.Argument(..., exists=True, dir_okay=False, metavar="FILE")
OUT_OPT = typer.Option(..., "--out", dir_okay=False, help="出力 CSV / output CSV")
PDF_OUT_OPT = typer.Option(..., "--out", dir_okay=False, help="出力 PDF / output PDF")
TEMPLATE_OUT_OPT = typer.Option(
    None, "--template-out", dir_okay=False,
    help="印刷業者向けの文面（《列名》の差し込み、CP932）/ the letter template with placeholders "
         "of the CSV columns")
people_app = typer.Typer(help="対象者名簿 / the registry of affected people",
                         no_args_is_help=True)
app.add_typer(people_app, name="people")


def _incident(incident_id: int):
    from rouei.core.access import incident_model

    incident = incident_model().objects.filter(pk=incident_id).first()
    if incident is None:
        console.print(f"事案 {incident_id} はありません / no incident {incident_id}", style="red")
        raise typer.Exit(2)
    return incident


def _fail(exc) -> None:
    console.print(f"{exc.message if hasattr(exc, 'message') else exc}", style="bold red",
                  markup=False, soft_wrap=True)
    raise typer.Exit(1) from None


def _emit(data, as_json: bool, text: str) -> None:
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        typer.echo(text)


@people_app.command("import")
def import_(incident_id: int = INCIDENT_ARG,
            file: Path = FILE_ARG,
            on_error: str = typer.Option("stop", "--on-error",
                                         help="stop: 不正な行で中止（何も取り込まない） / skip: "
                                              "飛ばして続ける"),
            dry_run: bool = typer.Option(False, "--dry-run",
                                         help="対応付けと先頭行だけ表示し、書き込まない"),
            possible: bool = typer.Option(False, "--possible",
                                          help="この名簿の人は漏えいの「可能性」（未確定）"),
            controller: str = typer.Option("", "--controller", help="委託元（受託者の事案）"),
            sheet: str | None = typer.Option(None, "--sheet",
                                             help="XLSX の読むシート名（省略時は名簿の見出しがある最初のシート）"),
            as_json: bool = typer.Option(False, "--json")) -> None:
    """CSV（UTF-8/CP932）・XLSX の名簿を取り込む / import a people list (all or nothing)."""
    setup_django()
    from rouei.people import actions

    if on_error not in ("stop", "skip"):
        console.print("--on-error は stop か skip です", style="red")
        raise typer.Exit(2)
    incident = _incident(incident_id)
    if dry_run:
        _preview(lambda: actions.do_preview_import(None, incident, file, sheet=sheet), as_json)
        return
    _import(lambda progress: actions.do_import_people(
        None, incident, file, on_error=on_error, confirmed=not possible,
        controller=controller, progress=progress, sheet=sheet), total=file.stat().st_size,
        as_json=as_json)


# Refusals of how the command was called, not of the data: exit status 2, as for a bad option.
USAGE_ERRORS = frozenset({"sheet_not_xlsx"})


def _error(exc, as_json: bool) -> None:
    status = 2 if exc.code in USAGE_ERRORS else 1
    if as_json:
        sys.stdout.write(json.dumps({"error": exc.code, "detail": exc.message, **exc.extra},
                                    ensure_ascii=False) + "\n")
        raise typer.Exit(status) from None
    console.print(exc.message, style="bold red", markup=False, soft_wrap=True)
    raise typer.Exit(status) from None


def _preview(run, as_json: bool) -> None:
    from rouei.core.errors import ActionError

    try:
        data = run()
    except ActionError as exc:
        _error(exc, as_json)
    lines = [f"{m['header']} → {m['label'] or '（取り込まない）'}" for m in data["mapping"]]
    if data.get("header_row"):
        lines.insert(0, f"見出し行: {data['header_row']} 行目")
    if data.get("sheet"):
        hidden = set(data.get("hidden_sheets", []))
        others = [s + ("（非表示）" if s in hidden else "")
                  for s in data.get("sheets", []) if s != data["sheet"]]
        lines.insert(0, f"シート: {data['sheet']}" + (
            f"（ほかのシート: {'、'.join(others)}。--sheet で選べます）" if others else ""))
    lines[:0] = [f"注意: {note}" for note in data.get("notes", [])]
    _emit(data, as_json, "\n".join(lines))


def _import(run, *, total: int, as_json: bool) -> None:
    """An import with a progress bar on a terminal (``total``: bytes, or rows for a scan's
    table) and the contract's result."""
    from rich.progress import BarColumn, Progress, TextColumn

    from rouei.core.errors import ActionError

    try:
        with Progress(TextColumn("取り込み中"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TextColumn("{task.fields[rows]:,} 行"), console=console,
                      disable=as_json or not console.is_terminal) as bar:
            task = bar.add_task("import", total=max(total, 1), rows=0)
            result = run(lambda rows, done: bar.update(task, completed=done, rows=rows))
    except ActionError as exc:
        _error(exc, as_json)
    data = result.to_dict()
    text = (f"{data['rows']:,} 行: 新規 {data['imported']:,}、統合 {data['merged']:,}、"
            f"除外 {len(data['rejected']):,}（名簿 {data['people']:,} 人）")
    for bad in data["rejected"][:20]:
        text += f"\n  {bad['row']} 行目: {bad['reason']}"
    _emit(data, as_json, text)


@people_app.command("import-scan")
def import_scan(incident_id: int = INCIDENT_ARG,
                scan_id: int = typer.Argument(..., metavar="SCAN", help="スキャンの番号 / scan id"),
                table: int | None = typer.Option(None, "--table",
                                                 help="取り込む表の番号（省略時は一覧を表示）"),
                on_error: str = typer.Option("stop", "--on-error", help="stop / skip"),
                dry_run: bool = typer.Option(False, "--dry-run",
                                             help="対応付けと先頭行だけ表示し、書き込まない"),
                possible: bool = typer.Option(False, "--possible",
                                              help="この表の人は漏えいの「可能性」（未確定）"),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """証拠のスキャン結果の表から取り込む / import a table the scan of the evidence found."""
    setup_django()
    from rouei.people import actions
    from rouei.people.from_scan import people_tables
    from rouei.scans.models import EvidenceScan

    if on_error not in ("stop", "skip"):
        console.print("--on-error は stop か skip です", style="red")
        raise typer.Exit(2)
    incident = _incident(incident_id)
    scan = EvidenceScan.objects.filter(pk=scan_id, incident=incident).first()
    if scan is None:
        console.print(f"事案 {incident_id} にスキャン {scan_id} はありません / no such scan",
                      style="red")
        raise typer.Exit(2)
    if table is None:
        tables = [{"table": t.index, "file": t.file, "member": t.member, "sheet": t.sheet,
                   "db_table": t.table, "place": t.place, "rows": t.rows, "items": t.items}
                  for t in people_tables(scan.report)]
        _emit(tables, as_json, "\n".join(f"{t['table']}: {t['place']}（{t['rows']:,} 行）"
                                          f" {', '.join(t['items'])}" for t in tables)
              or "人の表はありません / no table with people")
        return
    if dry_run:
        _preview(lambda: actions.do_preview_scan_import(None, incident, scan, table), as_json)
        return
    _import(lambda progress: actions.do_import_from_scan(
        None, incident, scan, table, on_error=on_error, confirmed=not possible,
        progress=progress), total=0, as_json=as_json)


@people_app.command()
def lookup(incident_id: int = INCIDENT_ARG,
           ref: str = typer.Option("", "--ref", help="受付番号"),
           phone: str = typer.Option("", "--phone", help="電話番号"),
           email: str = typer.Option("", "--email", help="メールアドレス"),
           name: str = typer.Option("", "--name", help="氏名（--birth-date か --address と）"),
           birth_date: str = typer.Option("", "--birth-date", help="生年月日"),
           address: str = typer.Option("", "--address", help="住所（--name と）"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """名簿を検索 / look people up (masked contact data)."""
    setup_django()
    from rouei.core.errors import ActionError
    from rouei.people import actions

    incident = _incident(incident_id)
    _warn_if_stale(incident)
    try:
        matches = actions.do_lookup(None, incident, ref=ref, phone=phone, email=email,
                                    name=name, birth_date=birth_date, address=address)
    except ActionError as exc:
        _fail(exc)
    lines = [f"{m['ref']}  {m['name']}  {'確定' if m['confirmed'] else '可能性'}  "
             f"{', '.join(m['items'])}" for m in matches] or ["該当なし / no match"]
    _emit(matches, as_json, "\n".join(lines))


@people_app.command("print-data")
def print_data(incident_id: int = INCIDENT_ARG,
               out: Path = OUT_OPT,
               only_unreached: bool = typer.Option(False, "--only-unreached",
                                                   help="他の手段で届いていない人だけ"),
               template_out: Path | None = TEMPLATE_OUT_OPT) -> None:
    """印刷業者向けデータ（CP932 CSV）/ print-vendor data."""
    setup_django()
    import os

    from rouei.people import actions

    incident = _incident(incident_id)
    # The file holds personal data: created for its owner only.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        result = actions.do_export_print_data(None, incident, handle,
                                              only_unreached=only_unreached)
    note = (f"（CP932 にない文字 {result['replaced_characters']} 字を ? にしました）"
            if result["replaced_characters"] else "")
    typer.echo(f"{result['rows']:,} 人分を書き出しました: {out}{note}")
    if template_out is not None:
        with template_out.open("wb") as handle:
            written = actions.do_write_print_template(None, incident, handle)
        note = (f"（CP932 にない文字 {written['replaced_characters']} 字を ? にしました）"
                if written["replaced_characters"] else "")
        typer.echo(f"文面のひな形を書き出しました: {template_out}{note}")


@people_app.command("letters")
def letters(incident_id: int = INCIDENT_ARG,
            out: Path = PDF_OUT_OPT,
            only_unreached: bool = typer.Option(False, "--only-unreached",
                                                help="他の手段で届いていない人だけ")) -> None:
    """通知の手紙（PDF、少数向け）/ the notice letters as one PDF (small batches)."""
    setup_django()
    import os

    from rouei.core.errors import ActionError
    from rouei.documents.renderers.pdf import FontMissing
    from rouei.people import actions

    incident = _incident(incident_id)
    buffer = io.BytesIO()
    try:
        result = actions.do_render_letters(None, incident, buffer, only_unreached=only_unreached)
    except (ActionError, FontMissing) as exc:
        _fail(exc)
    # The file holds personal data: created for its owner only.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(buffer.getvalue())
    typer.echo(f"{result['letters']:,} 人分の手紙を書き出しました: {out}")


@people_app.command()
def notify(incident_id: int = INCIDENT_ARG,
           by_email: bool = typer.Option(False, "--email", help="メールで通知する"),
           limit: int | None = typer.Option(None, "--limit", min=1, help="送る人数の上限"),
           dry_run: bool = typer.Option(False, "--dry-run",
                                        help="送る人数と文面の例（伏せ字）を表示し、送らない"),
           now: bool = typer.Option(False, "--now",
                                    help="ワーカーに任せず、このプロセスで送る"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """本人への通知を送る / send the notices (e-mail: queued for `rouei worker`)."""
    setup_django()
    from rouei.core.errors import ActionError
    from rouei.people import actions
    from rouei.people.mailer import run_email_notices

    if not by_email:
        console.print("通知の手段を指定してください（--email）。手紙は print-data で作ります",
                      style="red")
        raise typer.Exit(2)
    incident = _incident(incident_id)
    try:
        if dry_run:
            plan = actions.do_plan_email_notices(None, incident, limit=limit)
            text = f"{plan['would_send']:,} 人にメールを送ります（毎分 {plan['rate_per_minute']} 通）"
            if plan["missing_settings"]:
                text += "\n未設定: " + ", ".join(plan["missing_settings"])
            if plan["preview"]:
                text += f"\n\n件名: {plan['preview']['subject']}\n\n{plan['preview']['body']}"
            _emit(plan, as_json, text)
            return
        run = actions.do_start_email_notices(None, incident, limit=limit, enqueue=not now)
        if now:
            run = run_email_notices(run.pk)
    except ActionError as exc:
        if as_json:
            sys.stdout.write(json.dumps({"error": exc.code, "detail": exc.message,
                                         **exc.extra}, ensure_ascii=False) + "\n")
            raise typer.Exit(1) from None
        _fail(exc)
    data = {"run": run.pk, "status": run.status, "sent": run.sent, "bounced": run.bounced,
            "deferred": run.deferred, "error": run.error}
    if run.status == "queued":
        text = f"送信 {run.pk} を登録しました（rouei worker が送ります）"
    else:
        text = (f"送信 {run.pk}: 送信 {run.sent:,}、不達 {run.bounced:,}、"
                f"保留 {run.deferred:,}{'（' + run.error + '）' if run.error else ''}")
    _emit(data, as_json, text)
    if run.status == "failed":
        raise typer.Exit(1)


def _file_result(result: dict, as_json: bool, text: str) -> None:
    for bad in result["bad_lines"][:20]:
        text += f"\n  {bad['line']} 行目: {bad['reason']}"
    _emit(result, as_json, text)


@people_app.command()
def bounces(incident_id: int = INCIDENT_ARG,
            file: Path = FILE_ARG,
            as_json: bool = typer.Option(False, "--json")) -> None:
    """不達メールを記録（アドレス一覧または DSN の .eml/mbox）→ 手紙の対象へ / record bounces."""
    setup_django()
    from rouei.people import actions

    result = actions.do_record_bounces(None, _incident(incident_id), file)
    _file_result(result, as_json,
                 f"{result['addresses']:,} 件: 手紙の対象へ {result['moved']:,} 人、"
                 f"名簿にないアドレス {result['unknown']:,} 件")


@people_app.command("letters-sent")
def letters_sent(incident_id: int = INCIDENT_ARG,
                 file: Path = FILE_ARG,
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """発送した手紙を記録（受付番号の一覧、または印刷データの CSV）/ record letters mailed."""
    setup_django()
    from rouei.people import actions

    result = actions.do_record_letters_sent(None, _incident(incident_id), file)
    _file_result(result, as_json,
                 f"{result['refs']:,} 件: 発送済みに {result['moved']:,} 人、"
                 f"名簿にない受付番号 {result['unknown']:,} 件")


@people_app.command()
def returned(incident_id: int = INCIDENT_ARG,
             file: Path = FILE_ARG,
             as_json: bool = typer.Option(False, "--json")) -> None:
    """返送された手紙（宛所不明）を記録（受付番号を1行に1つ）/ record returned letters."""
    setup_django()
    from rouei.people import actions

    result = actions.do_record_returned_letters(None, _incident(incident_id), file)
    _file_result(result, as_json,
                 f"{result['refs']:,} 件: 返送に {result['moved']:,} 人、"
                 f"名簿にない受付番号 {result['unknown']:,} 件")


@people_app.command()
def unreachable(incident_id: int = INCIDENT_ARG,
                mark: bool = typer.Option(False, "--mark",
                                          help="この人たちを「通知不能（代替措置）」にする"),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """どの手段でも届かなかった人（公表・窓口による代替措置の対象）/ people no channel reached."""
    setup_django()
    from rouei.people import actions

    result = actions.do_list_unreachable(None, _incident(incident_id), mark=mark)
    text = f"{result['count']:,} 人に通知が届いていません（代替措置: 公表・窓口）"
    if result["refs"]:
        text += "\n" + "\n".join(result["refs"])
    _emit(result, as_json, text)


@people_app.command()
def claims(incident_id: int = INCIDENT_ARG,
           file: Path = FILE_ARG,
           as_json: bool = typer.Option(False, "--json")) -> None:
    """補償の申請を一括確認（ref, birth_date, name）/ check bulk claims."""
    setup_django()
    from rouei.core.errors import ActionError
    from rouei.people import actions
    from rouei.people.claims_file import read_claims

    incident = _incident(incident_id)
    try:
        rows = read_claims(file)
    except ActionError as exc:
        console.print(exc.message, style="red", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    try:
        results = actions.do_check_claims(None, incident, rows)
    except ActionError as exc:
        _fail(exc)
    lines = [f"{r['claim']}: {r['ref']} {'受付' if r['result'] == 'accepted' else '不可'} "
             f"{r['reason']}" for r in results]
    _emit(results, as_json, "\n".join(lines))


def _warn_if_stale(incident) -> bool:
    """The stale-keys warning on stderr (stdout stays the command's answer); whether shown."""
    from rouei.people.maintenance import STALE_KEYS_WARNING, keys_are_stale

    stale = keys_are_stale(incident)
    if stale:
        console.print(str(STALE_KEYS_WARNING), style="bold yellow", markup=False, soft_wrap=True)
    return stale


@people_app.command()
def status(incident_id: int = INCIDENT_ARG,
           as_json: bool = typer.Option(False, "--json")) -> None:
    """名簿の人数と照会キーの規則 / the registry's counts and its look-up key rules."""
    setup_django()
    from rouei.people.maintenance import current_key_rules, recorded_key_rules
    from rouei.people.services import registry_counts

    incident = _incident(incident_id)
    counts = registry_counts(incident)
    stale = _warn_if_stale(incident)
    (version, normaliser), (current, current_normaliser) = (recorded_key_rules(incident),
                                                            current_key_rules())
    data = {"people": counts["total"], "confirmed": counts["confirmed"],
            "possible": counts["possible"],
            "key_rules": {"version": version, "current": current, "stale": stale,
                          "address_normaliser": normaliser,
                          "current_address_normaliser": current_normaliser}}
    _emit(data, as_json, f"{counts['total']:,} 人（確定 {counts['confirmed']:,}、可能性 "
                         f"{counts['possible']:,}）\n照会キーの規則: {version}・住所 {normaliser}"
                         f"（現行 {current}・住所 {current_normaliser}）")


@people_app.command()
def reindex() -> None:
    """検索用索引を現在の索引キーと照会キーの規則で作り直す / rebuild the blind indexes under
    the first key of ROUEI_INDEX_KEYS and the current look-up key rules (after a key rotation
    or a change of the rules)."""
    setup_django()
    from rouei.people.maintenance import reindex_all
    from rouei.people.registry import LOOKUP_RULES_VERSION

    count = reindex_all()
    typer.echo(f"{count:,} 人の索引を作り直しました（照会キーの規則 {LOOKUP_RULES_VERSION}）")
