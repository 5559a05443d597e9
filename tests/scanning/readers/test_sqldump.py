"""Database dumps: what mysqldump and pg_dump write comes back as tables, value for value."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rouei.scanning.engine import ScanOptions, scan
from rouei.scanning.model import TablePart
from rouei.scanning.readers import Limits, sqldump
from tests.scanning.readers.builders import collect, write
from tests.scanning.readers.dump_tools import (
    COLUMNS,
    CUSTOMERS,
    FIXTURES,
    HERE,
    live_mysqldump,
    live_pg_dump,
    mysql_available,
    pg_available,
)

EXPECTED = [tuple(None if v is None else str(v) for v in row) for row in CUSTOMERS]


def _tables(reads) -> dict[str, list[tuple]]:
    return {r.part.table: r.frame.rows() for r in reads if isinstance(r.part, TablePart)}


def _fixture(tmp_path, name: str, as_name: str | None = None):
    path = tmp_path / (as_name or name)
    shutil.copy(HERE / name, path)
    return path


def _customers(tables: dict[str, list[tuple]]) -> list[tuple]:
    return next(rows for table, rows in tables.items() if table.endswith("dtb_customer"))


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_every_tool_dump_gives_the_customers_back_value_for_value(tmp_path, fixture):
    reads = collect(_fixture(tmp_path, fixture))
    assert _customers(_tables(reads)) == EXPECTED


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_every_tool_dump_names_the_columns_from_the_dump(tmp_path, fixture):
    reads = collect(_fixture(tmp_path, fixture))
    table = next(r for r in reads if (r.part.table or "").endswith("dtb_customer"))
    assert table.part.columns == COLUMNS


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_every_tool_dump_is_one_part_per_table(tmp_path, fixture):
    reads = collect(_fixture(tmp_path, fixture))
    names = [r.part.table.rsplit(".", 1)[-1] for r in reads if isinstance(r.part, TablePart)]
    assert names == ["dtb_customer", "dtb_note"]


def test_a_dump_is_recognised_by_its_content_whatever_its_name(tmp_path):
    reads = collect(_fixture(tmp_path, "mysqldump.sql", "backup_20240401.txt"))
    assert _customers(_tables(reads)) == EXPECTED


def test_a_gzip_compressed_dump_is_read(tmp_path):
    path = write(tmp_path, "shop.sql.gz", gzip.compress((HERE / "pg_dump.sql").read_bytes()))
    assert _customers(_tables(collect(path))) == EXPECTED


def test_a_table_split_over_windows_and_batches_keeps_its_rows_and_order(tmp_path, monkeypatch):
    monkeypatch.setattr(sqldump, "WINDOW", 97)
    for name in FIXTURES:
        reads = collect(_fixture(tmp_path, name), limits=Limits(batch_rows=3))
        assert _customers(_tables(reads)) == EXPECTED, name


def test_a_binary_column_that_is_text_reads_as_its_text(tmp_path):
    reads = collect(_fixture(tmp_path, "mysqldump_skip_extended.sql"))  # --hex-blob: 0x48…
    assert [row[3] for row in _tables(reads)["dtb_note"]] == ["Hello", "Hello"]


def test_rows_are_numbered_within_their_table_across_statements(tmp_path):
    path = write(tmp_path, "x.sql", "INSERT INTO a VALUES ('x'),('y');\nINSERT INTO b VALUES "
                 "('p');\nINSERT INTO a VALUES ('z');\n")
    parts = [(r.part.table, r.part.first_row, r.frame.height) for r in collect(path)]
    assert parts == [("a", 1, 2), ("b", 1, 1), ("a", 3, 1)]


def test_a_dump_without_column_names_gets_numbered_columns(tmp_path):
    path = write(tmp_path, "x.sql", "INSERT INTO t VALUES ('a',1,NULL),('b',2,'c');\n")
    (read,) = collect(path)
    assert (read.part.columns, read.part.has_header) == (("0", "1", "2"), False)


def test_a_row_wider_or_narrower_than_the_table_is_padded_or_cut_and_counted(tmp_path):
    path = write(tmp_path, "x.sql", "INSERT INTO t (a, b) VALUES ('1'),('1','2','3');\n")
    (read,) = collect(path)
    assert (read.frame.rows(), read.part.skipped) == ([("1", None), ("1", "2")],
                                                      {"ragged_rows": 2})


def test_a_dump_cut_off_inside_a_statement_keeps_its_rows_and_says_so(tmp_path):
    data = (HERE / "mysqldump.sql").read_bytes()
    cut = data[:data.index(b"(4,")+10]
    reads = collect(write(tmp_path, "cut.sql", cut))
    assert [len(r.frame) if r.frame is not None else r.code for r in reads] == [3, "corrupt"]


def test_statements_other_than_rows_are_skipped_even_with_semicolons_in_strings(tmp_path):
    path = write(tmp_path, "x.sql", "-- a comment; INSERT INTO no VALUES ('x');\n"
                 "/* INSERT INTO no VALUES ('y'); */\nSET @a = 'it''s; INSERT INTO no VALUES (1)';\n"
                 "CREATE TABLE t (a text COMMENT 'x;y', b text);\nLOCK TABLES t WRITE;\n"
                 "INSERT INTO t VALUES ('1','2');\nUNLOCK TABLES;\n")
    assert _tables(collect(path)) == {"t": [("1", "2")]}


# --- escaping: values of any text round-trip through the writers' escaping -------------------

_TEXT = st.text(st.sampled_from(list("'\"\\\n\r\t,() ;abc0xX_山田太郎ｱ①")) | st.characters(
    blacklist_categories=("Cs",)), max_size=12)
_CELL = st.none() | _TEXT
_ROWS = st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=6)


def _mysql_literal(value: str | None) -> str:
    if value is None:
        return "NULL"
    out = value.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\r", "\\r").replace("\x00", "\\0")
    return f"'{out.replace(chr(26), chr(92) + 'Z')}'"


def _pg_literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _copy_field(value: str | None) -> str:
    if value is None:
        return "\\N"
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


_SETTINGS = settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(rows=_ROWS)
def test_mysql_extended_inserts_round_trip(tmp_path, rows):
    body = ",".join("(" + ",".join(map(_mysql_literal, row)) + ")" for row in rows)
    path = write(tmp_path, "m.sql", f"-- MySQL dump\nINSERT INTO `t` VALUES {body};\n")
    assert _tables(collect(path))["t"] == [tuple(row) for row in rows]


@_SETTINGS
@given(rows=_ROWS)
def test_mysql_one_insert_per_row_round_trips(tmp_path, rows):
    body = "".join("INSERT INTO `t` (`a`, `b`, `c`) VALUES (" + ",".join(map(_mysql_literal, row))
                   + ");\n" for row in rows)
    path = write(tmp_path, "m.sql", "-- MySQL dump\n" + body)
    assert _tables(collect(path))["t"] == [tuple(row) for row in rows]


@_SETTINGS
@given(rows=_ROWS.map(lambda rows: [[c if c is None else c.replace("\x00", "") for c in row]
                                    for row in rows]))
def test_postgresql_copy_round_trips(tmp_path, rows):
    body = "".join("\t".join(map(_copy_field, row)) + "\n" for row in rows)
    path = write(tmp_path, "p.sql", "-- PostgreSQL database dump\nCOPY public.t (a, b, c) FROM "
                 f"stdin;\n{body}\\.\n")
    assert _tables(collect(path))["public.t"] == [tuple(row) for row in rows]


@_SETTINGS
@given(rows=_ROWS.map(lambda rows: [[c if c is None else c.replace("\x00", "") for c in row]
                                    for row in rows]))
def test_postgresql_inserts_round_trip(tmp_path, rows):
    body = "".join("INSERT INTO public.t VALUES (" + ", ".join(map(_pg_literal, row)) + ");\n"
                   for row in rows)
    path = write(tmp_path, "p.sql", "-- PostgreSQL database dump\n"
                 "SET standard_conforming_strings = on;\n" + body)
    assert _tables(collect(path))["public.t"] == [tuple(row) for row in rows]


# --- the scan: a dump's tables are tables ------------------------------------------------------


def _scan_dump(tmp_path, name: str):
    folder = tmp_path / "leak"
    folder.mkdir()
    shutil.copy(HERE / name, folder / "shop.sql")
    out = tmp_path / "findings.jsonl"
    report = scan([folder], ScanOptions(workers=1), findings_out=out)
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return report, findings


def test_a_finding_in_a_dump_names_file_table_row_and_column(tmp_path):
    _, findings = _scan_dump(tmp_path, "mysqldump.sql")
    mail = next(f for f in findings if f["category"] == "email" and f["row"] == 2)
    assert (mail["file"], mail["table"], mail["column"]) == ("shop.sql", "dtb_customer", "email")


def test_an_ec_cube_customer_table_is_classified_by_its_column_names(tmp_path):
    report, _ = _scan_dump(tmp_path, "pg_dump.sql")
    customers = next(f for f in report.to_dict()["files"]
                     if f.get("table") == "public.dtb_customer")
    assert customers["items"] == {"address": 4, "birth_date": 3, "email": 4, "name_kana": 4,
                                  "person_name": 4, "phone": 4, "postal_code": 4}


def test_the_people_of_a_dump_are_counted_once_each(tmp_path):
    report, _ = _scan_dump(tmp_path, "pg_dump_column_inserts.sql")
    assert report.people.people == 4


# --- live: the tools on this machine ---------------------------------------------------------


@pytest.mark.parametrize("options", [(), ("--skip-extended-insert",), ("--hex-blob",),
                                     ("--compact", "--complete-insert")])
def test_live_mysqldump_round_trips(tmp_path, options):
    if reason := mysql_available():
        pytest.skip(reason)
    path = write(tmp_path, "live.sql", live_mysqldump(*options))
    assert _customers(_tables(collect(path))) == EXPECTED


@pytest.mark.parametrize("options", [(), ("--inserts",), ("--column-inserts",),
                                     ("--inserts", "--rows-per-insert=3")])
def test_live_pg_dump_round_trips(tmp_path, options):
    if reason := pg_available():
        pytest.skip(reason)
    path = write(tmp_path, "live.sql", live_pg_dump(*options))
    assert _customers(_tables(collect(path))) == EXPECTED
