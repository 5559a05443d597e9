"""The whole-cell findings writer alone (issue 14): the compiled writer (_cellwriter.c) against
the polars path it replaced, on the very calls a scan of the realistic export makes.

    uv run --group bench python bench/cellwriter_speed.py [--rows 200000] [--repeat 3]

Scans the export of ``bench/export_file.py`` once in this process with ``--findings`` and
records every ``_FindingsSink.write_cells`` call (category, rows, cells); then replays them all
through each path, ``--repeat`` times in turn, timing CPU seconds of this process (polars'
threads included) and wall seconds, and checks that both give the same bytes. Prints JSON.

With ``--matches`` it records the free-text findings instead (``write_matches``: the 備考
column's matches) and replays them through the Python template path and the compiled one
(``_cellwriter.write_matches``).
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


def record_matches(path: Path) -> list[tuple]:
    calls: list[tuple] = []
    original = engine._FindingsSink.write_matches

    def recording(self, place, column, rows, cells, found):
        calls.append((place, column, rows, cells, found))
        return original(self, place, column, rows, cells, found)

    engine._FindingsSink.write_matches = recording
    try:
        with tempfile.TemporaryDirectory(prefix="cellwriter-") as temp:
            options = engine.ScanOptions(workers=1, findings=True, temp_dir=temp)
            engine.scan_file(path, path.name, options)
    finally:
        engine._FindingsSink.write_matches = original
    return calls


def replay_matches(calls: list[tuple], kernel: bool) -> tuple[float, float, bytes]:
    sink = engine._FindingsSink(io.BytesIO(), False)
    compiled = engine._FindingsSink._kernel_matches
    if not kernel:  # the Python template path (the masks still the kernel's, as before)
        engine._FindingsSink._kernel_matches = lambda *args: None
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        for call in calls:
            sink.write_matches(*call)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        engine._FindingsSink._kernel_matches = compiled
    return cpu, wall, sink.handle.getvalue()


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
    parser.add_argument("--matches", action="store_true",
                        help="the free-text findings (write_matches) instead of whole cells")
    args = parser.parse_args(argv)
    if engine._cellwriter is None:
        print("the compiled writer is not built (uv sync --reinstall-package rouei)")
        return 1
    path = export_file.ensure(args.rows, seed=args.seed)
    if args.matches:
        calls = record_matches(path)
        result: dict = {"file": str(path), "rows": args.rows, "calls": len(calls),
                        "records": sum(len(c[2]) for c in calls),
                        "distinct_cells": sum(len(c[4].cells) for c in calls)}
        play, names = replay_matches, ("python", "kernel")
    else:
        calls = record_calls(path)
        result = {"file": str(path), "rows": args.rows, "calls": len(calls),
                  "cells": dict(Counter(c[1] for c in calls for _ in range(len(c[4]))))}
        play, names = replay, ("polars", "kernel")
    runs: dict[str, list[dict]] = {name: [] for name in names}
    outputs = {}
    for _ in range(args.repeat):
        for name in names:
            load = round(os.getloadavg()[0], 2)
            cpu, wall, outputs[name] = play(calls, kernel=name == "kernel")
            runs[name].append({"cpu_seconds": round(cpu, 3), "seconds": round(wall, 3),
                               "load_before": load})
    result["runs"] = runs
    result["bytes"] = len(outputs["kernel"])
    result["same_bytes"] = outputs["kernel"] == outputs[names[0]]
    best = {name: min(r["cpu_seconds"] for r in rs) for name, rs in runs.items()}
    result["best_cpu_seconds"] = best
    result["cpu_ratio"] = round(best[names[0]] / best["kernel"], 1)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["same_bytes"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
