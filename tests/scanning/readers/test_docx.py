"""Word reader: paragraphs and table cells as lines."""

from __future__ import annotations

from .builders import collect, docx_bytes, write


def test_paragraphs_and_table_cells_are_lines_in_document_order(tmp_path):
    data = docx_bytes(["顧客情報の一覧", "担当: 山田 太郎"],
                      [["氏名", "電話"], ["鈴木 花子", "090-1234-5678"]])
    (read,) = collect(write(tmp_path, "report.docx", data))
    assert read.name == "report.docx"
    assert read.lines == [(1, "顧客情報の一覧"), (2, "担当: 山田 太郎"), (3, "氏名"), (4, "電話"),
                          (5, "鈴木 花子"), (6, "090-1234-5678")]


def test_truncated_docx_is_unreadable(tmp_path):
    data = docx_bytes(["山田"], [["a"]])
    (read,) = collect(write(tmp_path, "cut.docx", data[: len(data) // 2]))
    assert read.code == "corrupt"


def test_docx_is_recognised_by_content_whatever_its_extension(tmp_path):
    data = docx_bytes(["山田 太郎"], [["x"]])
    (read,) = collect(write(tmp_path, "attachment.bin", data))
    assert read.lines[0] == (1, "山田 太郎")
