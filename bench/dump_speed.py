"""A database dump of the benchmark's customers against the same rows as CSV, scanned with
``rouei scan`` one after the other in the same run.

    uv run python bench/dump_speed.py [--rows 1000000] [--out /tmp/rouei-bench/big] [--repeat 2]

The rows are bigfile.py's (``customers_1m.csv``, UTF-8). Beside them it writes
``customers_1m_mysql.sql`` (as mysqldump writes it: CREATE TABLE, LOCK TABLES, extended INSERTs
of about 1 MB, strings escaped with backslashes) and ``customers_1m_pg.sql`` (as pg_dump writes
it: CREATE TABLE, one COPY block). Prints the seconds of each scan (best of ``--repeat``), the
MB/s, the dump's time against the CSV's, and whether the reports agree (items per category and
distinct people).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigfile import COLUMNS, ensure
from common import machine, scan

ROWS_PER_INSERT = 4000  # about 1 MB a statement, as mysqldump's default net_buffer_length


def _quoted(name: str) -> str:
    return f"`{name}`"


def write_mysql(frame: pl.DataFrame, path: Path) -> None:
    escaped = [pl.when(pl.col(c).is_null()).then(pl.lit("NULL")).otherwise(
        pl.concat_str([pl.lit("'"), pl.col(c).str.replace_all("\\", "\\\\", literal=True)
                       .str.replace_all("'", "\\'", literal=True)
                       .str.replace_all("\n", "\\n", literal=True), pl.lit("'")]))
               for c in frame.columns]
    tuples = frame.select(pl.concat_str([pl.lit("("), pl.concat_str(escaped, separator=","),
                                         pl.lit(")")]).alias("t")).get_column("t").to_list()
    with path.open("w", encoding="utf-8") as out:
        out.write("-- MySQL dump 10.19  Distrib 10.11.6-MariaDB\n/*!40101 SET NAMES utf8mb4 */;\n"
                  "DROP TABLE IF EXISTS `customers`;\nCREATE TABLE `customers` (\n")
        out.write(",\n".join(f"  {_quoted(c)} varchar(255) DEFAULT NULL" for c in frame.columns))
        out.write("\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\nLOCK TABLES `customers` WRITE;\n")
        for start in range(0, len(tuples), ROWS_PER_INSERT):
            out.write("INSERT INTO `customers` VALUES ")
            out.write(",".join(tuples[start:start + ROWS_PER_INSERT]))
            out.write(";\n")
        out.write("UNLOCK TABLES;\n")


def write_pg(frame: pl.DataFrame, path: Path) -> None:
    fields = [pl.col(c).str.replace_all("\\", "\\\\", literal=True)
              .str.replace_all("\t", "\\t", literal=True).str.replace_all("\n", "\\n", literal=True)
              .fill_null("\\N") for c in frame.columns]
    lines = frame.select(pl.concat_str(fields, separator="\t").alias("l")).get_column("l")
    with path.open("w", encoding="utf-8") as out:
        out.write("--\n-- PostgreSQL database dump\n--\n\nSET standard_conforming_strings = on;\n\n"
                  "CREATE TABLE public.customers (\n")
        out.write(",\n".join(f'    "{c}" text' for c in frame.columns))
        out.write("\n);\n\nCOPY public.customers (" + ", ".join(f'"{c}"' for c in frame.columns)
                  + ") FROM stdin;\n")
        out.write("\n".join(lines.to_list()))
        out.write("\n\\.\n\n")


def _report(path: Path, repeat: int) -> tuple[float, dict]:
    best, report = float("inf"), {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            out = Path(tmp) / "r.json"
            run = scan([path], json_out=out, timeout=1800)
            best = min(best, run.seconds)
            report = json.loads(out.read_text(encoding="utf-8"))
    return best, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    csv_path, _ = ensure(args.rows, args.out)
    frame = pl.read_csv(csv_path, infer_schema=False)
    assert list(frame.columns) == list(COLUMNS)
    mysql_path = csv_path.with_name(csv_path.stem + "_mysql.sql")
    pg_path = csv_path.with_name(csv_path.stem + "_pg.sql")
    if not mysql_path.exists():
        write_mysql(frame, mysql_path)
    if not pg_path.exists():
        write_pg(frame, pg_path)
    results = {}
    for label, path in (("csv", csv_path), ("mysqldump", mysql_path), ("pg_dump", pg_path)):
        seconds, report = _report(path, args.repeat)
        results[label] = {"seconds": round(seconds, 2), "mb": round(path.stat().st_size / 1e6, 1),
                          "totals": report["totals"], "people": report["people"]}
    base = results["csv"]
    print(json.dumps({"rows": args.rows, "machine": machine()}, ensure_ascii=False))
    for label, r in results.items():
        agree = r["totals"] == base["totals"] and r["people"] == base["people"]
        print(f"{label:10s} {r['mb']:7.1f} MB {r['seconds']:7.2f} s {r['mb'] / r['seconds']:7.1f} MB/s"
              f"  time vs CSV {r['seconds'] / base['seconds']:.2f}×  same report: {agree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
