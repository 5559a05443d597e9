"""Instructions executed by ``rouei scan`` on the same slice of a file for several source trees,
counted by ``valgrind --tool=callgrind``: a comparison that does not move with the machine's
load (CPU seconds do, by ±10 % on a shared machine).

    git archive c82610d | tar -x -C /tmp/c82610d
    (cd /tmp/c82610d && PYTHONPATH=. python setup.py build_ext --inplace)
    uv run --group bench python bench/throughput_callgrind.py FILE /tmp/c82610d . \\
        --rows 100000 200000 --repeat 2 [--plain 3] [--keep DIR] [--scan-args "--workers 1"]

For each ``--rows`` N the file's header and first N records (a record may span lines inside
quotes) are written to a slice once; every tree scans that same slice with this interpreter
and its packages, ``PYTHONPATH`` = the tree, its modules byte-compiled first (as an install has
them). Valgrind follows child processes (``--trace-children=yes``: the free-text workers are
spawned interpreters), writes one profile per process, and the Ir (instructions executed) of
every process and thread are summed. Per run: the total Ir, the processes, and the sha256 of the
report without its timings (the same hash = the same findings counts and people). Per slice:
each tree's totals, the spread between its repeats, its ratio to the first tree, and the
functions whose own Ir (summed over processes, the mean of the repeats) differ most from the
first tree's, named by their object file (the tree's path taken off) and symbol.

What Ir leaves out: the kernel's work (system time: page faults, reads; ``--plain N`` runs each
tree N times without valgrind, alternated, and prints user and system CPU seconds with the load),
the cost of an instruction (cache misses, branch misses, memory bandwidth: an instruction is an
instruction), and threads' waiting (valgrind runs one thread at a time). Python code shows as
the interpreter's own functions (``_PyEval_EvalFrameDefault`` …), not by Python function.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput_pairs import compiled_trees

# A profile's lines that name a file, a function or an object: compressed ("fn=(12) name"
# defines 12, "fn=(12)" uses it); cfi/cfl/fi/fe share the file names, cfn the functions', cob
# the objects'.
_NAME = re.compile(r"^(ob|fl|fi|fe|fn|cob|cfi|cfl|cfn)=(?:\((\d+)\))?\s*(.*)$")
_TABLE = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl",
          "fn": "fn", "cfn": "fn"}


# callgrind names a function's recursive calls name'2, name'3 …: one function.
_RECURSION = re.compile(r"'\d+$")


@dataclass
class Profile:
    """One process's profile: its command, its total Ir and each function's own Ir."""

    command: str = ""
    total: int = 0
    own: Counter = field(default_factory=Counter)


def parse_profile(text: str) -> Profile:
    """A callgrind output file's total Ir and the own (self) Ir of each function, keyed
    ``object:function`` with the object's folder taken off (the same extension built in two
    trees has one name) and a recursion level's ``'2`` taken off the function. The cost line after a ``calls=`` line is the call's inclusive cost,
    already counted as the callee's own: it is skipped."""
    profile = Profile()
    names: dict[str, dict[str, str]] = {"ob": {}, "fl": {}, "fn": {}}
    positions, ir_at, current_ob, current_fn = 1, None, "???", "???"
    skip_next = False
    totals = summary = None
    for line in text.splitlines():
        if not line:
            continue
        head = line[0]
        if head.isdigit() or head in "+-*":
            if skip_next:
                skip_next = False
                continue
            if ir_at is None:
                raise ValueError("a cost line before the events: line")
            parts = line.split()
            index = positions + ir_at
            if index < len(parts):
                profile.own[f"{current_ob}:{current_fn}"] += int(parts[index], 0)
            continue
        match = _NAME.match(line)
        if match:
            kind, number, name = match.groups()
            table = names[_TABLE[kind]]
            if number is not None:
                if name:
                    table[number] = name
                name = table.get(number, name)
            if kind == "ob":
                current_ob = os.path.basename(name) or "???"
            elif kind == "fn":
                current_fn = _RECURSION.sub("", name)
            continue
        if line.startswith("calls="):
            skip_next = True
        elif line.startswith("positions:"):
            positions = len(line.split(":", 1)[1].split())
        elif line.startswith("events:"):
            events = line.split(":", 1)[1].split()
            ir_at = events.index("Ir") if "Ir" in events else 0
        elif line.startswith("totals:"):
            totals = int(line.split(":", 1)[1].split()[ir_at or 0])
        elif line.startswith("summary:"):
            summary = int(line.split(":", 1)[1].split()[ir_at or 0])
        elif line.startswith("cmd:"):
            profile.command = line.split(":", 1)[1].strip()
    profile.total = totals if totals is not None else summary or sum(profile.own.values())
    return profile


def head_records(source: Path, target: Path, rows: int) -> int:
    """Writes ``source``'s first line (the header) and its next ``rows`` records to ``target``;
    a record ends at a line end outside double quotes (UTF-8 and CP932 never have the bytes of
    " or a line feed inside a character). Returns the records written (fewer if the file is
    shorter)."""
    written = 0
    with source.open("rb") as src, target.open("wb") as out:
        out.write(src.readline())
        quotes = 0
        for line in src:
            if written >= rows:
                break
            out.write(line)
            quotes += line.count(b'"')
            if quotes % 2 == 0:
                written += 1
                quotes = 0
    return written


def report_hash(path: Path) -> str:
    result = json.loads(path.read_text(encoding="utf-8"))
    for key in ("seconds", "timings", "elapsed"):
        result.pop(key, None)
    return hashlib.sha256(json.dumps(result, sort_keys=True, default=str).encode()).hexdigest()[:12]


