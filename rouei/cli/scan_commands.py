"""`rouei scan`: which personal data of how many distinct people is in leaked files.

Needs no database and no web app: forensic analysts run it on an isolated machine.
"""

from __future__ import annotations

import gc
import json
import os
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from rouei.cli.main import app


class Lang(str, Enum):  # as in domain_commands, which `rouei scan` does not import (start-up)
    ja = "ja"
    en = "en"


LANG_OPT = typer.Option(Lang.ja, "--lang", help="表示言語 / language")

PATHS_ARG = typer.Argument(..., help="ファイル又はフォルダ / files or folders", show_default=False,
                           exists=True)
JSON_OUT = typer.Option(None, "--json", help="要約レポート（JSON）の出力先 / summary report file")
FINDINGS_OUT = typer.Option(None, "--findings",
                            help="検出結果（JSON Lines）の出力先 / findings file")
CSV_OUT = typer.Option(None, "--csv",
                       help="列ごとの結果を Excel 用 CSV（CP932）に書く / the columns found as CSV "
                            "for Excel (CP932)")
WORKERS_OPT = typer.Option(None, "--workers", min=1, help="並列数（既定: 全コア） / processes")
DASK_OPT = typer.Option(None, "--dask", help="Dask スケジューラのアドレス / Dask scheduler")
NER_OPT = typer.Option(False, "--ner",
                       help="文章中の氏名・住所を GiNZA でも探す（要 rouei[ner]、遅い） / also find "
                            "names and addresses in prose with GiNZA (extra rouei[ner]; slow)")
ZIP_PASSWORD_OPT = typer.Option(
    False, "--zip-password",
    help="パスワード付き ZIP のパスワードを尋ねる（表示しない。環境変数 ROUEI_ZIP_PASSWORDS に"
         "1 行 1 つでも可） / ask for the password of encrypted ZIP members (hidden; or "
         "ROUEI_ZIP_PASSWORDS, one per line)")
ZIP_PASSWORDS_ENV = "ROUEI_ZIP_PASSWORDS"
MAX_SECONDS_OPT = typer.Option(
    None, "--max-seconds", min=1,
    help="この秒数で打ち切り、途中までの結果を出す / stop after this many seconds and report "
         "what was found (partial)")
MAX_MEMORY_OPT = typer.Option(
    None, "--max-memory-mb", min=64,
    help="メモリ使用量の上限（MB） / stop when a scanning process uses more memory (MB)")
SHOW_OPT = typer.Option(False, "--show-values",
                        help="検出結果に生の値を含める（取扱注意） / include raw values")


@app.command()
def scan(paths: list[Path] = PATHS_ARG, json_out: Path | None = JSON_OUT,
         findings: Path | None = FINDINGS_OUT, csv_out: Path | None = CSV_OUT,
         workers: int | None = WORKERS_OPT,
         dask: str | None = DASK_OPT, show_values: bool = SHOW_OPT, ner: bool = NER_OPT,
         zip_password: bool = ZIP_PASSWORD_OPT, max_seconds: float | None = MAX_SECONDS_OPT,
         max_memory_mb: float | None = MAX_MEMORY_OPT, lang: Lang = LANG_OPT) -> None:
    """漏えいファイルの個人データ項目と人数を調べる / find personal data and count people."""
    from rouei.scanning import ner as ner_models
    from rouei.scanning.engine import ScanOptions, list_files
    from rouei.scanning.engine import scan as run_scan
    from rouei.scanning.readers import Limits

    # Passwords come from a hidden prompt or the environment, never from the command line
    # (it shows in the process list and the shell history).
    passwords = [p for p in os.environ.get(ZIP_PASSWORDS_ENV, "").splitlines() if p]
    if zip_password:
        passwords.append(typer.prompt("ZIP のパスワード / ZIP password", hide_input=True))

    console = Console(stderr=True)
    if ner and not ner_models.available("ginza"):
        console.print("[red]--ner には GiNZA が必要です: pip install 'rouei[ner]' / --ner needs "
                      "GiNZA: pip install 'rouei[ner]'[/]")
        raise typer.Exit(2)
    total = sum(path.stat().st_size for path, _ in list_files(paths))
    # What is imported by now lives as long as the command: the garbage collector need not
    # walk it again and again while the scan allocates (~3% of a scan's CPU time).
    gc.freeze()
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("スキャン中 / scanning", total=total or 1)
        options = ScanOptions(workers=workers, show_values=show_values,
                              ner="ginza" if ner else None,
                              limits=Limits(zip_passwords=tuple(passwords)),
                              max_seconds=max_seconds, max_memory_mb=max_memory_mb)
        report = run_scan(paths, options,
                          findings_out=findings, dask_address=dask,
                          progress=lambda n: progress.advance(task, n))
    data = report.to_dict()
    if json_out is not None:
        json_out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
    if csv_out is not None:
        from rouei.documents.renderers.excel_csv import excel_csv
        from rouei.scanning.report import column_table

        csv_out.write_bytes(excel_csv(*column_table(data, lang.value)))
    _render(data, lang, Console())
    if report.stopped:
        console.print(f"[bold yellow]{report.stopped['detail']} — 結果は途中までの部分的なもの"
                      "です / the report is partial[/]", highlight=False)
        raise typer.Exit(3)
    if report.partial:
        console.print("[bold yellow]中断しました: 結果は途中までの部分的なものです / interrupted: "
                      "the report is partial[/]")
        raise typer.Exit(130)


