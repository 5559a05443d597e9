"""The compiled findings writer's whole blocks written past the page cache (O_DIRECT): the
findings file holds the same bytes as when every line goes through the page cache, wherever
the file's position stands within a block and whatever Python writes between the calls."""

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

from .test_cellwriter import ADDRESSES, DATES, MATCH_VALUES, VALUES, free_text_records

pytestmark = pytest.mark.skipif(engine._cellwriter is None, reason="no compiled writer")

PLACE = {"file": "export.csv"}


@pytest.fixture
def direct_from_any_size():
    """Direct writes for lines of any size (the scan's threshold is 1 MiB), as before after."""
    before, _ = engine._cellwriter.direct_writes(0)
    yield
    engine._cellwriter.direct_writes(before)


def direct_bytes() -> int:
    return engine._cellwriter.direct_writes()[1]


def in_file(write, mode: str = "wb") -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "findings.jsonl")
        with open(path, mode) as handle:
            write(_FindingsSink(handle, True))
        with open(path, "rb") as handle:
            return handle.read()


def in_bytes(write) -> bytes:
    sink = _FindingsSink(io.BytesIO(), True)
    write(sink)
    return sink.handle.getvalue()


def python_line(n: int) -> Finding:
    """A line Python writes itself (``_FindingsSink.write``), ``n`` characters of value long:
    it moves the file's position to anywhere within a block."""
    return Finding(file="a.csv", category="email", masked="a***@b.jp", row=n, column="メール",
                   value="x" * n)


def phones(n: int, first: int = 0) -> tuple[pl.Series, pl.Series]:
    return (pl.Series(range(first, first + n), dtype=pl.Int64),
            pl.Series([f"090-{i % 10_000:04d}-{i % 7919:04d}" for i in range(n)]))


# Columns of kana, full-width, non-BMP and empty cells among others, each repeated to a size
# of a few blocks; Python's lines between them of any length.
COLUMN = st.tuples(st.sampled_from(["person_name", "address", "phone", "email", "name_kana",
                                    "birth_date", "postal_code"]),
                   st.lists(st.one_of(VALUES, DATES, ADDRESSES), min_size=1, max_size=6),
                   st.integers(1, 400))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(columns=st.lists(st.tuples(COLUMN, st.integers(0, 5000)), min_size=1, max_size=4))
def test_whole_cell_findings_written_past_the_page_cache_are_the_same_bytes(
        direct_from_any_size, columns):
    def write(sink):
        row = 0
        for (category, cells, times), between in columns:
            values = pl.Series(cells * times, dtype=pl.String)
            rows = pl.Series(range(row, row + len(values)), dtype=pl.Int64)
            row += len(values)
            sink.write(python_line(between))
            sink.write_cells(PLACE, category, "列", rows, values)

    before = direct_bytes()
    assert in_file(write) == in_bytes(write)
    # a call whose lines cover two blocks holds a whole one wherever it starts: written direct
    # (sized here with rows from 0, a few bytes shorter than the scan's: three blocks to spare)
    largest = max(len(in_bytes(lambda sink, c=c: sink.write_cells(
        PLACE, c[0], "列", pl.Series(range(len(c[1]) * c[2]), dtype=pl.Int64),
        pl.Series(c[1] * c[2], dtype=pl.String)))) for c, _ in columns)
    if largest >= 3 * 4096:
        assert direct_bytes() > before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(MATCH_VALUES, min_size=1, max_size=3), min_size=1, max_size=5),
       picks=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**9)), min_size=1,
                      max_size=10),
       times=st.integers(1, 300), between=st.integers(0, 5000))
def test_free_text_findings_written_past_the_page_cache_are_the_same_bytes(
        direct_from_any_size, cells, picks, times, between):
    found, rows, record_cells = free_text_records(cells, picks * times)

    def write(sink):
        sink.write(python_line(between))
        sink.write_matches(PLACE, "備考", rows, record_cells, _ProseMatches.of([], found))
        sink.write(python_line(between))

    assert in_file(write) == in_bytes(write)


def test_a_big_column_goes_past_the_page_cache():
    # 200,000 phones: ~30 MB of lines, far above the 1 MiB from which whole blocks go direct
    rows, values = phones(200_000)
    before = direct_bytes()

    def write(sink):
        sink.write(python_line(7))
        sink.write_cells(PLACE, "phone", "電話", rows, values)
        sink.write(python_line(7))

    got = in_file(write)
    assert got == in_bytes(write)
    assert direct_bytes() - before >= len(got) - 2 * 4096 - 2 * len(in_bytes(
        lambda sink: sink.write(python_line(7))))


def test_a_small_column_stays_in_the_page_cache():
    rows, values = phones(50)
    before = direct_bytes()
    in_file(lambda sink: sink.write_cells(PLACE, "phone", "電話", rows, values))
    assert direct_bytes() == before


def test_a_file_opened_for_appending_is_written_through_the_page_cache(direct_from_any_size):
    # with O_APPEND a write at an offset would go to the end anyway: the lines as they come
    rows, values = phones(20_000)
    before = direct_bytes()

    def write(sink):
        sink.write(python_line(3))
        sink.write_cells(PLACE, "phone", "電話", rows, values)
        sink.write_cells(PLACE, "phone", "電話", rows, values)

    assert in_file(write, "ab") == in_bytes(write)
    assert direct_bytes() == before


def test_the_file_position_is_after_the_lines(direct_from_any_size):
    # the scan truncates an unfinished file's findings at the position it noted (tell)
    rows, values = phones(10_000)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "findings.jsonl")
        with open(path, "wb") as handle:
            sink = _FindingsSink(handle, False)
            sink.write(python_line(100))
            sink.write_cells(PLACE, "phone", "電話", rows, values)
            position = handle.tell()
        assert position == os.path.getsize(path)


def test_the_threshold_is_set_and_given_back():
    before, _ = engine._cellwriter.direct_writes(12345)
    try:
        assert engine._cellwriter.direct_writes()[0] == 12345
    finally:
        engine._cellwriter.direct_writes(before)
    assert engine._cellwriter.direct_writes()[0] == before