def scan_command(file: Path, report: Path, scan_args: list[str]) -> list[str]:
    return [sys.executable, "-m", "rouei.cli.main", "scan", str(file), "--json", str(report),
            *scan_args]


def callgrind_run(tree: Path, file: Path, folder: Path, scan_args: list[str]) -> dict:
    """One ``rouei scan`` of ``file`` by ``tree`` under callgrind, its profiles in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.json"
    cmd = ["valgrind", "--tool=callgrind", "--trace-children=yes",
           f"--callgrind-out-file={folder}/callgrind.out.%p", "--log-file=" + str(folder / "log.%p"),
           *scan_command(file, report, scan_args)]
    env = dict(os.environ, PYTHONPATH=str(tree))
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=folder, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise RuntimeError(f"{tree}: the scan under valgrind failed: {proc.stderr[-2000:]}")
    profiles = [parse_profile(p.read_text(encoding="utf-8", errors="replace"))
                for p in sorted(folder.glob("callgrind.out.*"))]
    return {"total": sum(p.total for p in profiles), "processes": len(profiles),
            "own": sum((p.own for p in profiles), Counter()), "report": report_hash(report),
            "valgrind_cpu": round(after.ru_utime - before.ru_utime
                                  + after.ru_stime - before.ru_stime, 1),
            "wall": round(wall, 1)}


def plain_run(tree: Path, file: Path, folder: Path, scan_args: list[str]) -> dict:
    """One ``rouei scan`` without valgrind: user and system CPU seconds of its process tree."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "plain.json"
    env = dict(os.environ, PYTHONPATH=str(tree))
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(scan_command(file, report, scan_args), env=env, cwd=folder,
                   capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"user": round(after.ru_utime - before.ru_utime, 2),
            "sys": round(after.ru_stime - before.ru_stime, 2), "load": round(load, 1),
            "report": report_hash(report)}


def differences(runs: dict[str, list[dict]], names: list[str], top: int) -> list[str]:
    """The functions whose own Ir (mean of the repeats) differ most from the first tree's."""
    def mean_own(name: str) -> Counter:
        total: Counter = Counter()
        for run in runs[name]:
            total.update(run["own"])
        return Counter({k: v / len(runs[name]) for k, v in total.items()})
    base = mean_own(names[0])
    lines = []
    for name in names[1:]:
        other = mean_own(name)
        diff = {k: other.get(k, 0) - base.get(k, 0) for k in set(base) | set(other)}
        lines.append(f"  {name} − {names[0]}, own Ir by function (top {top} by size of difference):")
        for key, value in sorted(diff.items(), key=lambda kv: -abs(kv[1]))[:top]:
            lines.append(f"    {value:+16,.0f}  {base.get(key, 0):16,.0f} → {other.get(key, 0):16,.0f}"
                         f"  {key}")
    return lines


def summary(rows: int, runs: dict[str, list[dict]], names: list[str], top: int) -> list[str]:
    """The totals of each tree on one slice, the spread of its repeats and its ratio to the
    first tree's; then the functions that differ most."""
    first = statistics.mean(run["total"] for run in runs[names[0]])
    lines = [f"slice of {rows:,} rows:"]
    for name in names:
        totals = [run["total"] for run in runs[name]]
        mean = statistics.mean(totals)
        spread = (max(totals) - min(totals)) / mean * 100 if mean else 0.0
        lines.append(f"  {name}: Ir {', '.join(f'{t:,}' for t in totals)}; spread {spread:.3f} %; "
                     f"ratio to {names[0]} {mean / first:.4f}; processes "
                     f"{sorted({run['processes'] for run in runs[name]})}; report "
                     f"{sorted({run['report'] for run in runs[name]})}")
    return lines + differences(runs, names, top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("trees", type=Path, nargs="+", help="the first is the one compared with")
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=2, help="callgrind runs of each tree")
    parser.add_argument("--plain", type=int, default=0,
                        help="runs without valgrind of each tree, alternated: user/sys CPU s")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="keep the slices and profiles in this folder")
    parser.add_argument("--scan-args", default="", type=shlex.split,
                        help='options for rouei scan, one string: --scan-args "--workers 1"')
    args = parser.parse_args(argv)
    if len(args.trees) < 2:
        parser.error("give at least two trees")
    trees, names = compiled_trees(args.trees)
    with tempfile.TemporaryDirectory(prefix="rouei-callgrind-") as temporary:
        work = args.keep.resolve() if args.keep else Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        report: list[str] = []
        for rows in args.rows:
            piece = work / f"{args.file.stem}_{rows}{args.file.suffix}"
            got = head_records(args.file.resolve(), piece, rows)
            runs: dict[str, list[dict]] = {name: [] for name in names}
            for repeat in range(args.repeat):
                for tree, name in zip(trees, names, strict=True):
                    run = callgrind_run(tree, piece, work / f"{rows}-{name}-{repeat}",
                                        args.scan_args)
                    runs[name].append(run)
                    print(json.dumps({"rows": got, "tree": name, "repeat": repeat,
                                      **{k: v for k, v in run.items() if k != "own"}}),
                          flush=True)
            plain: dict[str, list[dict]] = {name: [] for name in names}
            for _ in range(args.plain):
                for tree, name in zip(trees, names, strict=True):
                    row = plain_run(tree, piece, work / f"{rows}-plain", args.scan_args)
                    plain[name].append(row)
                    print(json.dumps({"rows": got, "tree": name, "plain": True, **row}),
                          flush=True)
            report += summary(got, runs, names, args.top)
            for name in names if args.plain else []:
                report.append(f"  {name} without valgrind: user "
                              f"{[r['user'] for r in plain[name]]} s, sys "
                              f"{[r['sys'] for r in plain[name]]} s, loads "
                              f"{[r['load'] for r in plain[name]]}")
        print("\n".join(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
