"""Database dumps of the benchmark's customers against the same rows as CSV, scanned with
``rouei scan`` one after the other in the same run.

    uv run --group bench python bench/dump_speed.py [--rows 1000000] [--out DIR] [--repeat 2]
        [--forms csv,mysqldump,pg_dump,pg_inserts,ec_csv,ec_mysqldump,ec_pg_dump]
        [--findings] [--synthetic]

The rows are bigfile.py's (``customers_1m.csv``, UTF-8). The dumps are made by the real tools:
the rows are loaded into MariaDB/MySQL (127.0.0.1:3306, root; ``LOAD DATA LOCAL INFILE``) and
PostgreSQL (127.0.0.1:5432, postgres; ``\\copy``) in databases named ``s14_dump_bench`` (kept
between runs, dropped with ``--drop``), then dumped with

- ``mysqldump`` (its defaults: extended INSERTs up to ``net_buffer_length``, backslash escapes),
- ``pg_dump`` plain (one ``COPY … FROM stdin`` block) and ``pg_dump --inserts`` (one INSERT a
  row),

for two shapes of the same rows: the CSV's own columns (table ``customers``, Japanese column
names) and an EC-CUBE ``dtb_customer`` (name01/name02, kana01/kana02, zip01/zip02, pref (the
prefecture's number), addr01/addr02, email, phone_number (digits only), sex (1/2), birth), with
that shape's rows also as a CSV (``ec_csv``, the same column names as headers).
``--synthetic`` writes the first two dumps in Python instead (as session 7 did; no servers).

Prints per file: seconds (best of ``--repeat``), CPU seconds (user+sys of the scan's process
tree), MB/s, the time against the CSV of the same shape, whether the reports agree (items per
category, distinct people) and, with ``--findings``, whether the findings agree apart from the
place (``file``, ``table``, ``row``) — an extra run with
``--findings`` whose time is also printed. Writes the figures to OUT/dump_speed.json
(OUT: /tmp/rouei-bench/results).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigfile import COLUMNS, ensure
from common import WORK, machine, save_json, scan

ROWS_PER_INSERT = 4000  # --synthetic: about 1 MB a statement, as mysqldump's default
DATABASE = "s14_dump_bench"  # --database NAME: another (e.g. a session's own prefix)
MYSQL = ["mysql", "-h127.0.0.1", "-uroot", "--default-character-set=utf8mb4"]
PSQL = ["psql", "-h127.0.0.1", "-Upostgres", "-v", "ON_ERROR_STOP=1", "-q"]
PG_ENV = {**os.environ, "PGCLIENTENCODING": "UTF8"}
FORMS = ("csv", "mysqldump", "pg_dump", "pg_inserts", "ec_csv", "ec_mysqldump", "ec_pg_dump")
SHAPE_CSV = {"csv": "csv", "mysqldump": "csv", "pg_dump": "csv", "pg_inserts": "csv",
             "mysqldump_synthetic": "csv", "pg_dump_synthetic": "csv",
             "ec_csv": "ec_csv", "ec_mysqldump": "ec_csv", "ec_pg_dump": "ec_csv"}
EC_COLUMNS = ("customer_id", "name01", "name02", "kana01", "kana02", "zip01", "zip02", "pref",
              "addr01", "addr02", "email", "phone_number", "sex", "birth")
_PREFECTURE = r"^(北海道|東京都|京都府|大阪府|.{2,3}県)"


# --- the EC-CUBE shape of the same rows --------------------------------------------------------

def ec_cube(frame: pl.DataFrame) -> pl.DataFrame:
    from faker.providers.address.ja_JP import Provider as Address

    prefs = list(dict.fromkeys(Address.prefectures))
    number = {p: str(i + 1) for i, p in enumerate(prefs)}
    address = pl.col("住所")
    pref = address.str.extract(_PREFECTURE, 1)
    rest = address.str.slice(pref.str.len_chars())
    return frame.select(
        pl.int_range(1, pl.len() + 1).alias("customer_id"),
        pl.col("氏名").str.split_exact(" ", 1).struct.field("field_0").alias("name01"),
        pl.col("氏名").str.split_exact(" ", 1).struct.field("field_1").alias("name02"),
        pl.col("フリガナ").str.split_exact(" ", 1).struct.field("field_0").alias("kana01"),
        pl.col("フリガナ").str.split_exact(" ", 1).struct.field("field_1").alias("kana02"),
        pl.col("郵便番号").str.slice(0, 3).alias("zip01"),
        pl.col("郵便番号").str.slice(4, 4).alias("zip02"),
        pref.replace_strict(number, default=None).alias("pref"),
        rest.str.extract(r"^([^0-9]*)", 1).alias("addr01"),
        rest.str.extract(r"^[^0-9]*(.*)$", 1).alias("addr02"),
        pl.col("メールアドレス").alias("email"),
        pl.col("電話番号").str.replace_all("-", "", literal=True).alias("phone_number"),
        pl.when(pl.col("性別") == "男性").then(pl.lit("1")).otherwise(pl.lit("2")).alias("sex"),
        (pl.col("生年月日").str.replace_all("/", "-", literal=True) + " 00:00:00").alias("birth"),
    )


# --- dumps made by the real tools --------------------------------------------------------------

def _mysql(sql: str, database: str | None = None) -> None:
    subprocess.run([*MYSQL, "--local-infile=1", *([database] if database else [])],
                   input=sql.encode(), check=True, timeout=1800)


def _psql(sql: str, database: str = "postgres") -> None:
    subprocess.run([*PSQL, "-d", database], input=sql.encode(), check=True, timeout=1800,
                   env=PG_ENV)


def _load(table: str, columns: tuple[str, ...], types: dict[str, tuple[str, str]],
          csv_path: Path) -> None:
    """``table`` in both servers (replaced), loaded from ``csv_path`` (header line skipped).
    ``types``: column → (MariaDB type, PostgreSQL type); text otherwise."""
    my_cols = ",\n".join(f"  `{c}` {types.get(c, ('varchar(255)', ''))[0]} DEFAULT NULL"
                         for c in columns)
    _mysql(f"CREATE DATABASE IF NOT EXISTS {DATABASE} CHARACTER SET utf8mb4;")
    _mysql(f"DROP TABLE IF EXISTS `{table}`;\nCREATE TABLE `{table}` (\n{my_cols}\n) "
           "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
           f"LOAD DATA LOCAL INFILE '{csv_path}' INTO TABLE `{table}` CHARACTER SET utf8mb4 "
           "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\n' "
           "IGNORE 1 LINES;", DATABASE)
    subprocess.run([*PSQL, "-c", f"CREATE DATABASE {DATABASE} ENCODING 'UTF8' TEMPLATE template0"],
                   capture_output=True, check=False, env=PG_ENV)  # fails when it is there
    pg_cols = ",\n".join(f'    "{c}" {types.get(c, ("", "text"))[1]}' for c in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    _psql(f'DROP TABLE IF EXISTS public."{table}";\nCREATE TABLE public."{table}" (\n{pg_cols}\n);'
          f"\n\\copy public.\"{table}\" ({quoted}) FROM '{csv_path}' WITH (FORMAT csv, HEADER)\n",
          DATABASE)


def _dump(cmd: list[str], path: Path, env: dict | None = None) -> None:
    with path.open("wb") as out:
        subprocess.run(cmd, stdout=out, check=True, timeout=3600, env=env)


def make_dumps(csv_path: Path, ec_path: Path, forms: set[str]) -> dict[str, Path]:
    stem = csv_path.with_suffix("")
    paths = {"mysqldump": Path(f"{stem}_mysqldump.sql"), "pg_dump": Path(f"{stem}_pg_dump.sql"),
             "pg_inserts": Path(f"{stem}_pg_inserts.sql"),
             "ec_mysqldump": Path(f"{stem}_ec_mysqldump.sql"),
             "ec_pg_dump": Path(f"{stem}_ec_pg_dump.sql")}
    wanted = {f: p for f, p in paths.items() if f in forms}
    missing = [f for f, p in wanted.items() if not p.exists()]
    if any(not f.startswith("ec_") for f in missing):
        _load("customers", tuple(COLUMNS), {}, csv_path)
    if any(f.startswith("ec_") for f in missing):
        _load("dtb_customer", EC_COLUMNS,
              {"customer_id": ("int", "integer"), "pref": ("smallint", "smallint"),
               "sex": ("smallint", "smallint"), "birth": ("datetime", "timestamp"),
               "zip01": ("varchar(3)", "text"), "zip02": ("varchar(4)", "text"),
               "phone_number": ("varchar(14)", "text")}, ec_path)
    mysqldump = ["mysqldump", "-h127.0.0.1", "-uroot", "--default-character-set=utf8mb4"]
    pg_dump = ["pg_dump", "-h127.0.0.1", "-Upostgres", "--no-owner"]
    commands = {"mysqldump": [*mysqldump, DATABASE, "customers"],
                "pg_dump": [*pg_dump, "-t", "public.customers", DATABASE],
                "pg_inserts": [*pg_dump, "--inserts", "-t", "public.customers", DATABASE],
                "ec_mysqldump": [*mysqldump, DATABASE, "dtb_customer"],
                "ec_pg_dump": [*pg_dump, "-t", "public.dtb_customer", DATABASE]}
    for form in missing:
        _dump(commands[form], wanted[form], PG_ENV)
    return wanted


def drop_databases() -> None:
    _mysql(f"DROP DATABASE IF EXISTS {DATABASE};")
    _psql(f"DROP DATABASE IF EXISTS {DATABASE};")


# --- the dumps written in Python (session 7's) -------------------------------------------------

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
        out.write("UNLOCK TABLES;\n\n-- Dump completed on 2026-12-06  6:05:00\n")


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
        out.write("\n\\.\n\n--\n-- PostgreSQL database dump complete\n--\n")


# --- scanning and comparing --------------------------------------------------------------------

_PLACE = re.compile(rb'^\{"file": "(?:[^"\\]|\\.)*", (?:"table": "(?:[^"\\]|\\.)*", )?'
                    rb'"row": (\d+), (.*)$')


def findings_digest(path: Path) -> tuple[int, int]:
    """(count, an order-free digest) of a findings file without its place (``file``,
    ``table``, ``row``; the column names are the same in both): PostgreSQL gives a table's
    rows back in its own order (``COPY … FROM`` in batches), not always the CSV's."""
    count, digest = 0, 0
    with path.open("rb") as handle:
        for line in handle:
            match = _PLACE.match(line.rstrip(b"\n"))
            key = line if match is None else match.group(2)
            digest = (digest + hash(key)) & 0xFFFFFFFFFFFFFFFF
            count += 1
    return count, digest


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


