"""CSV/TSV reader: encodings as Japanese offices produce them, delimiters, headers, record-based
row numbers, ragged rows, batches."""

from __future__ import annotations

import pytest

from rouei.scanning.readers import Limits, read_parts

from .builders import HEADER, collect, csv_text, customers, excel_cp932_csv, write


def _one_table(reads):
    assert [r.code for r in reads] == [None], reads
    return reads[0]


def test_cp932_excel_csv_with_embedded_newline_counts_records_not_lines(tmp_path):
    rows = customers(5)
    rows[1][4] = "東京都千代田区千代田1-1\n皇居外苑ビル 3階"  # a cell with Alt+Enter
    path = write(tmp_path, "顧客.csv", excel_cp932_csv([HEADER, *rows]))
    assert b"\r\n" in path.read_bytes() and b'"' in path.read_bytes()

    read = _one_table(collect(path))

    assert read.part.encoding == "cp932"
    assert read.part.columns == tuple(HEADER)
    assert read.part.has_header and read.part.first_row == 2
    assert read.frame.height == 5
    assert read.frame["住所"][1] == "東京都千代田区千代田1-1\n皇居外苑ビル 3階"
    # The record after the two-line cell is spreadsheet row 4 (header row 1), not line 5.
    assert read.frame["氏名"][2] == rows[2][0]
    assert read.row_number(2) == 4


def test_utf8_with_bom_header_has_no_bom(tmp_path):
    path = write(tmp_path, "bom.csv", "\ufeff" + csv_text([HEADER, *customers(3)]))
    read = _one_table(collect(path))
    assert read.part.encoding == "utf-8-sig"
    assert read.part.columns[0] == "氏名"
    assert read.frame.height == 3


def test_euc_jp_is_not_mistaken_for_cp932(tmp_path):
    rows = customers(20)
    path = write(tmp_path, "euc.csv", csv_text([HEADER, *rows]).encode("euc_jp"))
    read = _one_table(collect(path))
    assert read.part.encoding == "euc_jp"
    assert read.frame["氏名"].to_list() == [r[0] for r in rows]


def test_cp932_half_width_kana_only_is_not_mistaken_for_euc_jp(tmp_path):
    # Old bank and payroll systems write names in half-width katakana; even-length runs of
    # those bytes also decode as EUC-JP kanji.
    text = "ｶﾅ,ﾃﾞﾝﾜ\r\nﾔﾏﾀﾞ,0312345678\r\nｽｽﾞｷ,0612345678\r\nｻﾄｳ,0901234567\r\n"
    path = write(tmp_path, "kana.csv", text.encode("cp932"))
    read = _one_table(collect(path))
    assert read.part.encoding == "cp932"
    assert read.frame["ｶﾅ"].to_list() == ["ﾔﾏﾀﾞ", "ｽｽﾞｷ", "ｻﾄｳ"]


def test_euc_jp_kanji_only_is_read_as_euc_jp(tmp_path):
    text = "氏名,住所\n山田太郎,東京都港区\n鈴木一郎,大阪府大阪市\n"
    path = write(tmp_path, "kanji.csv", text.encode("euc_jp"))
    assert _one_table(collect(path)).part.encoding == "euc_jp"


def test_tsv_is_split_on_tabs_even_with_commas_in_fields(tmp_path):
    rows = [["氏名", "住所", "電話"], ["山田", "東京都港区1-2-3, 4階", "03-1234-5678"],
            ["鈴木", "大阪府, 大阪市", "06-1234-5678"]]
    path = write(tmp_path, "list.tsv", csv_text(rows, delimiter="\t"))
    read = _one_table(collect(path))
    assert read.part.columns == ("氏名", "住所", "電話")
    assert read.frame["住所"].to_list() == ["東京都港区1-2-3, 4階", "大阪府, 大阪市"]


@pytest.mark.parametrize("delimiter", [";", "|"])
def test_semicolon_and_pipe_delimiters_are_detected(tmp_path, delimiter):
    path = write(tmp_path, "x.csv", csv_text([HEADER, *customers(4)], delimiter=delimiter))
    read = _one_table(collect(path))
    assert read.part.columns == tuple(HEADER)


