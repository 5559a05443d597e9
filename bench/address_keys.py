"""The scanner's people address key on the benches' own addresses: the registry's rules
(``identity.conservative_address``) compiled (``kernels.registry_address_keys``) against the
rules in Python, cell by cell, and what each costs.

    uv run --group bench python bench/address_keys.py [--save-baseline]

The addresses are those the benches write, as the engine hands them over (``normalise_cells``):
bench/bigfile.py's 1,000,000 住所 cells (1丁目2番3号 + a building, a prefecture always),
bench/export_file.py's realistic export (full-width digits, 1-2-3 / 丁目番号 / 番地, a building
and 号室 with a space of either width or none; 100,000 rows), and bench/linkage.py's files
(customers, members' sheets in CP932 with full-width digits and 丁目 written out, a courier's
deliveries: 一丁目2番地3, no prefecture, the building or only its room). The files are built
first where missing (under /tmp/rouei-bench, ROUEI_BENCH_DIR).

Reported: the distinct addresses where the kernel and the rules disagree (must be 0), and the
CPU seconds per million cells of the kernel (of which ``kyoto_pass``: finding the cells with a
Kyoto 通り名, which the Python rules read), of the detector's own key kernel
(``kernels.address_keys``, the key before the registry's form) and of the Python rules (timed
on a sample, per cell). ``--save-baseline`` writes bench/baselines/address_keys.json.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BASELINES, WORK, machine, save_json

from rouei.scanning import identity, kernels
from rouei.scanning.normalise import normalise_cells

SAMPLE = 100_000  # cells timed with the Python rules (~6 µs each)


def _bigfile() -> pl.Series:
    import bigfile
    utf8, _ = bigfile.ensure(1_000_000)
    return pl.read_csv(utf8, columns=["住所"], infer_schema_length=0).to_series()


def _export() -> pl.Series:
    import export_file
    path = export_file.ensure(100_000)
    return pl.read_csv(path, columns=["住所"], infer_schema_length=0,
                       encoding="utf8-lossy").to_series()


def _linkage() -> pl.Series:
    data = WORK / "linkage" / "data"
    if not (data / "shop" / "customers.csv").exists():
        import linkage
        linkage.main(["--out", str(WORK / "linkage")])
    cells: list[str] = []
    for path in sorted(data.rglob("*.csv")):
        for encoding in ("utf-8-sig", "cp932"):
            try:
                rows = list(csv.reader(path.open(encoding=encoding, newline="")))
                break
            except UnicodeDecodeError:
                continue
        columns = [i for i, name in enumerate(rows[0]) if "住所" in name]
        cells += [row[i] for row in rows[1:] for i in columns if i < len(row)]
    return pl.Series("住所", cells, dtype=pl.Utf8)


def _cpu(step) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(3):
        start = time.process_time()
        result = step()
        best = min(best, time.process_time() - start)
    return best, result


def measure(name: str, raw: pl.Series) -> dict:
    cells = normalise_cells(raw.cast(pl.Utf8))
    distinct = cells.drop_nulls().unique()
    keys = kernels.registry_address_keys(distinct).to_list()
    differ = [(cell, key, identity.conservative_address(cell))
              for cell, key in zip(distinct.to_list(), keys, strict=True)
              if key != identity.conservative_address(cell)]
    kernel_s, _ = _cpu(lambda: kernels.registry_address_keys(cells))
    detector_s, _ = _cpu(lambda: kernels.address_keys(cells))
    # The part of the registry kernel's time spent finding Kyoto's 通り名 (the cells the
    # Python rules then read): one Aho-Corasick pass over the column.
    kyoto_s, kyoto = _cpu(lambda: cells.str.contains_any(list(identity.KYOTO_DIRECTIONS)))
    sample = cells.drop_nulls().head(SAMPLE).to_list()
    start = time.process_time()
    for cell in sample:
        identity.conservative_address(cell)
    python_s = (time.process_time() - start) / max(len(sample), 1) * len(cells)
    per_million = 1_000_000 / max(len(cells), 1)
    return {"file": name, "cells": len(cells), "distinct": len(distinct),
            "differ": len(differ), "differ_examples": differ[:5],
            "kyoto_cells": int(kyoto.sum() or 0),
            "cpu_s_per_million": {"registry_kernel": round(kernel_s * per_million, 3),
                                  "kyoto_pass": round(kyoto_s * per_million, 3),
                                  "detector_kernel": round(detector_s * per_million, 3),
                                  "python_rules": round(python_s * per_million, 2)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save-baseline", action="store_true")
    args = parser.parse_args(argv)
    with open("/proc/loadavg") as fh:
        load_before = fh.read().split()[:3]
    runs = [measure(name, source()) for name, source in
            (("bigfile 住所", _bigfile), ("export 住所", _export), ("linkage 住所", _linkage))]
    with open("/proc/loadavg") as fh:
        load_after = fh.read().split()[:3]
    result = {"machine": machine(), "load_before": load_before, "load_after": load_after,
              "runs": runs}
    for run in runs:
        print(f"{run['file']}: {run['cells']:,} cells, {run['distinct']:,} distinct, "
              f"kernel ≠ rules on {run['differ']}; CPU-s per million: {run['cpu_s_per_million']}")
    print("load", load_before, "→", load_after)
    if args.save_baseline:
        save_json(result, BASELINES / "address_keys.json")
    return 1 if any(run["differ"] for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
