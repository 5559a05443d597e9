"""Throughput on a 1,000,000-row Japanese customer CSV, beside a raw read floor, a plain-regex
floor and Presidio (GiNZA + Japanese pattern recognizers) on a slice; and Presidio's F1 next to
rouei's on slices of the same file and of the labelled corpus.

    uv run --group bench python bench/corpus.py               # the labelled corpus (once)
    uv run --group bench python bench/throughput.py [--save-baseline]

Steps, each bounded in time, all in one run on one machine:

  a. polars floor: ``pl.read_csv(infer_schema=False)`` of the UTF-8 file (every column a
     string); for CP932, Python's cp932 decoding then the same read.
  b. regex floor: one combined Python ``re`` pattern (phone, postal code, e-mail, card, My
     Number, date; no validation) over every line, one process; and for UTF-8 the same with
     prefecture-led addresses and katakana readings added (the items rouei also finds).
  c. ``rouei scan FILE --json`` on the UTF-8 and the CP932 file (all cores): MB/s, rows/s, peak
     RSS of the largest process (psutil).
  d. Presidio's AnalyzerEngine (bench/presidio_ja.py) through its BatchAnalyzerEngine, cell by
     cell with the column name as context, on the first ``--presidio-rows`` rows (stopped at
     ``--presidio-seconds``): rows/s and the full file extrapolated; macro F1 of Presidio and of
     rouei on that slice, and on a slice of the labelled corpus (tables and text).

Also: the start-up cost of ``rouei scan`` (the same command on a 2-line CSV). When the
environment sets PYTHONDONTWRITEBYTECODE (and no PYTHONPYCACHEPREFIX), the start-up is measured
as it is, then the rouei runs get a bytecode cache folder (as an installed rouei has cached
bytecode); ``--no-bytecode-cache`` keeps the environment as it is for every run.

Writes OUT/throughput.md and OUT/throughput.json (OUT: /tmp/rouei-bench/results);
``--save-baseline`` also writes bench/baselines/throughput.json (throughput-scan.json with
``--skip-presidio``, so that a run without Presidio keeps the Presidio baseline).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import sys
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bigfile
from common import (
    BASELINES,
    WORK,
    Evaluation,
    evaluate,
    fmt,
    machine,
    markdown_table,
    read_jsonl,
    save_json,
    scan,
)

MB = 1e6

# One combined pattern, no validation: what a quick grep-like pass would use. E-mail addresses
# are matched with ASCII classes: with ``\w`` (Unicode in Python) the local part also matches
# kanji and kana, so every position of a Japanese word was tried as the start of an address
# (quadratic in the word's length): the same matches, ~30% slower. The floor should be a
# fair, quick pass, not a handicapped one.
FLOOR_PATTERN = re.compile(
    r"(?P<card>\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4})"
    r"|(?P<my_number>\d{4}[- ]?\d{4}[- ]?\d{4})"
    r"|(?P<phone>(?:\+81[- ]?|0)\d{1,4}[-( ]?\d{1,4}[-) ]?\d{4})"
    r"|(?P<postal>\d{3}-\d{4})"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    r"|(?P<date>\d{4}[/-]\d{1,2}[/-]\d{1,2})")


# The same quick pass covering the Japanese items rouei finds too, as quickly written: a
# prefecture-led address up to its municipality and a katakana reading of two words. Reported
# beside the first floor (UTF-8 only): the "one combined pattern" does not say which
# items, and this one does the work of the same items.
FLOOR_PATTERN_JA = re.compile(
    FLOOR_PATTERN.pattern
    + r"|(?P<address>(?:北海道|東京都|京都府|大阪府|[^\s,]{2,3}県)[^\s,]{1,20}?[市区町村郡])"
    r"|(?P<kana>[ァ-ヶー]+[ 　][ァ-ヶー]+)")


def wait_quiet(max_wait: float, below: float = 1.0) -> float:
    """Wait (at most ``max_wait`` s) until the 1-minute load average is below ``below``: other
    work on a 2-core machine halves every figure. Returns the load average when starting."""
    started = time.perf_counter()
    while os.getloadavg()[0] >= below and time.perf_counter() - started < max_wait:
        time.sleep(5)
    return round(os.getloadavg()[0], 2)


def polars_floor(path: Path, encoding: str) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    if encoding == "utf-8":
        frame = pl.read_csv(path, infer_schema=False)
    else:
        data = path.read_bytes().decode(encoding).encode("utf-8")
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "rows": frame.height,
            "mb_s": round(path.stat().st_size / MB / seconds, 1)}


def regex_floor(path: Path, encoding: str, deadline: float,
                pattern: re.Pattern[str] = FLOOR_PATTERN) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    matches = lines = 0
    complete = True
    with path.open(encoding=encoding, newline="") as fh:
        for line in fh:
            lines += 1
            for _ in pattern.finditer(line):
                matches += 1
            if lines % 100_000 == 0 and time.perf_counter() - started > deadline:
                complete = False
                break
        done = fh.buffer.tell() if not complete else path.stat().st_size
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "lines": lines,
            "matches": matches, "complete": complete, "mb_s": round(done / MB / seconds, 1),
            "mb_per_cpu_s": round(done / MB / cpu, 1)}


def rouei_scan(path: Path, out: Path, timeout: float, repeat: int = 1,
               max_wait: float = 0) -> dict:
    """``rouei scan FILE --json`` ``repeat`` times (waiting for a quiet moment before each);
    the figures of the fastest run, and every run's wall and CPU seconds."""
    report_path = out / f"scan_{path.stem}.json"
    size = path.stat().st_size
    runs = []
    for _ in range(max(1, repeat)):
        load = wait_quiet(max_wait)
        run = scan([path], json_out=report_path, timeout=timeout)
        report = json.loads(report_path.read_text(encoding="utf-8"))
        runs.append((run, report, load))
    run, report, load = min(runs, key=lambda r: r[0].seconds)
    median = statistics.median(r.seconds for r, _, _ in runs)
    engine = report.get("seconds")
    return {"seconds": round(run.seconds, 2), "cpu_seconds": round(run.cpu_seconds, 2),
            "mb_s": round(size / MB / run.seconds, 1),
            "median_seconds": round(median, 2), "median_mb_s": round(size / MB / median, 1),
            "mb_per_cpu_s": round(size / MB / run.cpu_seconds, 1),
            "rows_s": round(report["rows"] / run.seconds), "rows": report["rows"],
            "peak_rss_mb": round(run.peak_rss_mb), "engine_seconds": engine,
            "engine_mb_s": round(size / MB / engine, 1) if engine else None,
            "load_before": load,
            "runs": [{"seconds": round(r.seconds, 2), "cpu_seconds": round(r.cpu_seconds, 2),
                      "peak_rss_mb": round(r.peak_rss_mb), "load_before": lo}
                     for r, _, lo in runs],
            "totals": report["totals"], "people": report["people"]}


