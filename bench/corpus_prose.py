"""What the prose development sets (bench/corpus_prose2.py, corpus_prose3.py, corpus_prose4.py)
share: writing their files with the truth beside them, scoring a scan of them, their command line.

Each set keeps its own tables and documents; this module only writes and scores them, so a set's
files stay what its generator makes of a seed.

    OUT/data/                    the set's files
    OUT/truth/spans.jsonl        {"file", "line", "start", "end", "category", "case"}
    OUT/truth/cells.jsonl        {"file", "row", "column", "category", "case"}  (sets with tables)
    OUT/truth/prose_people.json  {"people": the data subjects, …}
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORK, Evaluation, evaluate, read_jsonl, scan
from corpus import Line, Truth, write_lines


def default_out(name: str) -> Path:
    """Where a set goes unless told: under ``$ROUEI_BENCH_DIR`` (never into the repository)."""
    return WORK / name


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


class SetWriter:
    """A set's folder, emptied first: its files under data/ and their labels in ``truth``."""

    def __init__(self, out: Path) -> None:
        if out.exists():
            shutil.rmtree(out)
        self.data, self.truth_dir = out / "data", out / "truth"
        self.data.mkdir(parents=True)
        self.truth_dir.mkdir()
        self.truth = Truth()

    def _path(self, rel: str) -> Path:
        path = self.data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def text(self, rel: str, lines: list[Line]) -> None:
        """A UTF-8 text file of ``lines``, each ending in a newline."""
        texts = write_lines(lines, rel, self.truth)
        self._path(rel).write_text("\n".join(texts) + "\n", encoding="utf-8")

    def mail(self, rel: str, raw: bytes, lines: list[Line]) -> None:
        """A mail as ``corpus._eml`` made it: its bytes, and its lines as the scanner shows them."""
        write_lines(lines, rel, self.truth)
        self._path(rel).write_bytes(raw)

    def table(self, rel: str, text: str) -> None:
        """A UTF-8 table whose cells the set labelled in ``truth`` itself."""
        self._path(rel).write_text(text, encoding="utf-8")

    def finish(self, people: dict) -> None:
        """The truth files: the spans, the cells where the set has tables, the people."""
        _write_jsonl(self.truth_dir / "spans.jsonl", self.truth.spans)
        if self.truth.cells:
            _write_jsonl(self.truth_dir / "cells.jsonl", self.truth.cells)
        (self.truth_dir / "prose_people.json").write_text(
            json.dumps(people, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass
class Scored:
    """A scan of a set's data/ against its truth."""

    evaluation: Evaluation
    labelled: list[dict]  # the spans, then the cells
    report: dict
    truth: dict

    @property
    def detail(self) -> dict:
        return self.report.get("people_detail", {})

    def people(self, **parts: dict) -> dict:
        """The people found against the truth, ``parts`` (e.g. prose and tables) before the staff
        the scanner left out."""
        found, truth = self.report["people"], self.truth["people"]
        return {"found": found, "truth": truth, "error": round((found - truth) / truth, 4), **parts,
                "staff_excluded": self.detail.get("prose", {}).get("staff_excluded")}

    def missed(self) -> list[tuple]:
        """(file, line or row, category, case) of every labelled value not found."""
        return [(m["file"], m.get("line", m.get("row")), m["category"], m["case"])
                for m in self.evaluation.missed]

    def false(self) -> list[tuple]:
        """(file, line or row, category, value) of every finding no label covers."""
        return [(f["file"], f.get("line", f.get("row")), f["category"], f.get("value"))
                for f in self.evaluation.false]

    def recall_by_case(self) -> dict[str, str]:
        """``found/labelled`` for each category and case, as ``"category/case"``."""
        missed = Counter((m["category"], m["case"]) for m in self.evaluation.missed)
        labelled = Counter((s["category"], s["case"]) for s in self.labelled)
        return {f"{c}/{k}": f"{labelled[(c, k)] - missed[(c, k)]}/{labelled[(c, k)]}"
                for c, k in sorted(labelled)}


def scan_set(out: Path) -> Scored:
    """Scans OUT/data (findings and report into OUT) and evaluates it against OUT/truth."""
    findings_path, report_path = out / "findings.jsonl", out / "report.json"
    scan([out / "data"], json_out=report_path, findings=findings_path, show_values=True)
    spans = read_jsonl(out / "truth" / "spans.jsonl")
    cells_path = out / "truth" / "cells.jsonl"
    cells = read_jsonl(cells_path) if cells_path.exists() else []
    return Scored(evaluation=evaluate(cells, spans, read_jsonl(findings_path)),
                  labelled=[*spans, *cells],
                  report=json.loads(report_path.read_text(encoding="utf-8")),
                  truth=json.loads((out / "truth" / "prose_people.json")
                                   .read_text(encoding="utf-8")))


def score(out: Path, tables: bool = False) -> dict:
    """A prose set's scores: per category, recall per case, false findings by category, the
    people found against the truth (with ``tables``: the tables' people apart too), and the
    missed and false values."""
    scored = scan_set(out)
    ev, detail, truth = scored.evaluation, scored.detail, scored.truth
    people = {"prose": {"found": detail.get("prose", {}).get("people"), "truth": truth["prose"]}}
    if tables:
        people["tables"] = {"found": detail.get("tables", {}).get("people"),
                            "truth": truth["tables"]}
    return {"scores": {cat: s.to_dict() for cat, s in ev.by_category().items()},
            "recall_by_case": scored.recall_by_case(),
            "false_findings": dict(Counter(f["category"] for f in ev.false)),
            "people": scored.people(**people),
            "missed": scored.missed(), "false": scored.false()}


def main(argv: list[str] | None, *, doc: str, out: Path, seed: int,
         generate: Callable[[Path, int], dict], score: Callable[[Path], dict]) -> int:
    """A set's command line: ``[OUT] [--seed N] [--score [--show]]``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=out)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--score", action="store_true", help="scan it and print the scores")
    parser.add_argument("--show", action="store_true", help="with --score: the misses")
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.out, args.seed), ensure_ascii=False))
    if args.score:
        result = score(args.out)
        if not args.show:
            result.pop("missed")
            result.pop("false")
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0
