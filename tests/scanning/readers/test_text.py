"""Plain-text reader: lines as an editor numbers them, decoded with the detected encoding."""

from __future__ import annotations

from rouei.scanning.readers import Limits

from .builders import collect, write


def test_cp932_text_lines_with_crlf_have_no_trailing_cr(tmp_path):
    text = "お客様各位\r\n山田 太郎 様の電話番号は 090-1234-5678 です。\r\n\r\n以上\r\n"
    (read,) = collect(write(tmp_path, "memo.txt", text.encode("cp932")))
    assert read.part.encoding == "cp932"
    assert read.lines == [(1, "お客様各位"), (2, "山田 太郎 様の電話番号は 090-1234-5678 です。"),
                          (3, ""), (4, "以上")]


def test_euc_jp_text_is_decoded(tmp_path):
    (read,) = collect(write(tmp_path, "a.log", "東京都港区の山田です\n".encode("euc_jp")))
    assert read.part.encoding == "euc_jp"
    assert read.lines == [(1, "東京都港区の山田です")]


def test_line_longer_than_the_limit_comes_in_pieces_with_one_number(tmp_path):
    path = write(tmp_path, "long.txt", "a" * 25 + "\nnext\n")
    (read,) = collect(path, limits=Limits(max_line_chars=10))
    assert [n for n, _ in read.lines] == [1, 1, 1, 2]
    assert "".join(line for n, line in read.lines if n == 1) == "a" * 25


def test_binary_file_is_unsupported(tmp_path):
    (read,) = collect(write(tmp_path, "blob.bin", bytes(range(256)) * 4))
    assert read.code == "unsupported"


def test_png_is_unsupported_by_its_magic(tmp_path):
    (read,) = collect(write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))
    assert read.code == "unsupported"


def test_bytes_no_encoding_decodes_are_counted_by_line(tmp_path):
    text = "山田 太郎 様より連絡あり\n" * 40
    data = bytearray(text.encode())
    data[-30] = 0xFF  # in line 40
    (read,) = collect(write(tmp_path, "memo.txt", bytes(data)))
    assert read.part.encoding == "utf-8"
    assert read.part.skipped == {"replaced_bytes": 1, "replaced_characters": 1, "replaced_lines": 1}


def test_utf8_bom_then_cp932_text_reads_every_line(tmp_path):
    data = "\ufeff件名: ご連絡\n".encode() + "山田 太郎 様 090-1234-5678\n".encode("cp932")
    (read,) = collect(write(tmp_path, "memo.txt", data))
    assert read.lines == [(1, "件名: ご連絡"), (2, "山田 太郎 様 090-1234-5678")]
    assert read.part.skipped == {"fallback_lines": 1}