def test_tab_separated_txt_export_is_read_as_a_table(tmp_path):
    path = write(tmp_path, "顧客リスト.txt", csv_text([HEADER, *customers(5)], delimiter="\t"))
    read = _one_table(collect(path))
    assert read.part.columns == tuple(HEADER)


def test_headerless_file_has_numbered_columns_and_starts_at_row_1(tmp_path):
    rows = customers(4)
    path = write(tmp_path, "noheader.csv", csv_text(rows))
    read = _one_table(collect(path))
    assert not read.part.has_header
    assert read.part.columns == ("0", "1", "2", "3", "4", "5")
    assert read.part.first_row == 1
    assert read.frame["0"].to_list() == [r[0] for r in rows]


def test_header_of_unknown_labels_over_numbers_is_a_header(tmp_path):
    path = write(tmp_path, "h.csv", "col1,col7\nA-1,090-1234-5678\nA-2,080-2345-6789\n")
    read = _one_table(collect(path))
    assert read.part.has_header and read.part.columns == ("col1", "col7")


def test_duplicate_and_empty_header_cells_get_unique_names(tmp_path):
    path = write(tmp_path, "dup.csv", "氏名,電話,電話,\n山田,03-1234-5678,090-1234-5678,x\n")
    read = _one_table(collect(path))
    assert read.part.columns == ("氏名", "電話", "電話_2", "3")


def test_ragged_rows_do_not_stop_the_scan(tmp_path):
    text = "氏名,電話\n山田,03-1234-5678\n鈴木\n佐藤,06-1234-5678,extra,more\n高橋,0120-123-456\n"
    path = write(tmp_path, "ragged.csv", text)
    read = _one_table(collect(path))
    assert read.part.columns == ("氏名", "電話", "2", "3")
    assert read.frame.height == 4
    assert read.frame.row(1) == ("鈴木", None, None, None)
    assert read.frame.row(2) == ("佐藤", "06-1234-5678", "extra", "more")
    assert read.row_number(3) == 5


def test_blank_lines_count_as_rows_like_a_spreadsheet(tmp_path):
    path = write(tmp_path, "blank.csv", "氏名,電話\n山田,03-1234-5678\n\n鈴木,06-1234-5678\n")
    read = _one_table(collect(path))
    assert read.frame["氏名"].to_list() == ["山田", None, "鈴木"]
    assert read.row_number(2) == 4


def test_large_file_comes_in_batches_of_the_limit(tmp_path):
    rows = [[f"山田{i}", f"090-0000-{i:04d}"] for i in range(2500)]
    path = write(tmp_path, "many.csv", csv_text([["氏名", "電話"], *rows]).encode("cp932"))
    parts = list(read_parts(path, "many.csv", Limits(batch_rows=1000, sample_bytes=4096)))
    batches = list(parts[0].batches)
    assert [b.height for b in batches] == [1000, 1000, 500]
    assert batches[2]["電話"][-1] == "090-0000-2499"


def test_encoding_sample_cut_inside_a_character_still_detects_utf8(tmp_path):
    # The head is cut at 1 KiB in the middle of a long line of three-byte characters.
    path = write(tmp_path, "long.csv", "氏名,備考\n山田," + "あ" * 2000 + "\n")
    read = _one_table(collect(path, limits=Limits(sample_bytes=1024)))
    assert read.part.encoding == "utf-8"
    assert read.frame["備考"][0] == "あ" * 2000


def test_undecodable_bytes_are_unreadable_with_encoding_code(tmp_path):
    path = write(tmp_path, "bad.csv", b"\x81\x39\xfe\xfe\xa0\x80" * 50)
    (read,) = collect(path)
    assert read.code == "encoding"
    assert "文字コード" in read.part.reason and "encoding" in read.part.reason


def test_empty_csv_gives_an_empty_table(tmp_path):
    (read,) = collect(write(tmp_path, "empty.csv", b""))
    assert read.code is None and read.frame.height == 0


