"""Broken dumps: cut off, with a stray quote, binary blobs, rows longer than the reader holds.
Each ends in a note of the report (Unreadable, or a table's ``skipped`` count) and keeps the
rows it could read; none raises and none loses rows without saying so."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rouei.scanning.engine import ScanOptions, scan
from rouei.scanning.model import TablePart, TextPart, Unreadable
from rouei.scanning.readers import CODES, Limits, read_parts, sqldump
from tests.scanning.readers.builders import collect, write
from tests.scanning.readers.dump_tools import FIXTURES, HERE

INTACT = {"dtb_customer": 4, "dtb_note": 2}


def _rows(reads) -> dict[str, int]:
    rows: dict[str, int] = {}
    for read in reads:
        if isinstance(read.part, TablePart):
            table = read.part.table.rsplit(".", 1)[-1]
            rows[table] = rows.get(table, 0) + read.frame.height
    return rows


def _notes(reads) -> list[Unreadable]:
    return [r.part for r in reads if isinstance(r.part, Unreadable)]


def test_a_copy_block_without_its_end_line_says_the_dump_was_cut_off(tmp_path):
    data = (HERE / "pg_dump.sql").read_bytes()
    cut = data[:data.index(b"\\.\n")]  # the first table's rows, then nothing
    reads = collect(write(tmp_path, "cut.sql", cut))
    assert [(n.code, n.table) for n in _notes(reads)] == [("corrupt", "public.dtb_customer")]


def test_a_copy_block_without_its_end_line_keeps_its_rows(tmp_path):
    data = (HERE / "pg_dump.sql").read_bytes()
    reads = collect(write(tmp_path, "cut.sql", data[:data.index(b"\\.\n")]))
    assert _rows(reads) == {"dtb_customer": 4}


def test_a_dump_cut_between_two_statements_is_told_by_its_missing_last_line(tmp_path):
    data = (HERE / "pg_dump.sql").read_bytes()
    cut = data[:data.index(b"\\.\n") + 3]  # a whole table, the next one gone
    reads = collect(write(tmp_path, "cut.sql", cut))
    assert [n.code for n in _notes(reads)] == ["corrupt"]


def test_a_mysqldump_cut_between_two_statements_is_told_too(tmp_path):
    data = (HERE / "mysqldump_skip_extended.sql").read_bytes()
    cut = data[:data.index(b"\n", data.index(b"INSERT INTO `dtb_customer`")) + 1]
    reads = collect(write(tmp_path, "cut.sql", cut))
    assert "Dump completed" in _notes(reads)[0].reason


def test_an_intact_tool_dump_has_no_note(tmp_path):
    for name in FIXTURES:
        reads = collect(write(tmp_path, name, (HERE / name).read_bytes()))
        assert _notes(reads) == [], name


def test_an_insert_cut_inside_a_row_says_the_dump_ends_inside_it(tmp_path):
    data = (HERE / "mysqldump.sql").read_bytes()
    reads = collect(write(tmp_path, "cut.sql", data[:data.index(b"(4,") + 10]))
    assert "ends inside the INSERT of table dtb_customer" in _notes(reads)[0].reason


def test_a_stray_quote_loses_only_its_own_statement(tmp_path):
    data = (HERE / "mysqldump_skip_extended.sql").read_bytes()
    broken = data.replace(b"'hanako@example.com'", b"'hanako@example.com", 1)
    reads = collect(write(tmp_path, "quote.sql", broken))
    assert _rows(reads) == {"dtb_customer": 3, "dtb_note": 2}


def test_a_stray_quote_says_where_and_how_much_was_skipped(tmp_path):
    data = (HERE / "mysqldump_skip_extended.sql").read_bytes()
    broken = data.replace(b"'hanako@example.com'", b"'hanako@example.com", 1)
    (note,) = _notes(collect(write(tmp_path, "quote.sql", broken)))
    assert (note.table, "bytes skipped up to the next statement" in note.reason) == (
        "dtb_customer", True)


def test_a_binary_blob_is_counted_as_cells_that_could_not_be_read(tmp_path):
    folder = tmp_path / "leak"
    folder.mkdir()
    (folder / "shop.sql").write_bytes(
        b"INSERT INTO `files` (`id`, `owner`, `data`) VALUES "
        b"(1,'taro@example.jp',_binary '\x89PNG\r\n\x1a\n\x00\xff\xfe\\0\\'x'),"
        b"(2,'hanako@example.jp',_binary 'GIF89a\x00\x80\x81');\n")
    report = scan([folder], ScanOptions(workers=1)).to_dict()
    (entry,) = report["unreadable"]
    assert (entry["code"], entry["skipped"]) == ("partly_unreadable", {"binary_cells": 2})


def test_a_row_longer_than_the_largest_window_keeps_what_came_before(tmp_path, monkeypatch):
    monkeypatch.setattr(sqldump, "WINDOW", 256)
    monkeypatch.setattr(sqldump, "MAX_WINDOW", sqldump.HEAD_BYTES * 2)
    huge = "x" * sqldump.HEAD_BYTES * 3
    path = write(tmp_path, "huge.sql", "INSERT INTO t VALUES ('a'),('b');\n"
                 f"INSERT INTO u VALUES ('c'),('{huge}');\nINSERT INTO t VALUES ('d');\n")
    reads = collect(path)
    assert [(r.part.table, r.frame.height if r.frame is not None else r.part.code)
            for r in reads] == [("t", 2), ("u", 1), ("u", "too_large")]


# --- fuzz: the real tools' dumps, broken at random ----------------------------------------------

_FIXTURE_BYTES = {name: (HERE / name).read_bytes() for name in FIXTURES}


@st.composite
def _broken(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(_FIXTURE_BYTES)))
    data = _FIXTURE_BYTES[name]
    at = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(["cut", "quote", "bytes"]))
    if how == "cut":
        return name, data[:at]
    if how == "quote":
        return name, data[:at] + draw(st.sampled_from([b"'", b'"', b"`", b"(", b")", b"\\"])) \
            + data[at:]
    return name, data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_broken())
def test_a_broken_tool_dump_never_raises_and_never_loses_rows_silently(case):
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.sql"
        path.write_bytes(data)
        rows: dict[str, int] = {}
        notes = []
        for part in read_parts(path, "shop.sql", Limits(batch_rows=3)):
            if isinstance(part, TablePart):
                height = sum(batch.height for batch in part.batches)
                table = (part.table or "").rsplit(".", 1)[-1]
                rows[table] = rows.get(table, 0) + height
                if part.skipped:
                    notes.append(part.skipped)
            elif isinstance(part, TextPart):  # no longer looks like a dump: read as text
                return
            else:
                assert isinstance(part, Unreadable) and part.code in CODES
                notes.append(part.code)
    # a mangled table name still scans its rows (under that name); fewer rows must be said
    lost = sum(rows.values()) < sum(INTACT.values())
    assert not lost or notes, (name, rows, _where(_FIXTURE_BYTES[name], data))


def _where(intact: bytes, broken: bytes) -> bytes:
    """The bytes around the first place the broken dump differs (for a failure's message)."""
    at = next((i for i, (a, b) in enumerate(zip(intact, broken)) if a != b),
              min(len(intact), len(broken)))
    return broken[max(0, at - 60):at + 60]
