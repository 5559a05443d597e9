"""Reading a people list saved as XLSX (issue 12, session 10): peak RSS and time by sheet size.

    uv run --group bench python bench/people_xlsx.py                      # 50k and 200k rows
    uv run --group bench python bench/people_xlsx.py --rows 50000 200000 --readers rouei

The sheet is ``bench/people_registry.py``'s export (the same seeded rows as the CSV bench) as
Excel saves it after a person opened the CSV: every string in the shared-strings part, digits
typed as numbers (a phone that lost its leading 0, a postal code, a product code), dates typed as
dates (Excel serials with a date format; one in ten without, a bare serial), 和暦 and 〒 as text.

Each reader runs in its own process (peak RSS sampled by ``common.run_timed``) and reads every
row of the sheet:
- ``calamine``: python-calamine, ``get_sheet_by_index(0).iter_rows()`` (loads the sheet whole);
- ``openpyxl``: openpyxl ``load_workbook(read_only=True)`` and ``iter_rows(values_only=True)``;
- ``rouei``: ``rouei.people.importing.open_source`` (the import's reader) and ``parse_row`` on
  each row, the reading side of ``rouei people import``;
- ``csv``: the same rows as CSV through ``open_source``/``parse_row`` (the CSV path's floor).
Results: /tmp/rouei-bench/results/people_xlsx.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, WORK, machine, run_timed, save_json
from people_registry import HEADER, export_rows

from rouei.people.workbook import column_letters

EPOCH = dt.date(1899, 12, 30)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DATE = re.compile(r"(\d{4})[/-](\d{2})[/-](\d{2})")


def _typed(value: str, number: int):
    """The cell as Excel types it on opening the CSV: ("n", x), ("d", serial), ("s", text)."""
    if not value:
        return None
    if value.isascii() and value.isdigit() and len(value) <= 15:
        return "n", int(value)
    if m := DATE.fullmatch(value):
        serial = (dt.date(*map(int, m.groups())) - EPOCH).days
        return ("n" if number % 10 == 0 else "d"), serial
    return "s", value


def write_xlsx(path: Path, rows: int, seed: int = 12) -> None:
    """The export as one sheet, written as it streams (the shared strings are kept in memory
    here: the bench's writer, not the reader under test)."""
    strings: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for r, row in enumerate([HEADER, *export_rows(rows, seed)], 1):
                cells = []
                for c, value in enumerate(row):
                    typed = _typed(value, r) if r > 1 else ("s", value)
                    if typed is None:
                        continue
                    kind, v = typed
                    ref = f"{column_letters(c)}{r}"
                    if kind == "s":
                        index = strings.setdefault(v, len(strings))
                        cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
                    elif kind == "d":
                        cells.append(f'<c r="{ref}" s="1"><v>{v}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}"><v>{v}</v></c>')
                sheet.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w") as sst:
            sst.write(f'{XML}<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">'.encode())
            for text in strings:
                sst.write(f'<si><t xml:space="preserve">{escape(text)}</t></si>'.encode())
            sst.write(b"</sst>")
        archive.writestr("[Content_Types].xml", (
            f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/></Types>'))
        archive.writestr("_rels/.rels", f'{XML}<Relationships xmlns="{PACKAGE}"><Relationship '
                         f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                         '</Relationships>')
        archive.writestr("xl/workbook.xml", f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                         '<sheets><sheet name="顧客一覧" sheetId="1" r:id="rId1"/></sheets>'
                         '</workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", (
            f'{XML}<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
            '</Relationships>'))
        archive.writestr("xl/styles.xml", (
            f'{XML}<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2">'
            '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '</styleSheet>'))


def write_csv(path: Path, rows: int, seed: int = 12) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(export_rows(rows, seed))


def child(reader: str, path: str, out: str) -> None:
    """Read every row of ``path`` with ``reader``; the count and the time to ``out``."""
    started = time.process_time()
    rows = 0
    if reader == "calamine":
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(path)
        for _ in book.get_sheet_by_index(0).iter_rows():
            rows += 1
    elif reader == "openpyxl":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            rows += 1
    else:
        from rouei.people.importing import RowError, open_source, parse_row

        source = open_source(Path(path))
        for number, cells, _ in source.rows():
            try:
                parse_row(source, number, cells)
            except RowError:
                pass
            rows += 1
    Path(out).write_text(json.dumps({
        "rows": rows, "cpu_s": round(time.process_time() - started, 2)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--readers", nargs="+", default=["calamine", "openpyxl", "rouei", "csv"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = WORK / "people-xlsx"
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows:
        book, text = folder / f"people-{rows}.xlsx", folder / f"people-{rows}.csv"
        if not book.exists():
            write_xlsx(book, rows)
        if "csv" in args.readers and not text.exists():
            write_csv(text, rows)
        for _ in range(args.repeat):
            for reader in args.readers:  # alternated: the same minutes for each reader
                out = folder / f"{reader}-{rows}.json"
                run = run_timed([sys.executable, __file__, "--child", reader,
                                 str(text if reader == "csv" else book), str(out)],
                                timeout=1800, cwd=REPO)
                inner = json.loads(out.read_text()) if run.returncode == 0 else {}
                results.append({
                    "reader": reader, "rows": rows, "file_mb": round(
                        (text if reader == "csv" else book).stat().st_size / 2**20, 1),
                    "seconds": round(run.seconds, 2), "cpu_s": round(run.cpu_seconds, 2),
                    "peak_rss_mb": round(run.peak_rss_mb, 1), "load": os.getloadavg()[0],
                    "error": run.stderr_tail[-300:] if run.returncode else "", **inner})
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    save_json({"machine": machine(), "results": results}, WORK / "results" / "people_xlsx.json")


if __name__ == "__main__":
    main()