def test_utf16_unicode_text_export_is_read(tmp_path):
    # Excel's 「Unicode テキスト」: UTF-16 LE with BOM, tab-separated.
    data = csv_text([HEADER, *customers(3)], delimiter="\t").encode("utf-16")
    read = _one_table(collect(write(tmp_path, "unicode.txt", data)))
    assert read.part.encoding == "utf-16"
    assert read.part.columns == tuple(HEADER)
    assert read.frame.height == 3


def test_headerless_names_and_addresses_are_not_taken_for_a_header(tmp_path):
    text = "山田 太郎,東京都港区芝公園1番地\n鈴木 花子,大阪府大阪市北区梅田2番地\n"
    read = _one_table(collect(write(tmp_path, "addr.csv", text)))
    assert not read.part.has_header and read.frame.height == 2


def test_header_of_japanese_labels_containing_aliases_is_a_header(tmp_path):
    text = "お客様氏名,送付先住所\n山田 太郎,東京都港区芝公園1番地\n"
    read = _one_table(collect(write(tmp_path, "labels.csv", text)))
    assert read.part.has_header and read.part.columns == ("お客様氏名", "送付先住所")


def test_cp932_transcoded_in_ranges_by_child_processes_is_the_whole_decode(tmp_path, monkeypatch):
    """A big CP932 file is cut at line feeds and decoded by child processes: the UTF-8 is the
    one-process decode, byte for byte, bad bytes (a lead byte before a line feed, 0xFF …) and
    an embedded newline included; a failing child's range is decoded in-process."""
    import io
    import random

    from rouei.scanning.readers import _encoding

    rng = random.Random(4)
    good = [ch.encode("cp932") for ch in "山田髙﨑ｱｶﾞ①,\"\r\n-0aＡ"]
    bad = [b"\x81\n", b"\xff", b"\x80", b"\xa0", b"\xfc\n", b"\x82"]
    data = b"".join(rng.choice(good) if rng.random() < 0.95 else rng.choice(bad)
                    for _ in range(60_000))
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    expected = data.decode("cp932", "replace").encode("utf-8")
    monkeypatch.setattr(_encoding, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(_encoding.os, "cpu_count", lambda: 4)
    assert len(_encoding._cuts(path, len(data))) == 3
    replaced = _replaced_bytes_of(data, "cp932")
    out = io.BytesIO()
    before = _encoding.replaced_bytes()
    _encoding.transcode(path, "cp932", out, tmp_path)
    assert out.getvalue() == expected
    assert _encoding.replaced_bytes() - before == replaced  # the children's counts come back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]  # parts removed

    monkeypatch.setattr(_encoding, "_CHILD", "raise SystemExit(3)")
    out = io.BytesIO()
    before = _encoding.replaced_bytes()
    _encoding.transcode(path, "cp932", out, tmp_path)
    assert out.getvalue() == expected
    assert _encoding.replaced_bytes() - before == replaced


def _replaced_bytes_of(data: bytes, encoding: str) -> int:
    """Bytes a strict decoder rejects, decoding on after each (our own count, not the reader's)."""
    count, at = 0, 0
    while at < len(data):
        try:
            data[at:].decode(encoding)
            break
        except UnicodeDecodeError as exc:
            count += exc.end - exc.start
            at += exc.end
    return count


def test_title_notes_and_blank_lines_above_the_header_are_a_preamble(tmp_path):
    rows = customers(3)
    text = csv_text([["顧客一覧（2024年4月末時点）", "", ""], ["出力日", "2024/05/01", ""], [],
                     HEADER, *rows])
    path = write(tmp_path, "顧客.csv", excel_cp932_csv([]) + text.encode("cp932"))

    preamble, table = collect(path)

    assert preamble.lines == [(1, "顧客一覧（2024年4月末時点）"), (2, "出力日 2024/05/01")]
    assert table.part.has_header and table.part.columns == tuple(HEADER)
    assert table.part.first_row == 5
    assert table.frame.height == 3
    assert table.frame["氏名"].to_list() == [r[0] for r in rows]
    assert table.row_number(0) == 5


def test_a_data_row_with_few_cells_is_not_taken_for_a_preamble(tmp_path):
    # No header at all: the first records are data, even the short one.
    path = write(tmp_path, "data.csv", csv_text([
        ["山田 太郎", "", ""], ["鈴木 花子", "03-1234-5678", "hanako@example.jp"],
        ["佐藤 一郎", "090-1234-5678", "ichiro@example.jp"]]))
    (table,) = collect(path)
    assert not table.part.has_header and table.frame.height == 3


# Silent misses (issue 14): what cannot be decoded is read another way or counted -------------

@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be", "utf-16-le",
                                      "utf-16-be"])
