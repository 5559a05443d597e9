"""A member list (会員名簿) exported with its headers spaced out (氏　名, 電 話 番 号) and qualified
(電話番号（携帯）, メールアドレス（PC）, フリガナ（全角カナ）): each column is named by its header, as
the catalogue reads a header (``items.fold_header``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rouei.scanning.columns import header_category
from rouei.scanning.engine import ScanOptions, scan
from tests.scanning.readers.builders import csv_text, excel_cp932_csv

MEMBERS = [
    ("山田 太郎", "ヤマダ タロウ", "100-0001", "東京都千代田区千代田1-1", "090-1234-5678",
     "taro@example.jp", "1985-04-01"),
    ("佐藤 花子", "サトウ ハナコ", "530-0001", "大阪府大阪市北区梅田1-2-3", "080-2222-3333",
     "hanako@example.jp", "1990-12-24"),
    ("鈴木 一郎", "スズキ イチロウ", "460-0008", "愛知県名古屋市中区栄3-4-5", "070-3333-4444",
     "ichiro@example.jp", "1970-01-15"),
    ("高橋 美咲", "タカハシ ミサキ", "810-0001", "福岡県福岡市中央区天神2-1-1", "090-5555-6666",
     "misaki@example.jp", "1995-07-07"),
    ("田中 健太", "タナカ ケンタ", "060-0001", "北海道札幌市中央区北一条西4-2", "080-7777-8888",
     "kenta@example.jp", "1982-03-30"),
    ("伊藤 由美", "イトウ ユミ", "980-0811", "宮城県仙台市青葉区一番町1-1-1", "070-9999-0000",
     "yumi@example.jp", "1978-11-11"),
]
HEADERS = {
    "氏\u3000名": "person_name",
    "フリガナ（全角カナ）": "name_kana",
    "郵便番号（〒）": "postal_code",
    "住\u3000所": "address",
    "電話番号（携帯）": "phone",
    "メールアドレス（PC）": "email",
    "生 年 月 日": "birth_date",
}


def _columns(folder: Path) -> dict[str, dict]:
    """The classified columns of the folder's one table (a title above it is a text part)."""
    report = scan([folder], ScanOptions(workers=1))
    return {c["column"]: c for part in report.to_dict()["files"] if part["kind"] == "table"
            for c in part["columns"]}


@pytest.fixture(scope="module")
def member_list_columns(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("leak")
    (folder / "会員名簿.csv").write_bytes(excel_cp932_csv([list(HEADERS), *map(list, MEMBERS)]))
    return _columns(folder)


@pytest.mark.parametrize(("header", "item"), HEADERS.items())
def test_a_spaced_or_qualified_header_names_its_column(member_list_columns, header, item):
    assert member_list_columns[header]["category"] == item


@pytest.mark.parametrize("header", HEADERS)
def test_the_column_is_named_by_its_header(member_list_columns, header):
    assert member_list_columns[header]["by_header"] is True


def test_a_spaced_header_below_a_title_is_found(tmp_path):
    rows = [["会員名簿（2026年11月末現在）"], ["氏\u3000名", "住\u3000所", "電 話 番 号"],
            *[[name, address, phone] for name, _, _, address, phone, _, _ in MEMBERS]]
    (tmp_path / "members.csv").write_text(csv_text(rows), encoding="utf-8")
    assert _columns(tmp_path)["住\u3000所"]["category"] == "address"


@pytest.mark.parametrize(("header", "item"), [("氏名（全角カナ）", "name_kana"),
                                              ("氏名（漢字）", "person_name"),
                                              ("商品\u3000コード", None)])
def test_header_category_reads_a_qualifier_as_the_catalogue_does(header, item):
    assert header_category(header) == item
