"""Types from the content: recorded as data, never a reason to refuse a file."""

from __future__ import annotations

import io
import zipfile

import pytest

from rouei.evidence.filetypes import HEAD_BYTES, detect, detect_head, media_type


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("head, kind", [
    (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
    (b"GIF89a\x01\x00", "gif"),
    (b"EVF\x09\x0d\x0a\xff\x00\x01", "disk_image"),  # EnCase E01
    (b"QFI\xfb\x00\x00\x00\x03", "disk_image"),
    (b"\x00" * 510 + b"\x55\xaa" + b"\x00" * 100, "disk_image"),  # raw dd image with an MBR
    (b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00", "pcap"),
    (b"ElfFile\x00\x00", "evtx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "ole"),
    (b"From: shop@example.jp\r\nTo: taro@example.com\r\nSubject: =?UTF-8?B?5rOo5paH?=\r\n\r\n",
     "eml"),
    ("氏名,電話番号\n山田太郎,090-1234-5678\n佐藤花子,080-0000-0000\n".encode("cp932"), "csv"),
    ("2026-11-18 10:20 不正なスクリプトを検知\n".encode(), "text"),
    (b'{"alert": "skimming"}', "json"),
    (b"", "empty"),
    (bytes(range(256)) * 4, "binary"),
])
def test_detect_head_names_the_type(head, kind):
    assert detect_head(head) == kind


def test_detect_office_files_by_their_members(tmp_path):
    cases = {"book.bin": (["[Content_Types].xml", "xl/workbook.xml"], "xlsx"),
             "letter.bin": (["[Content_Types].xml", "word/document.xml"], "docx"),
             "logs.bin": (["logs/access.log"], "zip")}
    for name, (members, kind) in cases.items():
        path = tmp_path / name
        path.write_bytes(_zip(members))
        assert detect(path) == kind


def test_detect_long_text_cut_inside_a_character_is_still_text(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(("あ" * HEAD_BYTES).encode())  # 3 bytes each: the head ends mid-character
    assert detect(path) == "text"


def test_media_type_of_disk_images_and_unknowns_is_octet_stream():
    assert media_type("disk_image") == media_type("binary") == "application/octet-stream"
    assert media_type("pdf") == "application/pdf"
