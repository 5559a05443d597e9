"""XLSX reader: every sheet, cells as a person sees them, sheet row numbers, damaged books."""

from __future__ import annotations

from .builders import collect, write, xlsx


def test_every_sheet_is_a_table_named_book_hash_sheet(tmp_path):
    book = xlsx({
        "顧客": [["氏名", "電話番号", "生年月日", "ポイント", "会員"],
                 ["山田 太郎", 9012345678, ("date", 32874), 1.5, True],
                 ["鈴木 花子", "03-1234-5678", ("date", 45000.5), 120, False]],
        "メモ": [["山田 太郎", "090-1234-5678"], ["鈴木 花子", "080-2345-6789"]],
    })
    customers, memo = collect(write(tmp_path, "book.xlsx", book))

    assert customers.name == "book.xlsx#顧客"
    assert customers.part.has_header and customers.part.first_row == 2
    assert customers.part.columns == ("氏名", "電話番号", "生年月日", "ポイント", "会員")
    assert customers.frame.row(0) == ("山田 太郎", "9012345678", "1990-01-01", "1.5", "TRUE")
    assert customers.frame.row(1) == ("鈴木 花子", "03-1234-5678", "2023-03-15 12:00:00",
                                      "120", "FALSE")
    assert memo.name == "book.xlsx#メモ"
    assert not memo.part.has_header and memo.part.first_row == 1
    assert memo.part.columns == ("0", "1")
    assert memo.frame.height == 2


def test_table_lower_on_the_sheet_keeps_the_sheet_row_numbers(tmp_path):
    book = xlsx({"Sheet1": [["氏名", "電話"], ["山田", "090-1234-5678"]]}, first_row=3)
    (read,) = collect(write(tmp_path, "low.xlsx", book))
    assert read.part.first_row == 4
    assert read.row_number(0) == 4


def test_truncated_workbook_is_unreadable_corrupt(tmp_path):
    book = xlsx({"顧客": [["氏名"], ["山田"]] * 50})
    (read,) = collect(write(tmp_path, "cut.xlsx", book[: len(book) // 2]))
    assert read.code == "corrupt"
    assert read.name == "cut.xlsx"


def test_workbook_missing_its_sheet_part_is_unreadable(tmp_path):
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx({"S": [["氏名"], ["山田"]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if "worksheets" not in info.filename:
                target.writestr(info, source.read(info))
    reads = collect(write(tmp_path, "hollow.xlsx", buffer.getvalue()))
    assert [r.code for r in reads] == ["corrupt"]


def test_text_renamed_xlsx_is_unreadable_not_an_error(tmp_path):
    (read,) = collect(write(tmp_path, "fake.xlsx", b"\x00\x01not a workbook at all"))
    assert read.code in ("corrupt", "unsupported")


def test_headerless_range_off_column_a_is_numbered_by_sheet_column(tmp_path):
    book = xlsx({"S": [[None, None, "山田", "090-1234-5678"],
                       [None, None, "鈴木", "080-2345-6789"]]}, first_row=2)
    (read,) = collect(write(tmp_path, "offset.xlsx", book))
    assert read.part.columns == ("2", "3")  # columns C and D
    assert read.part.first_row == 2 and read.frame.height == 2
    assert "山田" in read.frame.row(0)


def test_title_and_blank_rows_above_the_header_are_a_preamble(tmp_path):
    # As many Japanese sheets are laid out: a title, a date, a blank row, then the header.
    book = xlsx({"顧客": [["顧客一覧（2024年4月末時点）", None, None],
                          ["作成者: 営業部 山田太郎", None, None],
                          [None, None, None],
                          ["氏名", "電話番号", "メールアドレス"],
                          ["鈴木 花子", "03-1234-5678", "hanako@example.jp"],
                          ["佐藤 一郎", "090-1234-5678", "ichiro@example.jp"]]}, first_row=2)
    preamble, table = collect(write(tmp_path, "title.xlsx", book))

    assert preamble.name == table.name == "title.xlsx#顧客"
    assert preamble.lines == [(2, "顧客一覧（2024年4月末時点）"), (3, "作成者: 営業部 山田太郎")]
    assert table.part.has_header and table.part.columns == ("氏名", "電話番号", "メールアドレス")
    assert table.frame.height == 2
    assert table.row_number(0) == 6  # sheet row of 鈴木 花子