def start_up(out: Path, timeout: float, max_wait: float) -> dict:
    """What ``rouei scan`` costs before it reads a byte: the same command on a 2-line CSV.
    Python compiles every module it imports when no bytecode is cached (e.g. with
    PYTHONDONTWRITEBYTECODE=1 and a venv installed without compiling), which costs seconds."""
    tiny = out / "startup.csv"
    tiny.write_text("a,b\n1,2\n", encoding="utf-8")
    load = wait_quiet(max_wait)
    runs = [scan([tiny], json_out=out / "scan_startup.json", timeout=timeout) for _ in range(3)]
    best = min(runs, key=lambda r: r.seconds)
    return {"seconds": round(best.seconds, 2), "cpu_seconds": round(best.cpu_seconds, 2),
            "load_before": load,
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
            "PYTHONPYCACHEPREFIX": os.environ.get("PYTHONPYCACHEPREFIX")}


# --- Presidio -----------------------------------------------------------------------------------


class PresidioRunner:
    def __init__(self) -> None:
        import presidio_ja
        from presidio_analyzer import BatchAnalyzerEngine
        started = time.perf_counter()
        self.ja = presidio_ja
        self.analyzer = presidio_ja.build_analyzer()
        self.batch = BatchAnalyzerEngine(self.analyzer)
        self.load_seconds = time.perf_counter() - started

    def table(self, frame: pl.DataFrame) -> list[tuple[int, str, list]]:
        """(row index, column, results) for every non-empty cell, column by column, as
        ``BatchAnalyzerEngine.analyze_dict`` does (the column name as context)."""
        out = []
        data = {c: [v or "" for v in frame.get_column(c).to_list()] for c in frame.columns}
        for result in self.batch.analyze_dict(data, language="ja", batch_size=32):
            if not isinstance(result.recognizer_results, list):
                continue
            for index, cell_results in enumerate(result.recognizer_results):
                if cell_results:
                    out.append((index, result.key, cell_results))
        return out

    def lines(self, lines: list[str]) -> list[list]:
        return self.batch.analyze_iterator([line or " " for line in lines], language="ja",
                                           batch_size=32)

    def findings_table(self, file: str, first_row: int, cells, threshold: float) -> list[dict]:
        out = []
        for index, column, results in cells:
            for category, *_ in self.ja.categories(results, threshold):
                out.append({"file": file, "row": first_row + index, "column": column,
                            "category": category})
        return out

    def findings_text(self, file: str, results: list[list], threshold: float) -> list[dict]:
        out = []
        for number, line_results in enumerate(results, 1):
            for category, start, end, _ in self.ja.categories(line_results, threshold):
                out.append({"file": file, "line": number, "start": start, "end": end,
                            "category": category})
        return out