def _render(data: dict, lang: Lang, console: Console) -> None:
    from rouei.domain.items import ITEMS, part_label
    from rouei.scanning.model import place

    ja = lang is Lang.ja

    def label(category: str) -> str:
        if category == "prose_person":  # mentions the prose model linked (scanning/prose.py)
            return "文章中の同一人物" if ja else "same person in prose"
        item = ITEMS.get(category)
        return item.label(lang.value) if item else category

    files = Table(title="ファイル別" if ja else "Per file")
    for header in (("ファイル", "File"), ("行数", "Rows"), ("列 → 項目", "Columns → items"),
                   ("検出数", "Findings")):
        files.add_column(header[0] if ja else header[1], overflow="fold")
    def note(c: dict) -> str:  # a part of a split item; cells restored from Excel's changes
        part = part_label(c.get("part"), lang.value)
        part = "" if not part else (f"（{part}）" if ja else f" ({part})")
        n = c.get("restored")
        return part + ("" if not n else (f"（Excel補正 {n:,}）" if ja
                                          else f" ({n:,} restored from Excel)"))

    def column(c: dict) -> str:
        if c.get("veto"):  # the header names something else (商品コード): nothing counted
            looks = label(c["looked_like"])
            return (f"{c['column']}→対象外（値は{looks}の形）" if ja
                    else f"{c['column']}→not counted (values look like: {looks})")
        if not c["category"]:
            return f"{c['column']}→{'文章' if ja else 'prose'}"
        also = "".join(f"＋{label(k)} {v:,}" if ja else f" + {label(k)} {v:,}"
                       for k, v in (c.get("also") or {}).items())  # a mixed column
        staff = "" if not c.get("staff") else ("（会社側の担当者・人数に含めず）" if ja
                                                else " (company staff, not counted as people)")
        return f"{c['column']}→{label(c['category'])}{note(c)}{also}{staff}"

    for f in data["files"]:
        cols = ", ".join(column(c) for c in f["columns"])
        items = ", ".join(f"{label(k)} {v:,}" for k, v in f["items"].items())
        files.add_row(place(f), f"{f['rows']:,}", cols, items)
    console.print(files)
    totals = Table(title="項目別の合計" if ja else "Totals per item")
    totals.add_column("項目" if ja else "Item")
    totals.add_column("検出数" if ja else "Findings", justify="right")
    for category, count in data["totals"].items():
        totals.add_row(label(category), f"{count:,}")
    console.print(totals)
    people = data["people"]
    detail = data.get("people_detail") or {}

    def key_label(key: str) -> str:  # "person_name+birth_date", "email(no person_name)"
        fields, _, without = key.partition("(no ")
        text = ("＋" if ja else "+").join(label(f) for f in fields.split("+"))
        if without:
            missing = ", ".join(label(f) for f in without.rstrip(")").split(","))
            text += f"（{missing}なし）" if ja else f" (no {missing})"
        return text

    links = ", ".join(f"{key_label(k)} {v:,}" for k, v in detail.get("linked_by", {}).items())
    console.print(("本人の数（名寄せ後）" if ja else "Distinct people")
                  + f": [bold]{people:,}[/]  ("
                  + ("レコード" if ja else "records") + f" {detail.get('records', 0):,}"
                  + (", 名寄せ " if ja else ", linked by ") + (links or ("なし" if ja else "none"))
                  + ")", highlight=False)
    tables, prose = detail.get("tables"), detail.get("prose")
    if tables is not None and prose is not None and prose.get("records"):
        # Each counted on its own; together less when a mail names someone in a table.
        console.print(("  うち 表 " if ja else "  tables ") + f"{tables['people']:,}"
                      + (" 人、文章（メール・メモ） " if ja else ", prose (mails, notes) ")
                      + f"{prose['people']:,}" + (" 人" if ja else "")
                      + ((f"（会社側の担当者として数えなかった名前 {prose['staff_excluded']:,}）" if ja
                          else f" (names left out as the company's staff: "
                               f"{prose['staff_excluded']:,})")
                         if prose.get("staff_excluded") else ""), highlight=False)
    for bad in data["unreadable"]:
        partly = bad.get("code") == "partly_unreadable"
        what = ("一部読めないファイル" if ja else "Partly unreadable") if partly else (
            "読めないファイル" if ja else "Unreadable")
        console.print(f"[yellow]{what}: {place(bad)} — {bad['reason']}[/]", highlight=False)
    console.print(f"[dim]{data['bytes']:,} bytes, {data['seconds']:.1f} s[/]", highlight=False)
