"""No input makes read_parts raise: random bytes under any name, and every valid fixture cut
short or with bytes overwritten, always end as parts or Unreadable."""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.scanning.model import TablePart, TextPart, Unreadable
from rouei.scanning.readers import CODES, Limits, read_parts

from .builders import (
    HEADER,
    csv_text,
    customers,
    docx_bytes,
    excel_cp932_csv,
    json_lines,
    mail_with_attachment,
    parquet_bytes,
    pdf,
    xlsx,
    zip_bytes,
)

NAMES = ["a.csv", "a.tsv", "a.txt", "a.json", "a.jsonl", "a.xlsx", "a.xls", "a.docx", "a.pdf",
         "a.zip", "a.eml", "a.parquet", "noext"]
LIMITS = Limits(batch_rows=7, sample_bytes=2048, max_line_chars=500)


@cache
def fixtures() -> dict[str, bytes]:
    rows = customers(12)
    return {
        "a.csv": excel_cp932_csv([HEADER, *rows]),
        "a.tsv": csv_text([HEADER, *rows], delimiter="\t").encode("euc_jp"),
        "a.json": json.dumps([dict(zip(HEADER, r)) for r in rows], ensure_ascii=False).encode(),
        "a.jsonl": json_lines([dict(zip(HEADER, r)) for r in rows]).encode(),
        "a.xlsx": xlsx({"S": [HEADER, *rows], "T": rows}),
        "a.docx": docx_bytes([r[0] for r in rows], [HEADER, rows[0]]),
        "a.pdf": pdf([[r[0], r[2]] for r in rows[:3]]),
        "a.zip": zip_bytes({"x.csv": excel_cp932_csv([HEADER, *rows]), "y.txt": b"abc"}),
        "a.eml": mail_with_attachment(excel_cp932_csv([HEADER, *rows])),
        "a.parquet": parquet_bytes(pl.DataFrame(rows, schema=HEADER, orient="row")),
    }


def _consume_all(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for part in read_parts(path, name, LIMITS):
            if isinstance(part, TablePart):
                for batch in part.batches:
                    assert all(dtype == pl.String for column, dtype in batch.schema.items()
                               if column != part.row_numbers_column)
            elif isinstance(part, TextPart):
                for number, line in part.lines:
                    assert number >= 1 and isinstance(line, str)
            else:
                assert isinstance(part, Unreadable) and part.code in CODES


@settings(max_examples=150)
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES))
def test_random_bytes_never_raise(data, name):
    _consume_all(data, name)


@settings(max_examples=120)
@given(kind=st.sampled_from(sorted(fixtures())), cut=st.floats(0, 1), name_from_kind=st.booleans())
def test_truncated_fixtures_never_raise(kind, cut, name_from_kind):
    data = fixtures()[kind]
    _consume_all(data[: int(len(data) * cut)], kind if name_from_kind else "noext")


@settings(max_examples=120)
@given(kind=st.sampled_from(sorted(fixtures())), position=st.floats(0, 1),
       junk=st.binary(min_size=1, max_size=64))
def test_overwritten_fixtures_never_raise(kind, position, junk):
    data = bytearray(fixtures()[kind])
    start = int((len(data) - 1) * position)
    data[start:start + len(junk)] = junk
    _consume_all(bytes(data), kind)


# Corruption never goes unreported (issue 14): a byte overwritten in a CSV or a .docx either
# changes nothing the scan reads, or the report says that a part could not be read.

@cache
def _clean_csv() -> bytes:
    return csv_text([HEADER, *customers(40)]).encode()


@cache
def _clean_docx() -> tuple[bytes, list[tuple[int, str]]]:
    rows = customers(8)
    data = docx_bytes([f"{r[0]} 様 {r[2]}" for r in rows], [HEADER, rows[0]])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.docx"
        path.write_bytes(data)
        (part,) = read_parts(path, "a.docx", LIMITS)
        return data, list(part.lines)


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(corruptions=st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                      st.integers(0x80, 0xFF)), min_size=1, max_size=4))
def test_bytes_of_a_csv_no_encoding_reads_always_show_in_the_report(corruptions):
    from rouei.scanning.engine import ScanOptions, scan_file

    data = bytearray(_clean_csv())
    for where, byte in corruptions:
        data[int(where * len(data))] = byte
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.csv"
        path.write_bytes(bytes(data))
        # a short head: most corruptions fall after it, where decoding goes on past them
        result = scan_file(path, "a.csv", ScanOptions(workers=1, limits=Limits(sample_bytes=1024)))
    if not _valid_utf8(bytes(data)):
        assert [u["code"] for u in result.unreadable] in (["partly_unreadable"], ["encoding"])
        assert all(u.get("rows", 1) >= 1 for u in result.unreadable)
        assert result.summaries == [] or result.summaries[0].partly_unreadable


@settings(max_examples=80, deadline=None)
@given(corruptions=st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                      st.integers(0, 0xFF)), min_size=1, max_size=3))
# a comment length in the central directory: zipfile listed two members and the package was
# read as a plain archive of XML files
@example(corruptions=[(0.9718726938374794, 4)])
def test_a_corrupted_docx_reads_the_same_text_or_says_it_could_not(corruptions):
    clean, lines = _clean_docx()
    data = bytearray(clean)
    for where, byte in corruptions:
        data[int(where * len(data))] = byte
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.docx"
        path.write_bytes(bytes(data))
        said, read, other = [], [], []
        for part in read_parts(path, "a.docx", LIMITS):  # each part consumed before the next
            if isinstance(part, Unreadable):
                said.append(part)
            elif isinstance(part, TextPart):
                read.append((part, list(part.lines)))
            else:
                other.append((part, list(part.batches)))
    if said or any(p.skipped for p, _ in read + other):
        return
    assert [got for _, got in read] == [lines] and not other