def _report(path: Path, repeat: int, findings: bool) -> dict:
    runs, report = [], {}
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        for _ in range(repeat):
            out = Path(tmp) / "r.json"
            load = _load_average()
            run = scan([path], json_out=out, timeout=3600)
            runs.append({"seconds": round(run.seconds, 2), "cpu_seconds": round(run.cpu_seconds, 2),
                         "load_before": load})
            report = json.loads(out.read_text(encoding="utf-8"))
        best = min(runs, key=lambda r: r["seconds"])
        result = {**best, "runs": runs, "mb": round(path.stat().st_size / 1e6, 1),
                  "totals": report["totals"], "people": report["people"],
                  "partial": report.get("partial"), "unreadable": report.get("unreadable")}
        if findings:
            out, found = Path(tmp) / "r.json", Path(tmp) / "f.jsonl"
            load = _load_average()
            run = scan([path], json_out=out, findings=found, timeout=3600)
            result["with_findings"] = {"seconds": round(run.seconds, 2),
                                       "cpu_seconds": round(run.cpu_seconds, 2),
                                       "load_before": load}
            result["findings"] = findings_digest(found)
    return result


def main(argv: list[str] | None = None) -> int:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--forms", default=",".join(FORMS))
    parser.add_argument("--findings", action="store_true",
                        help="also compare the findings files (one more run of each)")
    parser.add_argument("--synthetic", action="store_true",
                        help="the two dumps written in Python (session 7's), no servers")
    parser.add_argument("--drop", action="store_true", help="drop the bench databases and stop")
    parser.add_argument("--database", default=DATABASE,
                        help=f"the bench databases' name in both servers (default {DATABASE})")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        parser.error("--database: lower-case letters, digits and _ only")
    DATABASE = args.database
    if args.drop:
        drop_databases()
        return 0
    csv_path, _ = ensure(args.rows, args.out)
    forms = [f for f in args.forms.split(",") if f]
    frame = pl.read_csv(csv_path, infer_schema=False)
    assert list(frame.columns) == list(COLUMNS)
    ec_path = csv_path.with_name(csv_path.stem + "_ec_cube.csv")
    if any(f.startswith("ec_") for f in forms) and not ec_path.exists():
        ec_cube(frame).write_csv(ec_path)
    files: dict[str, Path] = {"csv": csv_path, "ec_csv": ec_path}
    if args.synthetic:
        forms = ["csv", "mysqldump_synthetic", "pg_dump_synthetic"]
        files["mysqldump_synthetic"] = csv_path.with_name(csv_path.stem + "_mysql.sql")
        files["pg_dump_synthetic"] = csv_path.with_name(csv_path.stem + "_pg.sql")
        if not files["mysqldump_synthetic"].exists():
            write_mysql(frame, files["mysqldump_synthetic"])
        if not files["pg_dump_synthetic"].exists():
            write_pg(frame, files["pg_dump_synthetic"])
    else:
        files.update(make_dumps(csv_path, ec_path, set(forms)))
    del frame
    results = {}
    for form in forms:
        results[form] = _report(files[form], args.repeat, args.findings)
        results[form]["file"] = files[form].name
    save_json({"rows": args.rows, "machine": machine(), "results": results},
              WORK / "results" / "dump_speed.json")
    print(json.dumps({"rows": args.rows, "machine": machine()}, ensure_ascii=False))
    for form, r in results.items():
        base = results.get(SHAPE_CSV[form])
        line = (f"{form:14s} {r['mb']:7.1f} MB {r['seconds']:7.2f} s {r['cpu_seconds']:7.2f} CPU-s"
                f" {r['mb'] / r['seconds']:6.1f} MB/s load {r['load_before']:5.2f}")
        if base is not None:
            agree = r["totals"] == base["totals"] and r["people"] == base["people"]
            line += (f"  time vs CSV {r['seconds'] / base['seconds']:.2f}×"
                     f" (CPU {r['cpu_seconds'] / base['cpu_seconds']:.2f}×)  same report: {agree}")
            if "findings" in r:
                line += (f"  findings {r['findings'][0]:,} same: {r['findings'] == base['findings']}"
                         f"  with findings {r['with_findings']['seconds']:.2f} s"
                         f" {r['with_findings']['cpu_seconds']:.2f} CPU-s")
        if r.get("partial") or r.get("unreadable"):
            line += f"  partial/unreadable: {r.get('partial')} {r.get('unreadable')}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
