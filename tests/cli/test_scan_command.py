"""`rouei scan` as an analyst types it: the report file, and passwords for PPAP archives."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rouei.cli.main import app
from tests.scanning.readers.builders import zipcrypto_zip

CSV = "氏名,電話番号\n山田 太郎,090-1234-5678\n佐藤 花子,9012345678\n".encode()


def _scan(tmp_path, *args: str, env: dict | None = None, input: str | None = None) -> dict:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak"), "--json", str(report),
                                      *args], env=env, input=input)
    assert result.exit_code == 0, result.output
    return json.loads(report.read_text(encoding="utf-8"))


def _leak(tmp_path, data: bytes, name: str) -> None:
    (tmp_path / "leak").mkdir()
    (tmp_path / "leak" / name).write_bytes(data)


def test_scan_writes_the_report_with_restored_cells(tmp_path):
    _leak(tmp_path, CSV, "会員.csv")
    report = _scan(tmp_path)
    assert report["totals"] == {"person_name": 2, "phone": 2}
    phone = next(c for c in report["files"][0]["columns"] if c["category"] == "phone")
    assert phone["restored"] == 1


def test_scan_asks_for_a_zip_password_without_showing_it(tmp_path):
    _leak(tmp_path, zipcrypto_zip({"会員.csv": CSV}, b"s3cret"), "ppap.zip")
    assert _scan(tmp_path)["unreadable"][0]["code"] == "encrypted"
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak"), "--zip-password"],
                                input="s3cret\n")
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output
    assert _scan(tmp_path, "--zip-password", input="s3cret\n")["totals"]["phone"] == 2


def test_scan_takes_zip_passwords_from_the_environment(tmp_path):
    _leak(tmp_path, zipcrypto_zip({"会員.csv": CSV}, b"second"), "ppap.zip")
    report = _scan(tmp_path, env={"ROUEI_ZIP_PASSWORDS": "first\nsecond\n"})
    assert report["unreadable"] == [] and report["people"] == 2


def test_scan_says_in_japanese_how_people_were_linked(tmp_path):
    _leak(tmp_path, "氏名,電話番号,メール\n山田 太郎,090-1234-5678,a@example.jp\n"
                    "山田 太郎,090-1234-5678,b@example.jp\n".encode(), "会員.csv")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "本人の数（名寄せ後）: 1" in result.output
    assert "名寄せ 氏名＋電話番号 1" in result.output


def test_scan_says_when_nobody_was_linked(tmp_path):
    _leak(tmp_path, CSV, "会員.csv")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak"), "--lang", "en"],
                                env={"COLUMNS": "200"})
    assert "Distinct people: 2  (records 2, linked by none)" in result.output


def test_scan_writes_the_columns_as_csv_for_excel(tmp_path):
    _leak(tmp_path, CSV, "会員.csv")
    _scan(tmp_path, "--csv", str(tmp_path / "columns.csv"))
    text = (tmp_path / "columns.csv").read_bytes().decode("cp932")
    assert text.splitlines()[1:] == ["会員.csv,2,氏名,氏名,,2,0,見出し",
                                     "会員.csv,2,電話番号,電話番号,,2,1,見出し"]


def test_scan_csv_lists_the_items_of_a_text_file_too(tmp_path):
    _leak(tmp_path, "お客様 山田太郎様の連絡先は 090-1234-5678 です。\n".encode(), "mail.txt")
    _scan(tmp_path, "--csv", str(tmp_path / "columns.csv"))
    lines = (tmp_path / "columns.csv").read_bytes().decode("cp932").splitlines()
    assert "mail.txt,1,,電話番号,,1,0,文章" in lines


def test_scan_past_its_memory_budget_says_so_and_writes_the_partial_report(tmp_path):
    # The scanning process holds polars and the detectors: well over 64 MB.
    _leak(tmp_path, CSV, "会員.csv")
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak"), "--workers", "1",
                                      "--max-memory-mb", "64", "--json", str(report)])
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (result.exit_code, data["partial"], data["stopped"]["reason"]) == (3, True, "memory")
    assert "メモリ使用量の上限 (64 MB)" in result.output


def test_scan_gives_the_people_of_tables_and_of_prose_apart(tmp_path):
    _leak(tmp_path, "氏名,電話番号\n山田 太郎,090-1234-5678\n".encode(), "会員.csv")
    (tmp_path / "leak" / "memo.txt").write_text(
        "お客様：佐藤 花子 様\n電話：090-2222-3333\n担当：中村\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak")], env={"COLUMNS": "200"})
    assert "うち 表 1 人、文章（メール・メモ） 1 人（会社側の担当者として数えなかった名前 1）" in result.output


def test_scan_says_which_file_was_read_only_in_part(tmp_path):
    rows = "".join(f"山田 太郎,090-1234-{i:04d}\n" for i in range(200))
    data = bytearray(("氏名,電話番号\n" + rows).encode())
    data[data.rindex(b"090")] = 0xFF  # one phone's first byte is no character
    _leak(tmp_path, bytes(data), "会員.csv")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak")])
    assert result.exit_code == 0, result.output
    assert "一部読めないファイル: 会員.csv" in result.output
    (entry,) = _scan(tmp_path)["unreadable"]
    assert entry["code"] == "partly_unreadable" and entry["rows"] == 1


def test_scan_says_a_clerk_column_is_the_company_staff_not_people(tmp_path):
    _leak(tmp_path, "氏名,電話番号,担当者名\n山田 太郎,090-1234-5678,中村 一郎\n".encode(), "受付.csv")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "leak")], env={"COLUMNS": "250"})
    assert "担当者名→氏名（会社側の担当者・人数に含めず）" in result.output