THRESHOLDS = (0.0, 0.3, 0.5, 0.7)


def slice_truth(frame: pl.DataFrame, file: str) -> list[dict]:
    cells = []
    for column, category in bigfile.COLUMNS.items():
        if category is None:
            continue
        for index, value in enumerate(frame.get_column(column).to_list()):
            if value:
                cells.append({"file": file, "row": index + 2, "column": column,
                              "category": category})
    return cells


def compare(truth_cells, truth_spans, ours, theirs_by_threshold) -> dict:
    """Macro F1 of rouei and of Presidio (at its best threshold) over the items in the truth,
    and over the items Presidio has a recognizer for."""
    categories = sorted({t["category"] for t in truth_cells + truth_spans})
    covered = [c for c in categories if c in set(_presidio_categories())]
    ev_ours = evaluate(truth_cells, truth_spans, ours)
    best = None
    for threshold, theirs in theirs_by_threshold.items():
        ev = evaluate(truth_cells, truth_spans, theirs)
        if best is None or ev.macro_f1(categories) > best[1].macro_f1(categories):
            best = (threshold, ev)
    threshold, ev_theirs = best
    return {
        "items": categories, "presidio_items": covered,
        "presidio_threshold": threshold,
        "macro_f1": {"rouei": round(ev_ours.macro_f1(categories), 3),
                     "presidio": round(ev_theirs.macro_f1(categories), 3)},
        "macro_f1_presidio_items": {"rouei": round(ev_ours.macro_f1(covered), 3),
                                    "presidio": round(ev_theirs.macro_f1(covered), 3)},
        "per_item": {c: {"rouei": _f1(ev_ours, c), "presidio": _f1(ev_theirs, c)}
                     for c in categories},
    }


def _f1(ev: Evaluation, category: str) -> dict:
    s = ev.by_category().get(category)
    return s.to_dict() if s else None


def _presidio_categories() -> list[str]:
    import presidio_ja
    return list(presidio_ja.CATEGORY.values())


def presidio_big_slice(runner: PresidioRunner, utf8: Path, out: Path, rows: int,
                       seconds: float, timeout: float) -> dict:
    frame = pl.read_csv(utf8, infer_schema=False, n_rows=rows)
    started, cpu = time.perf_counter(), time.process_time()
    cells, done, chunk = [], 0, 50
    while done < frame.height and time.perf_counter() - started < seconds:
        part = frame.slice(done, chunk)
        cells += [(done + i, c, r) for i, c, r in runner.table(part)]
        done += part.height
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    scanned = frame.head(done)
    name = "customers_1m_slice.csv"
    slice_path = out / name
    scanned.write_csv(slice_path)
    findings_path = out / "slice_findings.jsonl"
    scan([slice_path], findings=findings_path, timeout=timeout)
    ours = read_jsonl(findings_path)
    truth = slice_truth(scanned, name)
    theirs = {t: runner.findings_table(name, 2, cells, t) for t in THRESHOLDS}
    rate = done / elapsed
    total_rows = 1_000_000
    return {"rows": done, "seconds": round(elapsed, 1), "cpu_seconds": round(cpu, 1),
            "rows_s": round(rate, 2), "rows_per_cpu_s": round(done / cpu, 2),
            "extrapolated_full_file_hours": round(total_rows / rate / 3600, 1),
            "load_seconds": round(runner.load_seconds, 1),
            **compare(truth, [], ours, theirs)}


def _eml_lines(path: Path) -> list[str]:
    """The .eml as the scanner's contract numbers it: decoded headers, a blank line, body."""
    message = BytesParser(policy=policy.default).parse(path.open("rb"))
    lines = [f"{k}: {' '.join(str(v).split())}" for k, v in message.items()]
    body = message.get_body(("plain",))
    lines.append("")
    lines += body.get_content().replace("\r\n", "\n").split("\n")
    return lines


