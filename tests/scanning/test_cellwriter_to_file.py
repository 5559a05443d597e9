"""The compiled findings writer writing straight to the findings file (its descriptor) gives
the bytes it gives as a bytes object, in order with what Python wrote around it."""

import errno
import gzip
import io
import os
import tempfile

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rouei.scanning import engine
from rouei.scanning.engine import _FindingsSink, _ProseMatches
from rouei.scanning.model import Finding

from .test_cellwriter import ALL_CATEGORIES, DATES, MATCH_VALUES, VALUES, free_text_records

PLACE = {"file": 'dir/"a".csv', "table": "dtb_\\customer"}
BEFORE = Finding(file="a.csv", category="phone", masked="090-****-5678", row=0, column="電話")


def through_file(write) -> bytes:
    """What ``write(sink)`` leaves in a findings file opened as the scan opens it, with a
    line written by Python before and after (buffered, so the order is the writer's care)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "findings.jsonl")
        with open(path, "wb") as handle:
            sink = _FindingsSink(handle, True)
            assert sink._fd == handle.fileno()
            sink.write(BEFORE)
            write(sink)
            sink.write(BEFORE)
        with open(path, "rb") as handle:
            return handle.read()


def through_bytes(write) -> bytes:
    sink = _FindingsSink(io.BytesIO(), True)
    assert sink._fd == -1
    sink.write(BEFORE)
    write(sink)
    sink.write(BEFORE)
    return sink.handle.getvalue()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(category=st.sampled_from(ALL_CATEGORIES),
       cells=st.lists(st.tuples(st.integers(0, 2**40), st.one_of(VALUES, DATES)), max_size=8))
def test_whole_cell_findings_in_a_file_are_the_bytes_of_the_bytes_path(category, cells):
    rows = pl.Series([row for row, _ in cells], dtype=pl.Int64)
    values = pl.Series([value for _, value in cells], dtype=pl.String)

    def write(sink):
        sink.write_cells(PLACE, category, "連絡先", rows, values)

    assert through_file(write) == through_bytes(write)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.lists(MATCH_VALUES, min_size=1, max_size=3), min_size=1, max_size=5),
       picks=st.lists(st.tuples(st.integers(0, 4), st.one_of(st.none(), st.integers(0, 10**9))),
                      min_size=1, max_size=10))
def test_free_text_findings_in_a_file_are_the_bytes_of_the_bytes_path(cells, picks):
    found, rows, record_cells = free_text_records(cells, picks)

    def write(sink):
        sink.write_matches(PLACE, "備考", rows, record_cells, _ProseMatches.of([], found))

    assert through_file(write) == through_bytes(write)


def test_a_null_cell_leaves_nothing_of_the_kernel_in_the_file():
    # the kernel stops at the null cell and the polars path writes the column again: the
    # lines before it must not be in the file twice
    rows = pl.Series([1, 2, 3], dtype=pl.Int64)
    values = pl.Series(["090-1234-5678", "03-1234-5678", None])

    def write(sink):
        sink.write_cells(PLACE, "phone", "電話", rows, values)

    in_file = through_file(write)
    assert in_file == through_bytes(write)
    assert in_file.count(b'"row": 1,') == 1


def test_a_big_column_after_a_small_one_is_written_whole():
    # the kept buffer of one call is reused by the next, larger one
    small = pl.Series(["090-1234-5678"]), pl.Series([1], dtype=pl.Int64)
    n = 30_000
    big = (pl.Series([f"山田 太郎{i}" for i in range(n)]),
           pl.Series(range(n), dtype=pl.Int64))

    def write(sink):
        sink.write_cells(PLACE, "phone", "電話", small[1], small[0])
        sink.write_cells(PLACE, "person_name", "氏名", big[1], big[0])
        sink.write_cells(PLACE, "phone", "電話", small[1], small[0])

    in_file = through_file(write)
    assert in_file == through_bytes(write)
    assert len(in_file.splitlines()) == n + 4


def test_a_compressed_findings_file_keeps_the_bytes_path():
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as handle:
        sink = _FindingsSink(handle, False)
        assert engine._descriptor(handle) == -1
        sink.write_cells(PLACE, "phone", "電話", pl.Series([4], dtype=pl.Int64),
                         pl.Series(["090-1234-5678"]))
    assert b'"row": 4' in gzip.decompress(buffer.getvalue())


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_is_an_error_not_a_short_findings_file():
    with open("/dev/full", "wb") as handle:
        sink = _FindingsSink(handle, False)
        with pytest.raises(OSError) as failed:
            sink.write_cells(PLACE, "phone", "電話", pl.Series([1], dtype=pl.Int64),
                             pl.Series(["090-1234-5678"]))
    assert failed.value.errno == errno.ENOSPC


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise")
def test_findings_let_go_from_the_page_cache_are_the_same_bytes(monkeypatch):
    # the written pages let go after every line: the file holds what the bytes path gives
    monkeypatch.setattr(engine, "LET_GO_EVERY", 1)
    calls, fadvise = [], os.posix_fadvise
    monkeypatch.setattr(engine.os, "posix_fadvise",
                        lambda *args: calls.append(args) or fadvise(*args))
    n = 5_000
    rows = pl.Series(range(n), dtype=pl.Int64)
    values = pl.Series([f"090-{i:04d}-5678" for i in range(n)])

    def write(sink):
        for _ in range(3):
            sink.write_cells(PLACE, "phone", "電話", rows, values)

    assert through_file(write) == through_bytes(write)
    assert len(calls) >= 3


def test_findings_written_to_a_pipe_arrive_whole():
    # rouei scan --findings /dev/stdout | gzip: no file position, no page cache to let go
    read_end, write_end = os.pipe()
    rows, values = pl.Series([1, 2], dtype=pl.Int64), pl.Series(["090-1234-5678", "x@y.jp"])
    with os.fdopen(write_end, "wb") as handle:
        sink = _FindingsSink(handle, False)
        assert sink._fd == write_end
        sink.write_cells(PLACE, "phone", "電話", rows, values)
        sink.write_cells(PLACE, "phone", "電話", rows, values)
    with os.fdopen(read_end, "rb") as piped:
        got = piped.read()

    def write(sink):
        sink.write_cells(PLACE, "phone", "電話", rows, values)
        sink.write_cells(PLACE, "phone", "電話", rows, values)

    expected = _FindingsSink(io.BytesIO(), False)
    write(expected)
    assert got == expected.handle.getvalue()
