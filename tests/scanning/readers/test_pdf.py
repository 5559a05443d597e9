"""PDF reader: text per page, encrypted and text-less PDFs reported."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from .builders import collect, pdf, write


def test_each_page_is_a_text_part_with_its_lines(tmp_path):
    data = pdf([["顧客名: 山田 太郎", "電話 090-1234-5678"], ["2ページ目 taro@example.jp"]])
    first, second = collect(write(tmp_path, "list.pdf", data))
    assert first.name == "list.pdf#page=1"
    assert first.lines == [(1, "顧客名: 山田 太郎"), (2, "電話 090-1234-5678")]
    assert second.name == "list.pdf#page=2"
    assert second.lines == [(1, "2ページ目 taro@example.jp")]


def test_pdf_without_text_is_reported_as_no_text(tmp_path):
    (read,) = collect(write(tmp_path, "scan.pdf", pdf([[], []])))
    assert read.code == "no_text"


def test_password_protected_pdf_is_unreadable_encrypted(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf([["山田 太郎"]]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    (read,) = collect(write(tmp_path, "locked.pdf", buffer.getvalue()))
    assert read.code == "encrypted"


def test_truncated_pdf_does_not_stop_the_scan(tmp_path):
    data = pdf([["山田 太郎"]] * 3)
    reads = collect(write(tmp_path, "cut.pdf", data[: len(data) // 3]))
    assert reads and all(r.code in (None, "corrupt", "no_text") for r in reads)