def presidio_corpus_slice(runner: PresidioRunner, corpus: Path, out: Path, rows: int,
                          texts: int, timeout: float) -> dict:
    """Presidio and rouei on the first ``rows`` records of two customer tables (the plain one
    and the one with full-width digits, 和暦 and other formats) and ``texts`` memos and mails."""
    data = corpus / "data"
    tables = ["people/customers_a.csv", "people/customers_b.csv"]
    text_files = ([f"text/memo_{i:02d}.txt" for i in range(2, 2 + texts)]
                  + [f"text/mail_{i:02d}.eml" for i in range(1, 1 + texts) if i != 5])
    started = time.perf_counter()
    theirs: dict[float, list[dict]] = {t: [] for t in THRESHOLDS}
    for rel in tables:
        frame = pl.read_csv(data / rel, infer_schema=False, n_rows=rows, encoding="utf8-lossy")
        frame = frame.rename({c: c.lstrip("\ufeff") for c in frame.columns})
        cells = runner.table(frame)
        for t in THRESHOLDS:
            theirs[t] += runner.findings_table(rel, 2, cells, t)
    for rel in text_files:
        path = data / rel
        lines = (_eml_lines(path) if rel.endswith(".eml")
                 else path.read_text(encoding="utf-8").split("\n"))
        results = runner.lines(lines)
        for t in THRESHOLDS:
            theirs[t] += runner.findings_text(rel, results, t)
    elapsed = time.perf_counter() - started
    findings_path = out / "corpus_findings.jsonl"
    scan([data], findings=findings_path, timeout=timeout)
    keep_files = set(tables) | set(text_files)

    def in_slice(kind: str, row: dict) -> bool:
        return row["file"] in keep_files and (kind == "text" or row["row"] <= rows + 1)
    ours = [f for f in read_jsonl(findings_path)
            if in_slice("text" if f.get("line") is not None else "table", f)]
    truth_cells = [c for c in read_jsonl(corpus / "truth" / "cells.jsonl")
                   if in_slice("table", c)]
    truth_spans = [s for s in read_jsonl(corpus / "truth" / "spans.jsonl")
                   if s["file"] in keep_files]
    return {"table_rows": rows * len(tables), "text_files": len(text_files),
            "seconds": round(elapsed, 1),
            **compare(truth_cells, truth_spans, ours, theirs)}


# --- report -------------------------------------------------------------------------------------


