"""Speed on a realistic export (issue 14): ``rouei scan`` against the plain-Python regex floor,
in one run, on the export of ``bench/export_file.py`` (1,000,000 rows, UTF-8 with BOM, mixed
widths and styles, decoy columns, a 備考 free-text column in ~70% of rows).

    uv run --group bench python bench/export_speed.py [--rows 1000000] [--save-baseline]
    uv run --group bench python bench/export_speed.py --rows 100000 --compare-rev HEAD~3
    uv run --group bench python bench/export_speed.py --compile-bytecode   # as installed
    uv run --group bench python bench/export_speed.py --rows 200000 --compare-rev 183dd2d \
        --pairs 2 --compile-bytecode --skip-findings    # floor, report, then 2 pairs

Steps, in one run on one machine, each with the 1-minute load average before it:

  1. regex floor: throughput.FLOOR_PATTERN (one combined Python ``re`` pattern: phone, postal
     code, e-mail, card, My Number, date; no validation) over every line of the file, one
     process (wall and CPU seconds);
  2. ``rouei scan FILE --json R`` (the report) and ``rouei scan FILE --json R --findings F``
     (report and findings), all cores: wall seconds, CPU seconds of the process tree (user +
     system; above the wall time when both cores work), MB/s and the ratio to the floor;
  3. with ``--compare-rev REV``: the scanner as it was at REV (``git archive`` of REV into a
     temporary folder, its compiled kernels built there from its own C sources, run with
     PYTHONPATH) on the same file, report and findings: items
     per category, people, and whether the findings files are byte for byte the same;
  4. with ``--pairs N`` too: N before/after pairs back to back (REV's report, this one's, then
     the same with findings), each with the load before it, wall and CPU seconds, and the
     sha256 of the findings file and of the report without its timings (both must be the
     same in every pair).

With ``--compile-bytecode`` the modules are compiled first (``compileall`` of rouei/, of the
old tree and of site-packages, as ``pip install`` or ``uv sync --compile-bytecode`` leave
them): a machine that runs Python with PYTHONDONTWRITEBYTECODE=1 and a virtualenv without
``.pyc`` otherwise compiles every module each scan imports, in each of its processes (~1.3 CPU
s a process here); an installed rouei does not. The result says which (``bytecode``).

Writes OUT/export_speed.json (OUT: /tmp/rouei-bench/results); ``--save-baseline`` also writes
bench/baselines/export_speed.json.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_file
from common import BASELINES, REPO, WORK, machine, rouei_command, run_timed, save_json
from throughput import regex_floor

MB = 1e6


def load() -> float:
    return round(os.getloadavg()[0], 2)


def floor(path: Path, deadline: float) -> dict:
    before = load()
    result = regex_floor(path, "utf-8-sig", deadline)
    return result | {"load_before": before, "load_after": load()}


def scan(path: Path, out: Path, findings: bool, timeout: float,
         env: dict[str, str] | None = None, tag: str = "", cwd: Path | None = None) -> dict:
    report = out / f"export_scan{tag}.json"
    cmd = [*rouei_command(), "scan", str(path), "--json", str(report)]
    if env is not None:  # another rouei on PYTHONPATH: run it as a module
        cmd = [sys.executable, "-m", "rouei.cli.main", "scan", str(path), "--json", str(report)]
    if findings:
        cmd += ["--findings", str(out / f"export_findings{tag}.jsonl")]
    before = load()
    saved = dict(os.environ)
    if env is not None:
        os.environ.update(env)
    try:
        run = run_timed(cmd, timeout, cwd=cwd)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if run.returncode != 0 or run.timed_out:
        raise RuntimeError(f"{' '.join(cmd)} failed (rc={run.returncode}):\n{run.stderr_tail}")
    data = json.loads(report.read_text(encoding="utf-8"))
    size = path.stat().st_size
    return {"seconds": round(run.seconds, 2), "cpu_seconds": round(run.cpu_seconds, 2),
            "mb_s": round(size / MB / run.seconds, 1),
            "mb_per_cpu_s": round(size / MB / run.cpu_seconds, 1),
            "peak_rss_mb": round(run.peak_rss_mb), "load_before": before,
            "load_after": load(), "totals": data["totals"], "people": data["people"],
            "free_text_columns": [c["column"] for f in data["files"]
                                  for c in f.get("columns", []) if c.get("category") is None
                                  and c.get("count")]}


def old_tree(rev: str) -> Path:
    """The checkout as it was at ``rev``, its compiled extensions built from its own C sources
    (this checkout's would not do: a kernel whose interface changed since ``rev`` breaks the
    old Python that calls it; with none the old tree would fall back to Python and look
    seconds slower than it is)."""
    folder = Path(tempfile.mkdtemp(prefix="rouei-old-"))
    archive = subprocess.run(["git", "archive", rev], cwd=REPO, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=folder,
                   check=True, capture_output=True)
    return folder


def compile_bytecode(*folders: Path) -> None:
    """``.pyc`` for every module under ``folders`` (written even under
    PYTHONDONTWRITEBYTECODE, which only stops the interpreter writing them on import)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0",
                    *(str(f) for f in folders)], check=False, capture_output=True)


