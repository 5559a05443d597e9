"""The whole-cell findings writer alone (issue 14): the compiled writer (_cellwriter.c) against
the polars path it replaced, on the very calls a scan of the realistic export makes.

    uv run --group bench python bench/cellwriter_speed.py [--rows 200000] [--repeat 3]

Scans the export of ``bench/export_file.py`` once in this process with ``--findings`` and
records every ``_FindingsSink.write_cells`` call (category, rows, cells); then replays them all
through each path, ``--repeat`` times in turn, timing CPU seconds of this process (polars'
threads included) and wall seconds, and checks that both give the same bytes. Prints JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_file

from rouei.scanning import engine


def record_calls(path: Path) -> list[tuple]:
    calls: list[tuple] = []
    original = engine._FindingsSink.write_cells

    def recording(self, place, category, column, rows, values):
        calls.append((place, category, column, rows, values))
        return original(self, place, category, column, rows, values)

    engine._FindingsSink.write_cells = recording
    try:
        with tempfile.TemporaryDirectory(prefix="cellwriter-") as temp:
            options = engine.ScanOptions(workers=1, findings=True, temp_dir=temp)
            engine.scan_file(path, path.name, options)
    finally:
        engine._FindingsSink.write_cells = original
    return calls


def replay(calls: list[tuple], kernel: bool) -> tuple[float, float, bytes]:
    sink = engine._FindingsSink(io.BytesIO(), False)
    saved = engine._cellwriter
    engine._cellwriter = saved if kernel else None
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        for place, category, column, rows, values in calls:
            sink.write_cells(place, category, column, rows, values)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        engine._cellwriter = saved
    return cpu, wall, sink.handle.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if engine._cellwriter is None:
        print("the compiled writer is not built (uv sync --reinstall-package rouei)")
        return 1
    path = export_file.ensure(args.rows, seed=args.seed)
    calls = record_calls(path)
    result: dict = {"file": str(path), "rows": args.rows, "calls": len(calls),
                    "cells": dict(Counter(c[1] for c in calls for _ in range(len(c[4]))))}
    runs: dict[str, list[dict]] = {"polars": [], "kernel": []}
    outputs = {}
    for _ in range(args.repeat):
        for name in ("polars", "kernel"):
            load = round(os.getloadavg()[0], 2)
            cpu, wall, outputs[name] = replay(calls, kernel=name == "kernel")
            runs[name].append({"cpu_seconds": round(cpu, 3), "seconds": round(wall, 3),
                               "load_before": load})
    result["runs"] = runs
    result["bytes"] = len(outputs["kernel"])
    result["same_bytes"] = outputs["kernel"] == outputs["polars"]
    best = {name: min(r["cpu_seconds"] for r in rs) for name, rs in runs.items()}
    result["best_cpu_seconds"] = best
    result["cpu_ratio"] = round(best["polars"] / best["kernel"], 1)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["same_bytes"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