def render(result: dict) -> str:
    size = result["file"]
    out = [(f"File: {size['rows']:,} rows, UTF-8 {size['utf8_mb']:.1f} MB, CP932 "
           f"{size['cp932_mb']:.1f} MB ({size['path']})."), ""]
    rows = []

    def row(what: str, m: dict, rows_done: float, rss: object = "–") -> list:
        cpu = m.get("cpu_seconds")
        return [what, f"{m['seconds']:.2f}", fmt(cpu, 1), m.get("mb_s", "–"),
                f"{m['mb_in'] / cpu:.1f}" if cpu and m.get("mb_in") else "–",
                f"{rows_done / m['seconds']:,.0f}", rss, m.get("load_before", "–")]

    for enc in ("utf8", "cp932"):
        label = "UTF-8" if enc == "utf8" else "CP932"
        mb = size[f"{enc}_mb"]
        p = result["polars_floor"].get(enc)
        g = result["regex_floor"].get(enc)
        r = result["rouei"].get(enc)
        if p:
            rows.append(row(f"polars read_csv, all strings ({label})", p | {"mb_in": mb},
                            size["rows"]))
        if g:
            rows.append(row(f"plain regex, one pattern, 1 process ({label})"
                            + ("" if g["complete"] else " (stopped early)"),
                            g | {"mb_in": mb if g["complete"] else None}, g["lines"]))
        gj = result.get("regex_floor_ja") if enc == "utf8" else None
        if gj:
            rows.append(row("plain regex, one pattern with addresses and readings, 1 process "
                            f"({label})" + ("" if gj["complete"] else " (stopped early)"),
                            gj | {"mb_in": mb if gj["complete"] else None}, gj["lines"]))
        if r:
            rows.append(row(f"**rouei scan** ({label})", r | {"mb_in": mb}, r["rows"],
                            r["peak_rss_mb"]))
    pb = result.get("presidio_big")
    if pb:
        rows.append(row(f"Presidio + GiNZA, cell by cell ({pb['rows']} rows)",
                        pb | {"mb_s": "–", "load_before": result.get("presidio_load_before")},
                        pb["rows"]))
    out += [markdown_table(["what", "wall s", "CPU s", "MB/s", "MB per CPU-s", "rows/s",
                            "peak RSS MB", "load avg before"], rows), ""]
    r, g = result["rouei"].get("utf8"), result["regex_floor"].get("utf8")
    if r and g:
        out += [(f"rouei / regex floor (UTF-8): {r['mb_s'] / g['mb_s']:.1f}× "
                f"(target ≥ 5×); rouei UTF-8 {r['mb_s']} MB/s (target ≥ 50); "
                f"by CPU time {r['mb_per_cpu_s'] / g['mb_per_cpu_s']:.1f}×.")]
        gj = result.get("regex_floor_ja")
        if gj:
            out += [(f"rouei / regex floor with addresses and readings (UTF-8): "
                     f"{r['mb_s'] / gj['mb_s']:.1f}× (median {r['median_mb_s'] / gj['mb_s']:.1f}×)"
                     f"; by CPU time {r['mb_per_cpu_s'] / gj['mb_per_cpu_s']:.1f}×.")]
    st = result.get("startup")
    nb = result.get("startup_without_bytecode_cache")
    if r and st:
        out += [(f"Start-up (rouei scan of a 2-line CSV): {st['seconds']:.2f} s wall, "
                 f"{st['cpu_seconds']:.2f} CPU s"
                 + (f" ({nb['seconds']:.2f} s without a bytecode cache; the rouei runs "
                    "here had one)" if nb else "")
                 + "; the engine's own time on the UTF-8 file "
                 f"{r['engine_seconds']:.2f} s ({r.get('engine_mb_s')} MB/s)"
                 + (f"; runs (wall s): {', '.join(str(x['seconds']) for x in r['runs'])}, "
                    f"median {r['median_seconds']} s ({r['median_mb_s']} MB/s)"
                    if len(r.get('runs', [])) > 1 else "") + ".")]
    rc = result["rouei"].get("cp932")
    if rc and len(rc.get("runs", [])) > 1:
        out += [(f"CP932 runs (wall s): {', '.join(str(x['seconds']) for x in rc['runs'])}, "
                 f"median {rc['median_seconds']} s ({rc['median_mb_s']} MB/s).")]
    if pb and r:
        out += [(f"rouei / Presidio: {r['rows_s'] / pb['rows_s']:,.0f}× the rows per second; "
                f"Presidio on the whole file: about {pb['extrapolated_full_file_hours']} h "
                f"(extrapolated), rouei {r['seconds']:.0f} s.")]
    out.append("")
    for key, title in (("presidio_big", "Slice of the 1M-row file"),
                       ("presidio_corpus", "Slice of the labelled corpus (tables and text)")):
        cmp = result.get(key)
        if not cmp:
            continue
        out += [f"**{title}** — Presidio at score threshold {cmp['presidio_threshold']} "
                "(its best of " + ", ".join(map(str, THRESHOLDS)) + ")", ""]
        table = []
        for item, scores in cmp["per_item"].items():
            o, t = scores["rouei"], scores["presidio"]
            table.append([item, fmt(o and o["f1"]), fmt(t and t["f1"]),
                          fmt(t and t["precision"]), fmt(t and t["recall"])])
        table.append(["**macro F1, all items**", f"**{cmp['macro_f1']['rouei']:.3f}**",
                      f"**{cmp['macro_f1']['presidio']:.3f}**", "", ""])
        table.append(["macro F1, items Presidio has a recognizer for",
                      f"{cmp['macro_f1_presidio_items']['rouei']:.3f}",
                      f"{cmp['macro_f1_presidio_items']['presidio']:.3f}", "", ""])
        out += [markdown_table(["item", "rouei F1", "Presidio F1", "Presidio P",
                                "Presidio R"], table), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, default=WORK / "corpus")
    parser.add_argument("--out", type=Path, default=WORK / "results")
    parser.add_argument("--scan-timeout", type=float, default=600)
    parser.add_argument("--regex-seconds", type=float, default=240)
    parser.add_argument("--presidio-rows", type=int, default=500)
    parser.add_argument("--presidio-seconds", type=float, default=150)
    parser.add_argument("--corpus-rows", type=int, default=100)
    parser.add_argument("--corpus-texts", type=int, default=4)
    parser.add_argument("--skip-presidio", action="store_true")
    parser.add_argument("--wait-quiet", type=float, default=60,
                        help="before each timed step, wait up to this many seconds for the "
                             "1-minute load average to fall below 1")
    parser.add_argument("--scan-repeat", type=int, default=1,
                        help="run rouei scan this many times per file and keep the fastest "
                             "(every run is in the JSON)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="run rouei with the environment as it is even when it sets "
                             "PYTHONDONTWRITEBYTECODE (every run then compiles every module "
                             "it imports); by default the rouei runs get a bytecode cache "
                             "folder (PYTHONPYCACHEPREFIX) under the bench folder")
    parser.add_argument("--save-baseline", action="store_true",
                        help="also write bench/baselines/throughput.json, or "
                             "throughput-scan.json with --skip-presidio")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    step = lambda name: print(f"[{time.strftime('%H:%M:%S')}] {name}", flush=True)

    step("building / reusing the big file")
    utf8, cp932 = bigfile.ensure(args.rows)
    result: dict = {
        "machine": machine(),
        "file": {"path": str(utf8), "rows": args.rows, "utf8_mb": utf8.stat().st_size / MB,
                 "cp932_mb": cp932.stat().st_size / MB},
        "polars_floor": {}, "regex_floor": {}, "rouei": {},
    }
    step("rouei start-up")
    result["startup"] = start_up(args.out, args.scan_timeout, args.wait_quiet)
    if (os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX")
            and not args.no_bytecode_cache):
        # An installed rouei runs from cached bytecode (pip compiles on install; otherwise
        # Python caches it on the first run). Without a cache every run compiles every module
        # it imports (~0.7 s more): give the rouei runs a cache folder outside the repository
        # and the venv, and keep the start-up without it in the results.
        step("rouei start-up with a bytecode cache")
        result["startup_without_bytecode_cache"] = result["startup"]
        os.environ["PYTHONDONTWRITEBYTECODE"] = ""
        os.environ["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
        result["startup"] = start_up(args.out, args.scan_timeout, args.wait_quiet)
    for enc, path, codec in (("utf8", utf8, "utf-8"), ("cp932", cp932, "cp932")):
        step(f"polars floor {enc}")
        load = wait_quiet(args.wait_quiet)
        result["polars_floor"][enc] = polars_floor(path, codec) | {"load_before": load}
        step(f"regex floor {enc}")
        load = wait_quiet(args.wait_quiet)
        result["regex_floor"][enc] = (regex_floor(path, codec, args.regex_seconds)
                                      | {"load_before": load})
        if enc == "utf8":
            step("regex floor with Japanese items, utf8")
            load = wait_quiet(args.wait_quiet)
            result["regex_floor_ja"] = (regex_floor(path, codec, args.regex_seconds,
                                                    FLOOR_PATTERN_JA) | {"load_before": load})
        step(f"rouei scan {enc}")
        result["rouei"][enc] = rouei_scan(path, args.out, args.scan_timeout,
                                          args.scan_repeat, args.wait_quiet)
        print(json.dumps({k: result[k][enc] for k in ("polars_floor", "regex_floor")}
                         | {"rouei": {k: v for k, v in result["rouei"][enc].items()
                                      if k != "totals"}}, ensure_ascii=False), flush=True)
    if not args.skip_presidio:
        try:
            step("loading Presidio + GiNZA")
            runner = PresidioRunner()
        except Exception as exc:
            result["presidio_error"] = f"{type(exc).__name__}: {exc}"
            print(result["presidio_error"], file=sys.stderr)
        else:
            step(f"Presidio on {args.presidio_rows} rows of the big file")
            load = wait_quiet(args.wait_quiet)
            result["presidio_load_before"] = load
            result["presidio_big"] = presidio_big_slice(runner, utf8, args.out,
                                                        args.presidio_rows,
                                                        args.presidio_seconds,
                                                        args.scan_timeout)
            if (args.corpus / "data").is_dir():
                step("Presidio on the labelled corpus slice")
                result["presidio_corpus"] = presidio_corpus_slice(
                    runner, args.corpus, args.out, args.corpus_rows, args.corpus_texts,
                    args.scan_timeout)
    save_json(result, args.out / "throughput.json")
    if args.save_baseline:
        save_json(result, BASELINES / ("throughput-scan.json" if args.skip_presidio
                                       else "throughput.json"))
    text = render(result)
    (args.out / "throughput.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
