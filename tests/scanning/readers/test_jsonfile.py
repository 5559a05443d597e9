"""JSON and JSON Lines reader: dotted keys, line-number rows, bad lines skipped and counted."""

from __future__ import annotations

import json

from rouei.scanning.readers import Limits

from .builders import collect, json_lines, write

RECORDS = [
    {"id": 1, "name": "山田 太郎", "contact": {"tel": "090-1234-5678", "mail": "taro@example.jp"},
     "tags": ["vip", "tokyo"]},
    {"id": 2, "name": "鈴木 花子", "contact": {"tel": "03-1234-5678"}, "active": True,
     "score": 1.50},
]


def test_array_of_objects_is_a_table_with_dotted_keys(tmp_path):
    path = write(tmp_path, "customers.json", json.dumps(RECORDS, ensure_ascii=False, indent=2))
    (read,) = collect(path)
    assert read.name == "customers.json"
    assert read.part.columns == ("id", "name", "contact.tel", "contact.mail", "tags.0",
                                 "tags.1", "active", "score")
    assert read.part.first_row == 1
    assert read.frame["contact.tel"].to_list() == ["090-1234-5678", "03-1234-5678"]
    assert read.frame["id"].to_list() == ["1", "2"]
    assert read.frame["active"].to_list() == [None, "true"]
    assert read.frame["score"].to_list() == [None, "1.5"]


def test_nested_array_is_its_own_table_and_other_leaves_are_text(tmp_path):
    document = {"exported": "2024-05-01", "owner": {"mail": "admin@example.jp"},
                "customers": RECORDS}
    path = write(tmp_path, "export.json", json.dumps(document, ensure_ascii=False))
    table, text = collect(path)
    assert table.name == "export.json#customers"
    assert table.part.table == "customers"  # the findings' ``table`` key
    assert table.frame["contact.mail"].to_list() == ["taro@example.jp", None]
    assert text.name == "export.json"
    assert text.lines == [(1, "exported: 2024-05-01"), (2, "owner.mail: admin@example.jp")]


def test_json_lines_rows_are_line_numbers_and_bad_lines_are_counted(tmp_path):
    body = json_lines(RECORDS[:1]) + '{"name": "broken", \n' + "\n" + json_lines(RECORDS[1:])
    path = write(tmp_path, "events.jsonl", body)
    (read,) = collect(path)
    assert read.code is None
    assert read.part.first_row == 1
    assert read.frame["name"].to_list() == ["山田 太郎", "鈴木 花子"]
    assert [read.row_number(0), read.row_number(1)] == [1, 4]
    assert read.part.skipped == {"bad_json_line": 1}
    assert "contact.tel" in read.part.columns
    assert read.part.row_numbers_column not in read.part.columns


def test_json_lines_without_extension_is_sniffed(tmp_path):
    (read,) = collect(write(tmp_path, "dump", json_lines(RECORDS * 3)))
    assert read.frame.height == 6 and read.part.row_numbers_column


def test_json_lines_too_long_line_is_a_bad_line(tmp_path):
    body = json_lines([{"note": "x" * 100}, {"name": "山田"}])
    (read,) = collect(write(tmp_path, "a.jsonl", body), limits=Limits(max_line_chars=50))
    assert read.frame["name"].to_list() == ["山田"]
    assert read.part.skipped == {"bad_json_line": 1}


def test_invalid_json_is_still_scanned_as_text(tmp_path):
    path = write(tmp_path, "cut.json", '[{"name": "山田", "tel": "090-1234-5678"}, {"na')
    (read,) = collect(path)
    assert read.part.skipped == {"invalid_json": 1}
    assert read.lines[0][1].startswith('[{"name": "山田"')


def test_json_over_the_size_limit_is_read_as_text_lines(tmp_path):
    path = write(tmp_path, "big.json", json.dumps(RECORDS, ensure_ascii=False, indent=1))
    (read,) = collect(path, limits=Limits(max_json_bytes=100))
    assert read.part.skipped == {"json_too_large": 1}
    assert any("090-1234-5678" in line for _, line in read.lines)


def test_lone_surrogate_escapes_do_not_break_the_table(tmp_path):
    body = '{"name": "\\ud800山田", "\\udfffkey": "x"}\n{"name": "鈴木"}\n'
    (read,) = collect(write(tmp_path, "s.jsonl", body))
    assert read.frame["name"].to_list() == ["\ufffd山田", "鈴木"]
    assert "\ufffdkey" in read.part.columns
