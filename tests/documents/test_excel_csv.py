"""CSV for Excel in Japan: CP932, CRLF, no formula injection, nothing raises."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from rouei.documents.renderers.excel_csv import excel_csv


def _read(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))


def test_japanese_text_is_cp932_with_crlf_and_numbers_stay_numbers():
    data = excel_csv(["ファイル", "件数"], [["顧客一覧.csv", 1001], ["名簿,2024.csv", 3]])
    assert data == "ファイル,件数\r\n顧客一覧.csv,1001\r\n\"名簿,2024.csv\",3\r\n".encode("cp932")


def test_characters_cp932_writes_elsewhere_are_kept():
    # WAVE DASH and MINUS SIGN: the usual mojibake of Japanese CSV
    assert _read(excel_csv(["期間"], [["4月〜6月 −5%"]]))[1] == ["4月～6月 －5%"]


def test_a_cell_excel_would_run_as_a_formula_is_written_as_text():
    rows = _read(excel_csv(["列"], [["=HYPERLINK(\"http://x\")"], ["+81"], ["-1"], ["@SUM(A1)"]]))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+81", "'-1", "'@SUM(A1)"]
    assert _read(excel_csv(["n"], [[-1]]))[1] == ["-1"]  # a number is not a formula


@given(st.lists(st.lists(st.one_of(st.text(), st.integers(), st.none()), min_size=1,
                         max_size=4), max_size=5))
def test_any_table_is_written_and_reads_back_row_for_row(rows):
    data = excel_csv(["a"], rows)
    assert len(_read(data)) == len(rows) + 1