def compare(path: Path, out: Path, rev: str, timeout: float, bytecode: bool = False) -> dict:
    """The scanner at ``rev`` and this one on the same file: the same findings?"""
    folder = old_tree(rev)
    if bytecode:
        compile_bytecode(folder / "rouei")
    # run from the folder: ``python -m`` puts the working directory first on sys.path
    old = scan(path, out, True, timeout, env={"PYTHONPATH": str(folder)}, tag="_old",
               cwd=folder)
    new = scan(path, out, True, timeout, tag="_new")
    same_file = filecmp.cmp(out / "export_findings_old.jsonl",
                            out / "export_findings_new.jsonl", shallow=False)
    return {"rev": rev, "rows": None, "old": old, "new": new,
            "same_totals": old["totals"] == new["totals"],
            "same_people": old["people"] == new["people"],
            "same_findings_file": same_file}


def _digest(path: Path, drop_timings: bool = False) -> str:
    if not drop_timings:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "seconds"}
        return [strip(v) for v in value] if isinstance(value, list) else value
    report = strip(json.loads(path.read_text(encoding="utf-8")))
    return hashlib.sha256(json.dumps(report, sort_keys=True).encode()).hexdigest()


def pairs(path: Path, out: Path, rev: str, count: int, timeout: float,
          bytecode: bool = False) -> dict:
    """``count`` before/after pairs on the same file, back to back: the report, then report
    and findings; the same report (timings aside) and findings file in each pair?"""
    folder = old_tree(rev)
    if bytecode:
        compile_bytecode(folder / "rouei")
    runs = []
    for number in range(count):
        for findings in (False, True):
            for tree in ("before", "after"):
                old = tree == "before"
                run = scan(path, out, findings, timeout, tag=f"_{tree}",
                           env={"PYTHONPATH": str(folder)} if old else None,
                           cwd=folder if old else None)
                row = {"pair": number, "findings": findings, "tree": tree,
                       "seconds": run["seconds"], "cpu_seconds": run["cpu_seconds"],
                       "load_before": run["load_before"], "peak_rss_mb": run["peak_rss_mb"],
                       "report_sha256": _digest(out / f"export_scan_{tree}.json", True)}
                if findings:
                    row["findings_sha256"] = _digest(out / f"export_findings_{tree}.jsonl")
                print(row, flush=True)
                runs.append(row)
    same = all(a["report_sha256"] == b["report_sha256"]
               and a.get("findings_sha256") == b.get("findings_sha256")
               for a, b in zip(runs[::2], runs[1::2], strict=True))
    return {"rev": rev, "runs": runs, "same_in_every_pair": same}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=WORK / "results")
    parser.add_argument("--regex-seconds", type=float, default=1800,
                        help="stop the floor after this long (it then reports MB/s so far)")
    parser.add_argument("--scan-timeout", type=float, default=1800)
    parser.add_argument("--compare-rev", default=None,
                        help="also scan with rouei/ at this git revision and compare findings")
    parser.add_argument("--pairs", type=int, default=0,
                        help="with --compare-rev: this many before/after pairs back to back")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--skip-findings", action="store_true")
    parser.add_argument("--save-baseline", action="store_true")
    parser.add_argument("--compile-bytecode", action="store_true",
                        help="compile rouei/ and site-packages to .pyc first (as installed)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = export_file.ensure(args.rows, seed=args.seed)
    size = path.stat().st_size
    if args.compile_bytecode:
        compile_bytecode(REPO / "rouei", Path(sysconfig.get_paths()["purelib"]))
    result: dict = {"machine": machine(), "file": {"path": str(path), "rows": args.rows,
                                                   "seed": args.seed, "bytes": size},
                    "bytecode": "compiled first" if args.compile_bytecode else "as found"}
    started = time.strftime("%H:%M", time.gmtime())
    if not args.skip_floor:
        print("regex floor …", flush=True)
        result["regex_floor"] = floor(path, args.regex_seconds)
    print("rouei scan (report) …", flush=True)
    result["report"] = scan(path, args.out, False, args.scan_timeout)
    if not args.skip_findings:
        print("rouei scan (report + findings) …", flush=True)
        result["findings"] = scan(path, args.out, True, args.scan_timeout)
    if "regex_floor" in result:
        for key in ("report", "findings")[:1 if args.skip_findings else 2]:
            result[key]["ratio_to_floor"] = round(result[key]["mb_s"]
                                                  / result["regex_floor"]["mb_s"], 2)
            result[key]["cpu_ratio_to_floor"] = round(
                result[key]["mb_per_cpu_s"] / result["regex_floor"]["mb_per_cpu_s"], 2)
    if args.compare_rev:
        print(f"compare with {args.compare_rev} …", flush=True)
        result["compare"] = compare(path, args.out, args.compare_rev, args.scan_timeout,
                                    args.compile_bytecode)
        result["compare"]["rows"] = args.rows
    if args.compare_rev and args.pairs:
        print(f"{args.pairs} pairs with {args.compare_rev} …", flush=True)
        result["pairs"] = pairs(path, args.out, args.compare_rev, args.pairs, args.scan_timeout,
                                args.compile_bytecode)
    result["minutes_utc"] = f"{started}–{time.strftime('%H:%M', time.gmtime())}"
    save_json(result, args.out / "export_speed.json")
    if args.save_baseline:
        save_json(result, BASELINES / "export_speed.json")
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, ensure_ascii=False,
                     indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