def test_utf32_and_bomless_utf16_csv_are_read_as_tables(tmp_path, encoding):
    rows = customers(4)
    data = csv_text([HEADER, *rows]).encode(encoding)
    read = _one_table(collect(write(tmp_path, "wide.csv", data)))
    assert read.part.encoding == encoding
    assert read.part.columns == tuple(HEADER)
    assert read.frame["氏名"].to_list() == [r[0] for r in rows]


def test_utf8_bom_then_cp932_lines_are_read_as_cp932_and_counted(tmp_path):
    rows = customers(6)
    data = (b"\xef\xbb\xbf" + csv_text([HEADER, *rows[:2]]).encode()
            + csv_text(rows[2:]).encode("cp932"))
    read = _one_table(collect(write(tmp_path, "merged.csv", data)))
    assert read.part.columns == tuple(HEADER)
    assert read.frame["氏名"].to_list() == [r[0] for r in rows]
    assert read.part.skipped == {"fallback_lines": 4}


def test_bytes_no_encoding_decodes_are_counted_with_their_records(tmp_path):
    rows = customers(60)
    data = bytearray(csv_text([HEADER, *rows]).encode())
    # the @ of two e-mails overwritten with a byte that is never UTF-8, far from the head
    for at in (data.rindex(b"@", 0, len(data) - 300), data.rindex(b"@")):
        data[at] = 0xFF
    read = _one_table(collect(write(tmp_path, "damaged.csv", bytes(data))))
    assert read.part.encoding == "utf-8"
    assert read.part.skipped == {"replaced_characters": 2, "replaced_rows": 2}


def test_a_few_bad_bytes_in_the_head_of_utf8_do_not_turn_it_into_cp932(tmp_path):
    rows = customers(60)
    data = bytearray(csv_text([HEADER, *rows]).encode())
    data[len(csv_text([HEADER]).encode()) + 1] = 0xFF  # in the first record
    read = _one_table(collect(write(tmp_path, "damaged.csv", bytes(data))))
    assert read.part.encoding == "utf-8"
    assert read.frame["氏名"][5] == rows[5][0]
    assert read.part.skipped["replaced_rows"] == 1


def test_a_bad_byte_in_place_of_a_line_feed_leaves_the_rest_of_the_file_read(tmp_path):
    # The first record's CRLF became CR + a byte that is never UTF-8 (found by the fuzz test):
    # polars' skip_rows then refused the whole file.
    rows = customers(40)
    data = bytearray(csv_text([HEADER, *rows]).encode())
    data[data.index(b"\r\n", data.index(b"\r\n") + 2) + 1] = 0x80
    read = _one_table(collect(write(tmp_path, "damaged.csv", bytes(data))))
    assert read.frame["氏名"][-1] == rows[-1][0]


def test_bytes_no_encoding_decodes_in_a_cp932_csv_are_counted(tmp_path):
    rows = customers(30)
    data = excel_cp932_csv([HEADER, *rows]).replace(b"@", b"\x85@", 2)  # 85 40: no character
    read = _one_table(collect(write(tmp_path, "bad.csv", data)))
    assert read.part.encoding == "cp932"
    assert read.part.skipped == {"replaced_bytes": 2, "replaced_characters": 2, "replaced_rows": 2}
