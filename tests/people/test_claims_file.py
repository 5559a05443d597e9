"""A call centre's bulk claims file: Excel's encodings read, a bad byte or header stopped with
the line it is on (never names silently garbled into refusals)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.core.errors import ActionError
from rouei.people.claims_file import read_claims

HEADER = "ref,birth_date,name\r\n"


def _write(tmp_path, text: str, encoding: str):
    path = tmp_path / "claims.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_excel_encodings_give_the_names_as_typed(tmp_path, encoding):
    path = _write(tmp_path, HEADER + "ABCD-EFGH-JKLM,1990-12-24,髙橋 ﾊﾅｺ\r\n", encoding)
    assert read_claims(path)[0]["name"] == "髙橋 ﾊﾅｺ"


def test_a_byte_neither_encoding_takes_names_its_line(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(HEADER.encode() + b"ABCD-EFGH-JKLM,1990-12-24,ok\r\nX,1990-01-01,\x82\xff\r\n")
    with pytest.raises(ActionError, match="3 行目"):
        read_claims(path)


def test_a_file_without_birth_date_column_is_refused(tmp_path):
    path = _write(tmp_path, "ref,name\r\nABCD-EFGH-JKLM,佐藤\r\n", "utf-8")
    with pytest.raises(ActionError, match="birth_date"):
        read_claims(path)


def test_a_larger_file_than_the_bound_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("rouei.people.claims_file.MAX_BYTES", 10)
    path = _write(tmp_path, HEADER + "ABCD-EFGH-JKLM,1990-12-24,佐藤\r\n", "utf-8")
    with pytest.raises(ActionError, match="大きすぎます"):
        read_claims(path)


# Six characters CP932 maps to others on the way back (‖ → ∥): not what a CP932 file holds.
_CP932_TEXT = st.text(st.characters(codec="cp932", exclude_categories=("Cs", "Cc"),
                                    exclude_characters="¢£¬‖−〜"), max_size=12)


@given(rows=st.lists(st.tuples(_CP932_TEXT, _CP932_TEXT, _CP932_TEXT), max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
def test_any_excel_written_file_reads_back_row_for_row(tmp_path_factory, rows, encoding):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["ref", "birth_date", "name"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("claims") / "claims.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    assert [(c["ref"], c["birth_date"], c["name"]) for c in read_claims(path)] == rows
