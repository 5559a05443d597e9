"""A column that names the company's own people in a record (担当者名: the clerk who took the
call, the sales rep, the author): their names are personal information and are reported as
person_name findings, but the record is not theirs — the column is neither the record's key
nor a person of the count, in CSV, XLSX and database dumps alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning.columns import classify, staff_header
from tests.scanning.readers.builders import csv_text, xlsx
from tests.scanning.scan_helpers import scan_folder

CUSTOMERS = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健太", "伊藤 由美",
             "渡辺 直樹", "中村 彩", "小林 誠", "加藤 恵子", "吉田 翔", "山本 真理子"]
CLERKS = ["松本 和也", "井上 千尋", "木村 拓真"]


def _calls(header: list[str]) -> list[list[str]]:
    """A call log: each customer called twice, each call taken by one of three clerks."""
    rows = [header]
    for i in range(2 * len(CUSTOMERS)):
        customer = CUSTOMERS[i % len(CUSTOMERS)]
        rows.append([customer, f"090-1234-{i % len(CUSTOMERS):04d}", CLERKS[i % len(CLERKS)],
                     "2026-11-0" + str(1 + i % 9)])
    return rows


def _csv(tmp_path: Path, header: list[str]) -> Path:
    folder = tmp_path / "leak"
    folder.mkdir(exist_ok=True)
    (folder / "calls.csv").write_text(csv_text(_calls(header)), encoding="utf-8")
    return folder


STAFF_HEADER = ["お客様名", "電話番号", "担当者名", "受付日"]


def test_a_clerk_column_is_reported_as_names(tmp_path):
    _, findings = scan_folder(_csv(tmp_path, STAFF_HEADER), tmp_path)
    in_column = [f for f in findings if f.get("column") == "担当者名"]
    assert len(in_column) == 2 * len(CUSTOMERS)
    assert {f["category"] for f in in_column} == {"person_name"}


def test_a_clerk_column_adds_to_the_report_count_of_names(tmp_path):
    report, _ = scan_folder(_csv(tmp_path, STAFF_HEADER), tmp_path)
    assert report.totals["person_name"] == 2 * 2 * len(CUSTOMERS)  # customers' and clerks'


def test_a_clerk_column_does_not_change_the_people(tmp_path):
    folder = _csv(tmp_path, STAFF_HEADER)
    report, _ = scan_folder(folder, tmp_path)
    assert report.people.people == len(CUSTOMERS)


def test_the_people_are_those_of_the_table_without_its_clerk_column(tmp_path):
    folder = tmp_path / "without"
    folder.mkdir()
    rows = [[cell for j, cell in enumerate(row) if j != 2] for row in _calls(STAFF_HEADER)]
    (folder / "calls.csv").write_text(csv_text(rows), encoding="utf-8")
    without, _ = scan_folder(folder, tmp_path)
    with_staff, _ = scan_folder(_csv(tmp_path, STAFF_HEADER), tmp_path)
    assert with_staff.to_dict()["people_detail"]["people"] == \
        without.to_dict()["people_detail"]["people"]


def test_the_report_says_how_many_clerks_were_left_out(tmp_path):
    report, _ = scan_folder(_csv(tmp_path, STAFF_HEADER), tmp_path)
    detail = report.to_dict()["people_detail"]
    assert detail["tables"]["staff_excluded"] == len(CLERKS)


def test_the_column_is_listed_as_staff(tmp_path):
    report, _ = scan_folder(_csv(tmp_path, STAFF_HEADER), tmp_path)
    columns = {c["column"]: c for c in report.to_dict()["files"][0]["columns"]}
    assert columns["担当者名"]["staff"] is True
    assert columns["お客様名"]["staff"] is False


def test_a_row_with_only_a_clerk_is_no_person(tmp_path):
    folder = tmp_path / "leak"
    folder.mkdir()
    rows = [["問い合わせ番号", "担当者", "受付日"]]
    rows += [[f"Q{i:05d}", CLERKS[i % len(CLERKS)], "2026-11-01"] for i in range(20)]
    (folder / "log.csv").write_text(csv_text(rows), encoding="utf-8")
    report, findings = scan_folder(folder, tmp_path)
    assert report.people.people == 0
    assert len([f for f in findings if f["category"] == "person_name"]) == 20


def test_a_customer_name_column_stays_the_key(tmp_path):
    folder = tmp_path / "leak"
    folder.mkdir()
    rows = [["氏名", "担当者名"]]
    rows += [[CUSTOMERS[i], CLERKS[i % len(CLERKS)]] for i in range(len(CUSTOMERS))]
    (folder / "list.csv").write_text(csv_text(rows), encoding="utf-8")
    report, _ = scan_folder(folder, tmp_path)
    assert report.people.people == len(CUSTOMERS)


def test_a_clerk_column_in_a_workbook(tmp_path):
    folder = tmp_path / "leak"
    folder.mkdir()
    (folder / "calls.xlsx").write_bytes(xlsx({"受付": _calls(STAFF_HEADER)}))
    report, findings = scan_folder(folder, tmp_path)
    assert len([f for f in findings if f.get("column") == "担当者名"]) == 2 * len(CUSTOMERS)
    assert report.people.people == len(CUSTOMERS)


# EC-CUBE's columns: the customer's name split over name01 / name02 beside a clerk's whole name
MYSQL_DUMP = """CREATE TABLE `dtb_contact` (
  `contact_id` int(11) NOT NULL,
  `name01` varchar(255) NOT NULL,
  `name02` varchar(255) NOT NULL,
  `phone_number` varchar(14) DEFAULT NULL,
  `staff_name` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`contact_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `dtb_contact` VALUES {values};
"""


def test_a_clerk_column_in_a_database_dump(tmp_path):
    folder = tmp_path / "leak"
    folder.mkdir()
    # each customer called twice, the second call taken by another clerk
    calls = [(i, CUSTOMERS[i % len(CUSTOMERS)], CLERKS[(i + i // len(CUSTOMERS)) % len(CLERKS)])
             for i in range(2 * len(CUSTOMERS))]
    values = ",".join(f"({i},'{customer.split()[0]}','{customer.split()[1]}',"
                      f"'090-1234-{CUSTOMERS.index(customer):04d}','{clerk}')"
                      for i, customer, clerk in calls)
    (folder / "shop.sql").write_text(MYSQL_DUMP.format(values=values), encoding="utf-8")
    report, findings = scan_folder(folder, tmp_path)
    staff = [f for f in findings if f.get("column") == "staff_name"]
    assert len(staff) == len(calls)
    assert {f.get("table") for f in staff} == {"dtb_contact"}
    assert report.people.people == len(CUSTOMERS)


@pytest.mark.parametrize("header", ["担当者", "担当者名", "担当者氏名", "対応者", "受付者名", "記入者",
                                    "作成者", "営業担当", "承認者名", "staff_name", "handled_by",
                                    "sales_rep", "order.staff.name"])
def test_headers_of_the_company_side_name_staff(header):
    assert staff_header(header)


@pytest.mark.parametrize("header", ["氏名", "お名前", "お客様名", "契約者名", "担当部署", "担当者ID",
                                    "担当者電話番号", "受付日", "作成日時", "staff_id", "items.0.name",
                                    "customer_name"])
def test_other_headers_do_not(header):
    assert not staff_header(header)


@given(st.sampled_from(["担当者", "担当", "対応者", "受付者", "記入者"]),
       st.sampled_from(["ID", "番号", "コード", "部署", "日", "電話番号", "メール"]))
def test_a_role_followed_by_something_else_is_not_a_name_column(role, what):
    assert not staff_header(role + what)


def test_a_role_column_of_departments_is_not_names():
    departments = ["営業部", "総務部", "経理部", "カスタマーサポート"] * 10
    assert not classify("担当", departments, has_header=True).staff
