"""Parquet reader: every column as a string, structs dotted, batches."""

from __future__ import annotations

import datetime as dt

import polars as pl

from rouei.scanning.readers import Limits

from .builders import collect, parquet_bytes, write


def test_parquet_columns_become_strings_and_structs_dotted_keys(tmp_path):
    frame = pl.DataFrame({
        "id": [1, 2],
        "name": ["山田 太郎", "鈴木 花子"],
        "birth": [dt.date(1990, 1, 1), dt.date(1985, 12, 31)],
        "contact": [{"tel": "090-1234-5678", "mail": "taro@example.jp"},
                    {"tel": "03-1234-5678", "mail": None}],
        "phones": [["090-1111-2222", "03-3333-4444"], []],
        "raw": [b"\xe5\xb1\xb1\xe7\x94\xb0", b"\xff"],
    })
    (read,) = collect(write(tmp_path, "customers.parquet", parquet_bytes(frame)))
    assert read.part.columns == ("id", "name", "birth", "contact.tel", "contact.mail", "phones",
                                 "raw")
    assert read.part.first_row == 1
    assert read.frame.schema == pl.Schema(dict.fromkeys(read.part.columns, pl.String))
    assert read.frame.row(0) == ("1", "山田 太郎", "1990-01-01", "090-1234-5678",
                                 "taro@example.jp", "090-1111-2222 03-3333-4444", "山田")
    assert read.frame["raw"][1] == "\ufffd"


def test_list_of_structs_is_written_as_json(tmp_path):
    frame = pl.DataFrame({"orders": [[{"item": "本", "tel": "090-1234-5678"}]]})
    (read,) = collect(write(tmp_path, "o.parquet", parquet_bytes(frame)))
    assert "090-1234-5678" in read.frame["orders"][0]


def test_parquet_comes_in_batches(tmp_path):
    frame = pl.DataFrame({"n": [str(i) for i in range(2500)]})
    path = write(tmp_path, "n.parquet", parquet_bytes(frame))
    (read,) = collect(path, limits=Limits(batch_rows=1000))
    assert read.frame["n"].to_list() == frame["n"].to_list()


def test_truncated_parquet_is_unreadable(tmp_path):
    data = parquet_bytes(pl.DataFrame({"name": ["山田"] * 100}))
    (read,) = collect(write(tmp_path, "cut.parquet", data[: len(data) // 2]))
    assert read.code == "corrupt"
