"""read_parts: sniffing content before extension, the registry, and never raising."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import polars as pl

from rouei.scanning import readers
from rouei.scanning.model import TablePart, Unreadable
from rouei.scanning.readers import CODES, READERS, Limits, read_parts

from .builders import collect, docx_bytes, mail_with_attachment, parquet_bytes, pdf, write, xlsx

HERE = Path(__file__).parent


def test_every_reader_module_is_registered_and_has_its_test_file():
    modules = {m.name for m in pkgutil.iter_modules(readers.__path__)
               if not m.name.startswith("_")}
    assert modules == set(READERS.values())
    assert all((HERE / f"test_{module}.py").exists() for module in modules)


def test_content_decides_over_a_misleading_extension(tmp_path):
    cases = {
        "book.csv": xlsx({"S": [["氏名"], ["山田"]]}),
        "letter.txt": docx_bytes(["山田 太郎"], [["x"]]),
        "scan.jpg.csv": pdf([["山田 太郎"]]),
        "data.bin": parquet_bytes(pl.DataFrame({"氏名": ["山田"]})),
        "mail.txt": mail_with_attachment(b"x"),
        "export.xls": "氏名\t電話\n山田\t090-1234-5678\n鈴木\t080-1234-5678\n".encode("cp932"),
    }
    names = {name: collect(write(tmp_path, name, data))[0].name for name, data in cases.items()}
    assert names == {"book.csv": "book.csv#S", "letter.txt": "letter.txt",
                     "scan.jpg.csv": "scan.jpg.csv#page=1", "data.bin": "data.bin",
                     "mail.txt": "mail.txt", "export.xls": "export.xls"}
    (export,) = collect(tmp_path / "export.xls")
    assert isinstance(export.part, TablePart) and export.part.columns == ("氏名", "電話")


def test_missing_file_is_unreadable_not_an_exception(tmp_path):
    (read,) = collect(tmp_path / "gone.csv")
    assert read.code == "io"


def test_unreadable_reason_is_japanese_then_english(tmp_path):
    (read,) = collect(write(tmp_path, "x.csv", b"\x81\x39\xfe\xfe\xa0\x80" * 20))
    ja, en = read.part.reason.split(" / ", 1)
    assert not ja.isascii() and en.isascii()


def test_error_while_a_part_is_consumed_ends_it_and_is_reported_after_it():
    def failing_batches():
        yield pl.DataFrame({"a": ["1"]})
        raise ValueError("broken in the middle")

    def reader():
        yield TablePart(name="x.csv", columns=("a",), has_header=True, first_row=2,
                        batches=failing_batches())
        yield TablePart(name="y.csv", columns=("a",), has_header=True, first_row=2,
                        batches=iter([pl.DataFrame({"a": ["2"]})]))

    parts = readers._guarded(reader(), "x.csv")
    first = next(parts)
    assert [b.height for b in first.batches] == [1]
    report = next(parts)
    assert isinstance(report, Unreadable) and report.code == "corrupt"
    assert report.name == "x.csv" and "ValueError" in report.reason
    assert "broken in the middle" not in report.reason  # messages may carry personal data
    assert next(parts).name == "y.csv"


def test_reader_failing_outright_becomes_unreadable():
    def reader():
        raise KeyError("boom")
        yield  # pragma: no cover

    (report,) = list(readers._guarded(reader(), "z.xlsx"))
    assert report.code == "corrupt" and report.name == "z.xlsx"


def test_codes_cover_what_readers_produce(tmp_path):
    data = b"\x81\x39\xfe\xfe"
    assert all(p.code in CODES for p in read_parts(write(tmp_path, "q.csv", data), "q.csv",
                                                   Limits()) if isinstance(p, Unreadable))


def test_table_starting_with_a_bracket_is_not_taken_for_json(tmp_path):
    text = "[会員番号],氏名,電話\n[001],山田,090-1234-5678\n[002],鈴木,080-1234-5678\n"
    (read,) = collect(write(tmp_path, "members.dat", text))
    assert isinstance(read.part, TablePart) and read.part.columns[1:] == ("氏名", "電話")
