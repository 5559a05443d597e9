"""Precision, recall and F1 per item of ``rouei scan`` on the labelled corpus, and the error of
its distinct-people count.

    uv run --group bench python bench/corpus.py            # once: /tmp/rouei-bench/corpus
    uv run --group bench python bench/accuracy.py [--save-baseline]

Scans ``CORPUS/data`` once with ``--findings`` (and ``--show-values``: the corpus is synthetic,
and the values make misses explainable), scores the findings against ``CORPUS/truth``
(tabular: by file, row, column and category; text: by file, line and category with
overlapping offsets), then scans ``CORPUS/data/people`` alone for the distinct-people count.
Writes ``OUT/accuracy.md`` and ``OUT/accuracy.json`` (OUT defaults to
/tmp/rouei-bench/results); ``--save-baseline`` also writes bench/baselines/accuracy.json.

``--ner`` scans with the optional GiNZA NER (``ROUEI_SCAN_NER=ginza``; the bench group has
GiNZA) and writes ``accuracy-ner.md/json`` (baseline: ``accuracy-ner.json``). NER runs on text
parts only: ``engine._scan_text`` is to call ``detect_text(line, ner=True)``; until it does,
this script runs the scan in one process with that call patched in (prose cells of tables keep
the rules alone).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BASELINES,
    SHAPED,
    SHAPELESS,
    TARGET_SHAPED,
    TARGET_TEXT_NAMES,
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

TARGET_PEOPLE = 0.02


def _ner_scan_child(argv: list[str]) -> None:
    """``rouei scan`` in this process with NER on text parts (see the module's docstring)."""
    import inspect

    from rouei.scanning import engine
    from rouei.scanning.detectors import detect_text

    if "ner=" not in inspect.getsource(engine._scan_text):
        def patched(text: str, **kwargs):
            if sys._getframe(1).f_code.co_name == "_scan_text":
                kwargs.setdefault("ner", True)
            return detect_text(text, **kwargs)
        engine.detect_text = patched
    from rouei.cli.main import app
    sys.argv = ["rouei", *argv]
    app()


def scan_with_ner(paths: list[Path], **kwargs):
    import os

    from common import run_timed
    cmd = [sys.executable, __file__, "--ner-scan-child", "scan", *map(str, paths),
           "--workers", "1"]
    for flag, key in (("--json", "json_out"), ("--findings", "findings")):
        if kwargs.get(key):
            cmd += [flag, str(kwargs[key])]
    if kwargs.get("show_values"):
        cmd += ["--show-values"]
    os.environ["ROUEI_SCAN_NER"] = "ginza"
    run = run_timed(cmd, kwargs.get("timeout", 600))
    if run.returncode != 0 or run.timed_out:
        raise RuntimeError(f"{' '.join(cmd)} failed (rc={run.returncode}):\n{run.stderr_tail}")
    return run


def target_for(domain: str, category: str) -> float | None:
    if category in SHAPED:
        return TARGET_SHAPED
    if category in SHAPELESS:
        return TARGET_TEXT_NAMES if domain == "text" else TARGET_SHAPED
    return None


def score_rows(ev: Evaluation) -> list[dict]:
    rows = []
    for domain in ("table", "text", None):
        for category, s in ev.by_category(domain).items():
            target = target_for(domain or "all", category) if domain else (
                TARGET_SHAPED if category in SHAPED else None)
            rows.append({"domain": domain or "all", "category": category, **s.to_dict(),
                         "target": target,
                         "met": None if target is None or s.f1 is None else s.f1 >= target})
    return rows


def explain(ev: Evaluation, limit: int = 6) -> dict:
    """Misses grouped by item and case (FN) or by file and column (FP), with a few values."""
    fn: dict[str, dict] = {}
    for t in ev.missed:
        key = f"{t['category']} / {t.get('case', '?')}"
        entry = fn.setdefault(key, {"count": 0, "files": Counter(), "examples": []})
        entry["count"] += 1
        entry["files"][t["file"]] += 1
        if len(entry["examples"]) < limit:
            entry["examples"].append({k: t[k] for k in ("file", "row", "column", "line", "start",
                                                        "end") if k in t})
    fp: dict[str, dict] = {}
    for f in ev.false:
        where = f["column"] if f.get("row") is not None else "text"
        key = f"{f['category']} / {f['file'].split('/')[0]} / {where}"
        entry = fp.setdefault(key, {"count": 0, "files": Counter(), "examples": []})
        entry["count"] += 1
        entry["files"][f["file"]] += 1
        if len(entry["examples"]) < limit:
            entry["examples"].append({k: f.get(k) for k in ("file", "row", "column", "line",
                                                            "value")})
    for group in (fn, fp):
        for entry in group.values():
            entry["files"] = dict(entry["files"].most_common(5))
    return {"false_negatives": dict(sorted(fn.items(), key=lambda kv: -kv[1]["count"])),
            "false_positives": dict(sorted(fp.items(), key=lambda kv: -kv[1]["count"]))}


def render(result: dict) -> str:
    out = [(f"Corpus: seed {result['corpus']['seed']}, {result['corpus']['cells']} labelled "
           f"cells, {result['corpus']['spans']} labelled text spans; scan "
           f"{result['scan_seconds']:.1f} s."), ""]
    for domain, title in (("table", "Tables (cells)"), ("text", "Free text (spans)"),
                          ("all", "All")):
        rows = [r for r in result["scores"] if r["domain"] == domain]
        out += [f"**{title}**", "", markdown_table(
            ["item", "TP", "FP", "FN", "precision", "recall", "F1", "target"],
            [[r["category"], r["tp"], r["fp"], r["fn"], fmt(r["precision"]), fmt(r["recall"]),
              fmt(r["f1"]),
              "–" if r["target"] is None else f"≥ {r['target']:.2f} "
              + ("✓" if r["met"] else "✗")] for r in rows]), ""]
    p = result["people"]
    rows = [["data/people/ (4 files, 3 encodings)", p["truth"], p["found"], f"{p['error']:+.1%}",
             f"within {TARGET_PEOPLE:.0%} " + ("✓" if p["met"] else "✗")]]
    if (q := result.get("prose_people")) is not None:
        rows.append(["data/threads/ (support mails: data subjects, not staff)", q["truth"],
                     q["found"], f"{q['error']:+.1%}",
                     f"within {TARGET_PEOPLE:.0%} " + ("✓" if q["met"] else "✗")])
    out += [markdown_table(["distinct people", "truth", "rouei", "error", "target"], rows), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=WORK / "corpus")
    parser.add_argument("--out", type=Path, default=WORK / "results")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--save-baseline", action="store_true")
    parser.add_argument("--ner", action="store_true", help="with the GiNZA NER (text parts)")
    args = parser.parse_args(argv)
    run_scan = scan_with_ner if args.ner else scan
    suffix = "-ner" if args.ner else ""
    data, truth_dir = args.corpus / "data", args.corpus / "truth"
    if not data.is_dir():
        parser.error(f"no corpus in {args.corpus}: run bench/corpus.py first")
    args.out.mkdir(parents=True, exist_ok=True)
    findings_path = args.out / "findings.jsonl"
    run = run_scan([data], json_out=args.out / "report.json", findings=findings_path,
               show_values=True, timeout=args.timeout)
    findings = read_jsonl(findings_path)
    ev = evaluate(read_jsonl(truth_dir / "cells.jsonl"), read_jsonl(truth_dir / "spans.jsonl"),
                  findings)
    people_truth = json.loads((truth_dir / "people.json").read_text(encoding="utf-8"))
    run_scan([data / "people"], json_out=args.out / "people_report.json", timeout=args.timeout)
    people_report = json.loads((args.out / "people_report.json").read_text(encoding="utf-8"))
    found = people_report["people"]
    error = (found - people_truth["people"]) / people_truth["people"]
    prose = None
    if (truth_dir / "prose_people.json").exists():  # the support threads (data subjects)
        prose_truth = json.loads((truth_dir / "prose_people.json").read_text(encoding="utf-8"))
        run_scan([data / "threads"], json_out=args.out / "prose_report.json",
                 timeout=args.timeout)
        prose_report = json.loads((args.out / "prose_report.json").read_text(encoding="utf-8"))
        prose_error = (prose_report["people"] - prose_truth["people"]) / prose_truth["people"]
        prose = {"truth": prose_truth["people"], "found": prose_report["people"],
                 "error": round(prose_error, 4), "met": abs(prose_error) <= TARGET_PEOPLE,
                 "detail": prose_report.get("people_detail")}
    manifest = json.loads((truth_dir / "manifest.json").read_text(encoding="utf-8"))
    result = {
        "machine": machine(),
        "corpus": {k: manifest[k] for k in ("seed", "scale", "cells", "spans")},
        "scan_seconds": round(run.seconds, 2),
        "scores": score_rows(ev),
        "macro_f1": {"all": round(ev.macro_f1(), 4),
                     "table": round(ev.macro_f1(domain="table"), 4),
                     "text": round(ev.macro_f1(domain="text"), 4)},
        "people": {"truth": people_truth["people"], "records": people_truth["records"],
                   "found": found, "error": round(error, 4),
                   "met": abs(error) <= TARGET_PEOPLE,
                   "detail": people_report.get("people_detail")},
        "prose_people": prose,
        "explain": explain(ev),
    }
    result["ner"] = "ginza" if args.ner else None
    save_json(result, args.out / f"accuracy{suffix}.json")
    if args.save_baseline:
        baseline = {k: v for k, v in result.items() if k != "explain"}
        save_json(baseline, BASELINES / f"accuracy{suffix}.json")
    text = render(result)
    (args.out / f"accuracy{suffix}.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"details: {args.out / f'accuracy{suffix}.json'}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--ner-scan-child"]:
        _ner_scan_child(sys.argv[2:])
    else:
        sys.exit(main())
