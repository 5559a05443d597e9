"""CPU seconds of ``rouei scan`` on one file for several source trees, back to back: each tree
runs once as a warm-up, then the trees one after the other in each round, so that every tree
sees the same load. For a busy machine, where wall times are the scheduler's.

    git archive c82610d | tar -x -C /tmp/c82610d
    (cd /tmp/c82610d && python setup.py build_ext --inplace)
    uv run --group bench python bench/throughput_pairs.py FILE --rounds 5 /tmp/c82610d /tmp/base .
    ... --findings           # with --findings too, and the findings file's sha256

Each tree runs with this interpreter and its packages and ``PYTHONPATH`` = the tree, modules
byte-compiled first (as an install has them; ``PYTHONDONTWRITEBYTECODE`` would otherwise make
every run compile them). Per run: CPU = user + sys of the scan's process tree
(``getrusage(RUSAGE_CHILDREN)``), the 1-minute load before it, and the sha256 of the report
without its timings (the same hash = the same findings counts and people). A run that fails
(a crash in a third-party import under load has been seen) is run again and noted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def run(tree: Path, file: Path, out: Path, tag: str, findings: bool = False) -> dict:
    report = out / f"{tag}.json"
    cmd = [sys.executable, "-m", "rouei.cli.main", "scan", str(file), "--json", str(report)]
    if findings:
        cmd += ["--findings", str(out / f"{tag}.findings.jsonl")]
    env = dict(os.environ, PYTHONPATH=str(tree))
    load = os.getloadavg()[0]
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=out, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        print("failed, run again:", tag, proc.stderr.strip().splitlines()[-1:], file=sys.stderr)
        return run(tree, file, out, tag, findings)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    result = json.loads(report.read_text(encoding="utf-8"))
    for key in ("seconds", "timings", "elapsed"):
        result.pop(key, None)
    row = {"tree": tag, "cpu": round(user + system, 2), "user": round(user, 2),
           "sys": round(system, 2), "wall": round(wall, 2), "load": round(load, 1),
           "report": hashlib.sha256(json.dumps(result, sort_keys=True, default=str).encode())
           .hexdigest()[:12]}
    if findings:
        path = out / f"{tag}.findings.jsonl"
        row["findings"], row["findings_bytes"] = _sha(path), path.stat().st_size
        path.unlink()
    return row


def compiled_trees(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The trees resolved, each named by its place and folder ("0-main"), their ``rouei/``
    byte-compiled first so that no run pays for compiling (as an installed package)."""
    trees = [tree.resolve() for tree in paths]
    names = [f"{i}-{tree.name}" for i, tree in enumerate(trees)]
    compile_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for tree in trees:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "rouei")],
                       env=compile_env, capture_output=True, check=True)
    return trees, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("trees", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--findings", action="store_true")
    args = parser.parse_args(argv)
    trees, names = compiled_trees(args.trees)
    with tempfile.TemporaryDirectory(prefix="rouei-pairs-") as folder:
        out = Path(folder)
        for tree, name in zip(trees, names, strict=True):
            print(json.dumps(run(tree, args.file.resolve(), out, name + "-warm-up")), flush=True)
        rows: dict[str, list[dict]] = {name: [] for name in names}
        for _ in range(args.rounds):
            for tree, name in zip(trees, names, strict=True):
                row = run(tree, args.file.resolve(), out, name, args.findings)
                rows[name].append(row)
                print(json.dumps(row), flush=True)
    for name in names:
        cpu = [row["cpu"] for row in rows[name]]
        print(f"{name}: median CPU {statistics.median(cpu)} s; runs {cpu}; "
              f"loads {[row['load'] for row in rows[name]]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
