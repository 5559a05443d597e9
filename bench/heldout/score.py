"""Score `rouei scan` on the held-out corpus (bench/heldout/generate.py): tables and prose apart.

    uv run --group bench python bench/heldout/score.py [--regenerate] [--save-baseline]

Scans ``data/tables`` and ``data/prose`` separately (``rouei scan DIR --json --findings``), so
the distinct people are counted for each on its own, and prints per category precision, recall
and F1 for each part and for both together, the macro F1 over the labelled categories, and the
people found against the truth. Results: ``$ROUEI_BENCH_DIR/results/heldout.{json,md}``; the
``explain`` section lists misses by case and false positives by decoy case (values included:
the corpus is synthetic). The held-out corpus is read for scores only, never for tuning.

Scoring is bench/common.py's: a cell matches by (file, row, column, category), a span by (file,
line, category) with overlapping offsets, one to one. Two conventions of this script:
- the 要配慮 health family (``health``, ``medical_history``, ``health_checkup_result``,
  ``disability``) is scored as one category ``health`` — the corpus labels a phrase as health
  information, not which sub-item it is;
- a finding whose report names a workbook sheet or a container member in separate keys
  (``sheet``, ``member``) is matched as ``file#sheet`` / ``file!/member``, the form the truth
  uses, so both forms of the contract score alike.
Findings in categories the corpus does not label at all are listed apart (not in the macro F1).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from common import (  # noqa: E402
    BASELINES,
    WORK,
    Evaluation,
    Score,
    evaluate,
    fmt,
    machine,
    markdown_table,
    read_jsonl,
    save_json,
    scan,
)

CORPUS = WORK / "heldout"
RESULTS = WORK / "results"
HEALTH_FAMILY = {"health", "medical_history", "health_checkup_result", "disability"}
TARGET_MACRO = 0.95
TARGET_CATEGORY = 0.90
TARGET_PEOPLE = 0.02


def canonical(f: dict, also: dict[tuple, str]) -> dict:
    f = dict(f)
    if f.get("category") in HEALTH_FAMILY:
        f["category"] = "health"
    # Folded into ``file`` once, here; the keys go, so that common.place does not add them a
    # second time (which made every sheet's finding miss its label).
    member = f.pop("member", None)
    if member and f"!/{member}" not in str(f["file"]):
        f["file"] = f"{f['file']}!/{member}"
    sheet = f.pop("sheet", None)
    if sheet and not str(f["file"]).endswith(f"#{sheet}"):
        f["file"] = f"{f['file']}#{sheet}"
    if f.get("row") is not None:
        labelled = also.get((f["file"], f["row"], str(f["column"]), f["category"]))
        if labelled:
            f["category"] = labelled
    return f


def decoy_case(f: dict, decoys: dict[str, list[dict]]) -> str:
    for d in decoys.get(f["file"], ()):
        if f.get("row") is not None and d.get("row") == f["row"] and d.get("column") == str(f["column"]):
            return d["case"]
        if (f.get("line") is not None and d.get("line") == f["line"]
                and d["start"] < f["end"] and f["start"] < d["end"]):
            return d["case"]
    return "unlabelled"


def part_scores(ev: Evaluation) -> dict[str, Score]:
    return ev.by_category()


def macro(scores: dict[str, Score], cats: list[str]) -> float:
    return sum((scores[c].f1 or 0.0) if c in scores else 0.0 for c in cats) / max(1, len(cats))


def run(regenerate: bool) -> dict:
    if regenerate or not (CORPUS / "truth" / "manifest.json").exists():
        generate.generate(CORPUS)
    truth = CORPUS / "truth"
    cells = read_jsonl(truth / "cells.jsonl")
    # a finding of an accepted alternative item on a labelled cell counts as the labelled item
    also = {(c["file"], c["row"], c["column"], a): c["category"] for c in cells for a in c.get("also", ())}
    spans = read_jsonl(truth / "spans.jsonl")
    decoys: dict[str, list[dict]] = {}
    for d in read_jsonl(truth / "decoys.jsonl"):
        decoys.setdefault(d["file"], []).append(d)
    people_truth = json.loads((truth / "people.json").read_text(encoding="utf-8"))
    manifest = json.loads((truth / "manifest.json").read_text(encoding="utf-8"))
    RESULTS.mkdir(parents=True, exist_ok=True)

    out: dict = {"machine": machine(), "corpus": {k: manifest[k] for k in ("seed", "cells", "spans", "decoys")},
                 "parts": {}}
    labelled = sorted({r["category"] for r in cells} | {r["category"] for r in spans})
    total: dict[str, Score] = {}
    explain: dict = {}
    for part, folder, part_cells, part_spans in (("tables", "data/tables", cells, []),
                                                  ("prose", "data/prose", [], spans)):
        report_path = RESULTS / f"heldout-{part}.json"
        findings_path = RESULTS / f"heldout-{part}-findings.jsonl"
        r = scan([CORPUS / folder], json_out=report_path, findings=findings_path, show_values=True,
                 timeout=1800)
        report = json.loads(report_path.read_text(encoding="utf-8"))
        findings = [canonical(f, also) for f in read_jsonl(findings_path)]
        other = Counter(f["category"] for f in findings if f["category"] not in labelled)
        scored = [f for f in findings if f["category"] in labelled]
        ev = evaluate(part_cells, part_spans, scored)
        scores = part_scores(ev)
        cats = sorted({r["category"] for r in part_cells} | {r["category"] for r in part_spans})
        for c, s in scores.items():
            total.setdefault(c, Score()).add(s)
        n_files = len(manifest["table_files" if part == "tables" else "prose_files"])
        truth_people = people_truth[part]["people"]
        found_people = report.get("people")
        out["parts"][part] = {
            "files": n_files,
            "records": people_truth[part].get("records"),
            "labelled": len(part_cells) + len(part_spans),
            "seconds": round(r.seconds, 2),
            "macro_f1": round(macro(scores, cats), 4),
            "categories": {c: scores[c].to_dict() if c in scores else Score().to_dict() for c in cats},
            "people": {"truth": truth_people, "found": found_people,
                       "error": None if found_people is None else round((found_people - truth_people)
                                                                        / truth_people, 4)},
            "unreadable": report.get("unreadable"), "partial": report.get("partial"),
            "report_rows": {f["file"]: f.get("rows") for f in report.get("files", [])},
            "unlabelled_categories": dict(other.most_common()),
            "unlabelled_where": {f"{k[0]} / {k[1]} → {k[2]}": v for k, v in Counter(
                (f["file"], str(f.get("column") if f.get("row") is not None else f"line {f.get('line')}"),
                 f["category"]) for f in findings if f["category"] not in labelled).most_common(20)},
        }
        explain[part] = {
            "missed_by_case": dict(Counter(f"{m['category']}/{m.get('case', '?')}" for m in ev.missed)
                                   .most_common()),
            "false_by_decoy": dict(Counter(f"{f['category']}/{decoy_case(f, decoys)}" for f in ev.false)
                                   .most_common()),
            "missed_examples": ev.missed[:60],
            "false_examples": ev.false[:60],
        }
    out["all"] = {"macro_f1": round(macro(total, labelled), 4),
                  "categories": {c: total[c].to_dict() for c in labelled if c in total}}
    out["explain"] = explain
    return out


def markdown(res: dict) -> str:
    lines = [f"# Held-out corpus ({res['machine']['date']}, rouei {res['machine']['rouei_commit']})", ""]
    for part, p in res["parts"].items():
        lines += [f"## {part}: macro F1 {p['macro_f1']:.3f}; people {p['people']['found']} found, "
                  f"{p['people']['truth']} true ({p['people']['error']:+.1%})"
                  if p["people"]["error"] is not None else f"## {part}", ""]
        rows = [[c, s["tp"], s["fp"], s["fn"], fmt(s["precision"]), fmt(s["recall"]), fmt(s["f1"])]
                for c, s in p["categories"].items()]
        lines += [markdown_table(["category", "TP", "FP", "FN", "precision", "recall", "F1"], rows), ""]
        if p["unlabelled_categories"]:
            lines += ["findings in categories the corpus does not label: "
                      + "; ".join(f"{k}: {v}" for k, v in p["unlabelled_where"].items()), ""]
        lines += [f"unreadable: {p['unreadable']}; partial: {p['partial']}", ""]
    a = res["all"]
    rows = [[c, s["tp"], s["fp"], s["fn"], fmt(s["precision"]), fmt(s["recall"]), fmt(s["f1"])]
            for c, s in a["categories"].items()]
    lines += [f"## both: macro F1 {a['macro_f1']:.3f}", "",
              markdown_table(["category", "TP", "FP", "FN", "precision", "recall", "F1"], rows), ""]
    for part, e in res["explain"].items():
        lines += [f"### misses ({part})", ""] + [f"- {k}: {v}" for k, v in e["missed_by_case"].items()]
        lines += ["", f"### false positives ({part})", ""] + [f"- {k}: {v}" for k, v in e["false_by_decoy"].items()]
        lines += [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--regenerate", action="store_true", help="rebuild the corpus first")
    ap.add_argument("--save-baseline", action="store_true",
                    help="also write bench/baselines/heldout.json (without the explain section)")
    args = ap.parse_args(argv)
    res = run(args.regenerate)
    save_json(res, RESULTS / "heldout.json")
    md = markdown(res)
    (RESULTS / "heldout.md").write_text(md, encoding="utf-8")
    if args.save_baseline:
        save_json({k: v for k, v in res.items() if k != "explain"}, BASELINES / "heldout.json")
    print(md)
    t, p = res["parts"]["tables"], res["parts"]["prose"]
    ok = (res["all"]["macro_f1"] >= TARGET_MACRO
          and all((s["f1"] or 0) >= TARGET_CATEGORY for s in res["all"]["categories"].values())
          and all(x["people"]["error"] is not None and abs(x["people"]["error"]) <= TARGET_PEOPLE for x in (t, p)))
    print(f"target (macro F1 ≥ {TARGET_MACRO}, every category ≥ {TARGET_CATEGORY}, people within "
          f"{TARGET_PEOPLE:.0%} in tables and prose): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
