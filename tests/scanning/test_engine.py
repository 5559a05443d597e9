"""The scan end to end, as an analyst runs it on a folder of leaked files."""

from __future__ import annotations

import json
import random
import tempfile
import zipfile
from pathlib import Path

import pytest

from rouei.scanning.engine import ScanOptions, list_files, scan
from tests.scanning.readers.builders import (
    csv_text,
    excel_cp932_csv,
    mail_with_attachment,
    xlsx,
    zip_bytes,
)

HEADER = ["氏名", "電話番号", "メールアドレス", "生年月日", "注文番号"]


def _my_number(body: str) -> str:
    weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    remainder = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return body + str(0 if remainder <= 1 else 11 - remainder)


def people(n: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append([f"山田 太郎{i}", f"090-{rng.randrange(10000):04d}-{i:04d}",
                     f"user{i}@example.jp", f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 9)}-1{i % 9}",
                     # a 16-digit order number that fails Luhn: not a card
                     _order_number(rng)])
    return rows


def _order_number(rng: random.Random) -> str:
    while True:
        digits = "4" + "".join(str(rng.randrange(10)) for _ in range(15))
        total = sum(int(d) if i % 2 else sum(divmod(int(d) * 2, 10))
                    for i, d in enumerate(reversed(digits), start=1))
        if total % 10:
            return digits


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _scan(folder: Path, tmp_path: Path, **kw):
    findings = tmp_path / "findings.jsonl"
    report = scan([folder], ScanOptions(workers=1, **kw), findings_out=findings)
    lines = [json.loads(x) for x in findings.read_text(encoding="utf-8").splitlines()]
    return report, lines


def test_scan_cp932_excel_csv_finds_items_with_spreadsheet_rows(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "顧客.csv", excel_cp932_csv([HEADER, *people(30)]))
    report, findings = _scan(folder, tmp_path)
    summary = report.files[0]
    assert summary.encoding in ("cp932", "shift_jis") and summary.rows == 30
    assert report.totals["phone"] == 30 and report.totals["email"] == 30
    assert "credit_card" not in report.totals  # order numbers fail Luhn
    phones = [f for f in findings if f["category"] == "phone"]
    assert phones[0]["row"] == 2 and phones[-1]["row"] == 31  # header is row 1
    assert phones[0]["column"] == "電話番号" and phones[0]["file"] == "顧客.csv"
    assert "****" in phones[0]["masked"]


def test_scan_headerless_file_classifies_columns_by_their_values(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "dump.csv", csv_text(people(40)))
    report, findings = _scan(folder, tmp_path)
    columns = {c.column: c.category for c in report.files[0].columns}
    assert columns["1"] == "phone" and columns["2"] == "email"
    assert "4" not in columns or columns["4"] is None
    assert {f["row"] for f in findings if f["category"] == "phone"} == set(range(1, 41))


def test_scan_col7_full_of_phones_is_found_and_order_numbers_are_not(tmp_path):
    folder = tmp_path / "leak"
    rows = [["id", "col7", "order_no"]] + [[str(i), r[1], r[4]] for i, r in
                                            enumerate(people(50))]
    _write(folder, "export.csv", csv_text(rows))
    report, _ = _scan(folder, tmp_path)
    columns = {c.column: c.category for c in report.files[0].columns}
    assert columns.get("col7") == "phone"
    assert columns.get("order_no") is None


def test_scan_zip_bomb_is_reported_and_the_scan_goes_on(tmp_path):
    folder = tmp_path / "leak"
    bomb = folder / "bomb.zip"
    folder.mkdir()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("zeros.csv", "w", force_zip64=True) as member:
        for _ in range(300):  # 300 MiB of zeros: about 300 KiB compressed
            member.write(b"0" * (1 << 20))
    _write(folder, "ok.csv", csv_text([HEADER, *people(5)]))
    report, _ = _scan(folder, tmp_path)
    assert [u["code"] for u in report.unreadable] == ["zip_bomb"]
    assert report.totals["email"] == 5


def test_scan_truncated_xlsx_is_unreadable_not_a_crash(tmp_path):
    folder = tmp_path / "leak"
    book = xlsx({"顧客": [HEADER, *people(10)]})
    _write(folder, "broken.xlsx", book[: len(book) // 2])
    _write(folder, "good.xlsx", book)
    report, _ = _scan(folder, tmp_path)
    assert [u["file"] for u in report.unreadable] == ["broken.xlsx"]
    assert report.totals["email"] == 10


def test_scan_eml_with_attached_csv_reports_the_attachment_rows(tmp_path):
    folder = tmp_path / "leak"
    attachment = excel_cp932_csv([HEADER, *people(12)])
    _write(folder, "mail.eml", mail_with_attachment(attachment, "顧客一覧.csv"))
    report, findings = _scan(folder, tmp_path)
    table = next(f for f in report.files if f.kind == "table")
    assert table.rows == 12
    attached = [f for f in findings if f.get("member") == "顧客一覧.csv"]
    assert len([f for f in attached if f["category"] == "phone"]) == 12


# The findings contract: ``file`` is the scanned file's path relative to the scanned folder;
# where inside it is ``member`` (ZIP, e-mail attachment), ``sheet`` (workbook), ``table`` (dump).


def test_finding_in_an_attachment_names_the_mail_as_its_file(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "in/mail.eml", mail_with_attachment(excel_cp932_csv([HEADER, *people(3)]),
                                                       "顧客一覧.csv"))
    _, findings = _scan(folder, tmp_path)
    phone = next(f for f in findings if f["category"] == "phone" and f["row"] is not None)
    assert (phone["file"], phone["member"]) == ("in/mail.eml", "顧客一覧.csv")


def test_finding_in_a_workbook_names_the_book_as_its_file_and_the_sheet_apart(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "book.xlsx", xlsx({"顧客": [HEADER, *people(3)]}))
    report, findings = _scan(folder, tmp_path)
    phone = next(f for f in findings if f["category"] == "phone")
    assert (phone["file"], phone["sheet"]) == ("book.xlsx", "顧客")
    assert report.to_dict()["files"][0]["sheet"] == "顧客"


def test_finding_in_a_workbook_inside_a_zip_names_zip_member_and_sheet(tmp_path):
    folder = tmp_path / "leak"
    book = xlsx({"顧客": [HEADER, *people(3)]})
    _write(folder, "leak.zip", zip_bytes({"2024/book.xlsx": book}))
    _, findings = _scan(folder, tmp_path)
    phone = next(f for f in findings if f["category"] == "phone")
    assert (phone["file"], phone["member"], phone["sheet"]) == (
        "leak.zip", "2024/book.xlsx", "顧客")


def test_a_plain_file_has_no_member_sheet_or_table_keys(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([HEADER, *people(2)]))
    _, findings = _scan(folder, tmp_path)
    assert set(findings[0]) & {"member", "sheet", "table"} == set()


def test_an_unreadable_member_is_named_by_its_zip_and_member(tmp_path):
    folder = tmp_path / "leak"
    book = xlsx({"顧客": [HEADER, *people(3)]})
    _write(folder, "leak.zip", zip_bytes({"inner.zip": zip_bytes({"broken.xlsx": book[:200]})}))
    report, _ = _scan(folder, tmp_path)
    assert [(u["file"], u.get("member")) for u in report.unreadable] == [
        ("leak.zip", "inner.zip!/broken.xlsx")]


def test_scan_text_findings_point_at_the_original_characters(tmp_path):
    folder = tmp_path / "leak"
    line = "お客様 山田 太郎 様 電話番号０９０－１２３４－５６７８ まで"
    _write(folder, "memo.txt", "一行目\n" + line + "\n")
    _, findings = _scan(folder, tmp_path, show_values=True)
    phone = next(f for f in findings if f["category"] == "phone")
    assert phone["line"] == 2
    assert line[phone["start"]:phone["end"]] == "０９０－１２３４－５６７８" == phone["value"]


def test_scan_twice_gives_the_same_counts_and_findings(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([HEADER, *people(60)]))
    _write(folder, "notes/b.txt", "連絡先 taro@example.jp / 090-1111-2222\n")
    first, f1 = _scan(folder, tmp_path)
    second, f2 = _scan(folder, tmp_path)
    assert first.to_dict()["totals"] == second.to_dict()["totals"]
    assert first.people.people == second.people.people and f1 == f2


def test_scan_split_into_parts_gives_the_same_counts(tmp_path):
    rows = people(80)
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    _write(whole, "all.csv", csv_text([HEADER, *rows]))
    _write(parts, "1.csv", csv_text([HEADER, *rows[:33]]))
    _write(parts, "2.csv", csv_text([HEADER, *rows[33:]]))
    a = scan([whole], ScanOptions(workers=1))
    b = scan([parts], ScanOptions(workers=2))
    assert a.totals == b.totals
    assert a.people.people == b.people.people == 80


def test_scan_same_people_in_two_files_written_differently_count_once(tmp_path):
    folder = tmp_path / "leak"
    rows = people(20)
    _write(folder, "a.csv", csv_text([HEADER, *rows]))
    wide = [[r[0].replace(" ", "\u3000"), r[1].translate(str.maketrans("0123456789-",
                                                                       "０１２３４５６７８９－")),
             r[2].upper(), r[3], r[4]] for r in rows]
    _write(folder, "b.csv", csv_text([HEADER, *wide]))
    report = scan([folder], ScanOptions(workers=1))
    assert report.people.records == 40 and report.people.people == 20


def _interrupted_scan(tmp_path, findings_out=None):
    """A scan of three files in one process, interrupted (as by Ctrl-C) at its second
    progress report."""
    folder = tmp_path / "leak"
    for i in range(3):
        _write(folder, f"{i}.csv", csv_text([HEADER, *people(5, seed=i)]))
    calls = []

    def progress(n):
        calls.append(n)
        if len(calls) == 2:
            raise KeyboardInterrupt

    return scan([folder], ScanOptions(workers=1), findings_out=findings_out, progress=progress)


def test_scan_interrupted_report_is_marked_partial(tmp_path):
    report = _interrupted_scan(tmp_path)
    assert report.partial and len(report.files) < 3


def test_a_scan_in_one_process_writes_the_findings_of_a_pool_without_temporary_files(
        tmp_path, monkeypatch):
    folder = tmp_path / "leak"
    for i in range(3):
        _write(folder, f"{i}.csv", csv_text([HEADER, *people(20, seed=i)]))
    _write(folder, "notes/b.txt", "連絡先 taro@example.jp / 090-1111-2222\n")
    pooled = tmp_path / "pooled.jsonl"
    scan([folder], ScanOptions(workers=2), findings_out=pooled)
    from rouei.scanning import engine

    made = []
    monkeypatch.setattr(engine.tempfile, "mkstemp",
                        lambda *a, **k: made.append(k) or tempfile.mkstemp(*a, **k))
    direct = tmp_path / "direct.jsonl"
    scan([folder], ScanOptions(workers=1), findings_out=direct)
    assert direct.read_bytes() == pooled.read_bytes()
    assert made == []  # no findings file beside the output, to be copied into it at the end


def test_scan_interrupted_in_a_file_leaves_its_findings_out(tmp_path):
    findings = tmp_path / "f.jsonl"
    report = _interrupted_scan(tmp_path, findings)
    files = {json.loads(line)["file"] for line in findings.read_text().splitlines()}
    assert files == {f.file for f in report.files}


def test_scan_findings_never_carry_raw_values_unless_asked(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([HEADER, *people(3)]))
    _, findings = _scan(folder, tmp_path)
    assert all("value" not in f for f in findings)
    raw = {v for row in people(3) for v in row}
    assert not any(f["masked"] in raw for f in findings)


def test_list_files_names_are_relative_and_sorted(tmp_path):
    _write(tmp_path / "d", "b/2.csv", "x")
    _write(tmp_path / "d", "a.csv", "x")
    assert [name for _, name in list_files([tmp_path / "d"])] == ["a.csv", "b/2.csv"]


@pytest.mark.slow
def test_scan_on_a_local_dask_cluster_matches_the_local_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([HEADER, *people(25)]))
    _write(folder, "b.eml", mail_with_attachment(csv_text([HEADER, *people(5, 3)]).encode()))
    _write(folder, "c.zip", zip_bytes({"in/c.csv": csv_text([HEADER, *people(7, 5)]).encode()}))
    local = scan([folder], ScanOptions(workers=1), findings_out=tmp_path / "l.jsonl")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = scan([folder], ScanOptions(), findings_out=tmp_path / "d.jsonl",
                      dask_address=cluster.scheduler_address)
    assert local.to_dict()["totals"] == remote.to_dict()["totals"]
    assert local.people.people == remote.people.people
    assert (tmp_path / "l.jsonl").read_bytes() == (tmp_path / "d.jsonl").read_bytes()


def test_scan_address_second_line_column_counts_every_filled_cell(tmp_path):
    folder = tmp_path / "leak"
    rows = [["氏名", "住所1", "住所2"]] + [[f"佐藤 {n}", f"東京都港区芝公園{i}-1", f"サンシャイン{i}号室"]
                                         for i, n in enumerate(["太郎", "花子", "健"])]
    _write(folder, "a.csv", csv_text(rows))
    report = scan([folder], ScanOptions(workers=1))
    counts = {c.column: c.count for c in report.files[0].columns}
    # each column counts its filled cells; the totals, one address per record
    assert counts["住所2"] == 3 and report.totals["address"] == 3


def test_scan_eml_message_ids_are_not_email_addresses(tmp_path):
    folder = tmp_path / "leak"
    mail = ("From: 佐藤 <sato@example.jp>\nTo: x@example.com\nSubject: test\n"
            "Message-ID: <abc123@mx.example.jp>\nIn-Reply-To: <zzz@mx.example.jp>\n\n本文\n")
    _write(folder, "m.eml", mail.encode())
    report = scan([folder], ScanOptions(workers=1))
    assert report.totals["email"] == 2


def test_findings_parts_are_concatenated_in_order_in_the_kernel_or_not(tmp_path, monkeypatch):
    import os

    from rouei.scanning import engine

    parts = []
    for i, size in enumerate((0, 5, 300_000, 7)):
        part = tmp_path / f"p{i}"
        part.write_bytes(bytes([65 + i]) * size)
        parts.append(str(part))
    expected = b"".join(Path(p).read_bytes() for p in parts)
    out = tmp_path / "out.jsonl"
    engine._concatenate([parts[0], None, *parts[1:]], out)
    assert out.read_bytes() == expected

    real = os.copy_file_range
    calls = []

    def flaky(src, dst, count, offset_src, offset_dst):  # copies a little, then gives up
        calls.append(count)
        if len(calls) % 2 == 0:
            raise OSError(18, "cross-device")
        return real(src, dst, min(count, 1000), offset_src, offset_dst)

    monkeypatch.setattr(os, "copy_file_range", flaky)
    engine._concatenate(parts, out)
    assert out.read_bytes() == expected and calls


def test_scan_undoes_what_a_spreadsheet_did_to_phones_postal_codes_and_dates(tmp_path):
    # Saved from Excel with the columns as numbers: 09012345678 → 9012345678, 0600001 →
    # 600001, 1985/01/01 → 31048. The header says what they are, so they count, and the same
    # person written properly in another file is one person.
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([
        ["氏名", "電話番号", "郵便番号", "生年月日", "会員番号"],
        ["山田 太郎", "9012345678", "600001", "31048", "9012345678"],
        ["佐藤 花子", "312345678", "1000001", "1990/02/03", "8012345678"],
        # too short, and the 1900-02-29 that never was
        ["鈴木 一郎", "12345", "1234", "60", "1"],
    ]))
    _write(folder, "b.csv", csv_text([["氏名", "携帯電話"], ["山田 太郎", "090-1234-5678"]]))
    report, findings = _scan(folder, tmp_path)
    report = report.to_dict()

    a = next(f for f in report["files"] if f["file"] == "a.csv")
    columns = {c["column"]: c for c in a["columns"]}
    assert a["items"] == {"person_name": 3, "phone": 2, "postal_code": 2, "birth_date": 2}
    assert columns["電話番号"]["restored"] == 2
    assert columns["郵便番号"]["restored"] == 1
    assert columns["生年月日"]["restored"] == 1
    assert "会員番号" not in columns  # its header does not say phone: no restoring, no phones
    assert report["people"] == 3
    assert report["people_detail"]["linked_by"] == {"person_name+phone": 1}
    # findings show the cell as it is in the file, masked
    phones = [f for f in findings if f["file"] == "a.csv" and f["category"] == "phone"]
    assert [f["row"] for f in phones] == [2, 3]


def test_scan_finds_the_item_inside_cells_of_a_column_its_header_names(tmp_path):
    # what people type into a phone or birth-date field beside the value itself
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([
        ["氏名", "電話番号", "生年月日"],
        ["山田 太郎", "090-1234-5678(携帯)", "1985年04月01日生"],
        ["佐藤 花子", "TEL:03-1234-5678", "1990/2/3（34歳）"],
        ["鈴木 一郎", "03-2222-3333 内線123", "不明"],
        ["山田 太郎", "09012345678", "1985-04-01"],
    ]))
    report, _ = _scan(folder, tmp_path)
    assert report.totals["phone"] == 4 and report.totals["birth_date"] == 3
    # the value found is the key: 山田 太郎 with 090-1234-5678(携帯) is 山田 太郎 of 09012345678
    assert report.people.people == 3


def test_scan_counts_whatever_a_medical_column_holds_but_not_a_blank_word(tmp_path):
    # 要配慮個人情報: a medicine or illness the vocabulary does not know is still health data
    # when the header says so; なし, 不明 and - are what forms put in a blank
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([
        ["氏名", "服薬", "病名", "性別", "郵便番号1", "郵便番号2"],
        ["山田 太郎", "ロキソニン", "花粉症", "男性", "100", "0001"],
        ["佐藤 花子", "なし", "-", "不明", "530", "0001"],
        ["鈴木 一郎", "N/A", "", "女性", "", ""],
    ]))
    report, _ = _scan(folder, tmp_path)
    counts = {c.column: c.count for c in report.files[0].columns}
    assert counts["服薬"] == 1 and counts["病名"] == 1 and counts["性別"] == 2
    # a postal code split into its 3 and 4 digits: one per record
    assert counts["郵便番号1"] == 2 and report.totals["postal_code"] == 2


def test_scan_counts_whatever_a_disability_or_checkup_column_holds(tmp_path):
    # a certificate's grade (2級) or a check's grade (D) is the item when the header says so
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([
        ["氏名", "障害者手帳", "健康診断結果"],
        ["山田 太郎", "2級", "D"],
        ["佐藤 花子", "なし", "A"],
        ["鈴木 一郎", "療育手帳B1", ""],
    ]))
    report, _ = _scan(folder, tmp_path)
    counts = {c.column: (c.category, c.count) for c in report.files[0].columns}
    assert counts["障害者手帳"] == ("disability", 2)
    assert counts["健康診断結果"] == ("health_checkup_result", 2)


def test_scan_finds_health_phrases_in_a_note_column(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([
        ["氏名", "備考"],
        ["山田 太郎", "心療内科に通院中とのこと。健康診断で脂肪肝を指摘されたと伺いました"],
        ["佐藤 花子", "妊娠中の方はご使用をお控えくださいとの注意書きについて質問あり"],
    ]))
    report, _ = _scan(folder, tmp_path)
    assert report.totals["health"] == 1
    assert report.totals["health_checkup_result"] == 1


def test_scan_reports_a_partly_unreadable_file_with_how_much_was_lost(tmp_path):
    folder = tmp_path / "leak"
    rows = people(40)
    data = bytearray(csv_text([HEADER, *rows]).encode())
    at = data.rindex(b"@")
    data[at] = 0xFF  # one e-mail's @ is a byte no encoding reads
    _write(folder, "顧客.csv", bytes(data))
    report, _ = _scan(folder, tmp_path)
    (entry,) = report.to_dict()["unreadable"]
    assert entry["file"] == "顧客.csv" and entry["code"] == "partly_unreadable"
    assert entry["rows"] == 1 and entry["characters"] == 1
    assert "一部を読めませんでした" in entry["reason"]
    summary = report.to_dict()["files"][0]
    assert summary["partly_unreadable"] is True
    assert summary["skipped"] == {"replaced_characters": 1, "replaced_rows": 1}
    assert report.totals["email"] == 39  # the damaged one is not an e-mail: and the report says so


def test_scan_reads_a_utf32_csv_and_a_bom_then_cp932_csv_and_says_so(tmp_path):
    folder = tmp_path / "leak"
    rows = people(10)
    _write(folder, "wide.csv", csv_text([HEADER, *rows]).encode("utf-32"))
    _write(folder, "merged.csv", b"\xef\xbb\xbf" + csv_text([HEADER, *rows[:3]]).encode()
           + csv_text(rows[3:]).encode("cp932"))
    report, _ = _scan(folder, tmp_path)
    files = {f["file"]: f for f in report.to_dict()["files"]}
    assert files["wide.csv"]["items"]["email"] == 10
    assert files["merged.csv"]["items"]["phone"] == 10
    assert files["merged.csv"]["columns"][0]["column"] == "氏名"  # the header is read too
    assert files["merged.csv"]["skipped"] == {"fallback_lines": 7}
    assert files["merged.csv"]["partly_unreadable"] is False  # read whole, another way
    assert report.to_dict()["unreadable"] == []


def test_scan_counts_no_people_in_records_without_personal_data(tmp_path):
    # a leaked order table holds no one's data; in a member list, the rows left blank or
    # holding only a member number are no one either
    folder = tmp_path / "leak"
    _write(folder, "orders.csv", csv_text([["注文番号", "金額", "商品コード"],
                                          ["A001", "1200", "P-1"], ["A002", "3400", "P-2"]]))
    _write(folder, "members.csv", csv_text([
        ["会員番号", "氏名", "電話番号", "備考"],
        ["M1", "山田 太郎", "090-1234-5678", ""],
        ["M2", "", "", ""],
        ["M3", "", "03-1234-5678", ""],
        ["M4", "", "", "お客様から 090-2222-3333 へ折り返し希望、住所は東京都千代田区千代田1-1"],
    ]))
    report, _ = _scan(folder, tmp_path)
    assert report.rows == 6
    # 山田 太郎; the phone of M3 alone; M4, known only from the note
    assert report.people.records == 3 and report.people.people == 3


def test_scan_skips_the_header_row_repeated_inside_the_data(tmp_path):
    # two exports put together with cat: the second header is no one's name
    folder = tmp_path / "leak"
    _write(folder, "cat.csv", csv_text([
        ["氏名", "電話番号"], ["山田 太郎", "090-1234-5678"], ["氏名", "電話番号"],
        ["佐藤 花子", "090-2222-3333"]]))
    report, _ = _scan(folder, tmp_path)
    assert report.totals["person_name"] == 2 and report.people.people == 2


def test_scan_restores_nothing_without_a_header(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([["山田 太郎", "9012345678"], ["佐藤 花子", "8012345678"]]))
    report, _ = _scan(folder, tmp_path)
    assert "phone" not in report.totals


def test_scan_reads_an_address_split_over_columns_as_one_address(tmp_path):
    # 都道府県 / 住所1 / 住所2 / 住所3, as shop systems export them: one address per record in
    # the totals, and the parts together link with the address written whole elsewhere
    folder = tmp_path / "leak"
    _write(folder, "shop.csv", csv_text([
        ["氏名", "都道府県", "住所1", "住所2", "住所3"],
        ["山田 太郎", "東京都", "千代田区千代田", "1丁目1番", "ハイツ101"],
        ["佐藤 花子", "大阪府", "大阪市北区梅田", "2-2-2", ""],
        ["田中 一郎", "北海道", "", "", ""],
        ["田中 一郎", "北海道", "", "", ""],
    ]))
    _write(folder, "orders.csv", csv_text([
        ["氏名", "住所"], ["山田 太郎", "東京都千代田区千代田1-1 ハイツ101"]]))
    report, _ = _scan(folder, tmp_path)
    report = report.to_dict()
    shop = next(f for f in report["files"] if f["file"] == "shop.csv")
    parts = {c["column"]: (c["category"], c["part"], c["count"]) for c in shop["columns"]}
    assert parts["都道府県"] == ("address", "prefecture", 4)
    assert parts["住所1"] == ("address", "municipality", 2)
    assert parts["住所3"] == ("address", "building", 1)
    assert shop["items"]["address"] == 4  # records with an address, not filled cells (8)
    # 山田 太郎 is one person in both files; the two 田中 一郎 of 北海道 share no key (a
    # prefecture alone is no address to link by), so they stay two
    assert report["people_detail"]["linked_by"] == {"person_name+address": 1}
    assert report["people"] == 4


def test_scan_reads_an_address_split_over_nested_json_keys(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "users.jsonl", "\n".join(json.dumps({
        "name": name, "address": {"pref": "東京都", "city": "千代田区", "street": street}},
        ensure_ascii=False) for name, street in (("山田 太郎", "千代田1-1"),
                                                 ("佐藤 花子", "丸の内2-2"))) + "\n")
    _write(folder, "orders.csv", csv_text([["氏名", "住所"], ["山田 太郎", "東京都千代田区千代田1-1"]]))
    report, _ = _scan(folder, tmp_path)
    users = next(f for f in report.files if f.file == "users.jsonl")
    assert {c.column: c.part for c in users.columns if c.category == "address"} == {
        "address.pref": "prefecture", "address.city": "municipality", "address.street": "street"}
    assert users.items["address"] == 2
    assert report.people.linked_by == {"person_name+address": 1}


def test_scan_counts_a_split_name_once_per_record_even_with_one_part(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.csv", csv_text([["姓", "名"], ["山田", "太郎"], ["佐藤", ""], ["", ""]]))
    report, _ = _scan(folder, tmp_path)
    report = report.to_dict()
    assert report["totals"]["person_name"] == 2
    counts = {c["column"]: c["count"] for c in report["files"][0]["columns"]}
    assert counts == {"姓": 2, "名": 1}


def test_scan_reads_a_name_split_over_two_columns_as_one_name(tmp_path):
    # 姓 / 名 (and セイ / メイ) as many systems store them: both parts are the name; a family
    # sharing a phone stays two people, and the same person written whole elsewhere is one.
    folder = tmp_path / "leak"
    _write(folder, "members.csv", csv_text([
        ["姓", "名", "セイ", "メイ", "電話番号"],
        ["山田", "太郎", "ヤマダ", "タロウ", "03-1234-5678"],
        ["山田", "花子", "ヤマダ", "ハナコ", "03-1234-5678"],
        ["林", "健", "ハヤシ", "ケン", "090-1111-2222"],
    ]))
    _write(folder, "orders.csv", csv_text([["氏名", "電話番号"], ["山田 太郎", "03-1234-5678"]]))
    report, _ = _scan(folder, tmp_path)
    report = report.to_dict()

    members = next(f for f in report["files"] if f["file"] == "members.csv")
    parts = {c["column"]: (c["category"], c["part"], c["count"]) for c in members["columns"]}
    assert parts["姓"] == ("person_name", "family", 3)
    assert parts["名"] == ("person_name", "given", 3)  # 健: one kanji, still a given name
    assert parts["メイ"] == ("name_kana", "given", 3)
    # one name per record in the totals, not one per part (3 members + 1 order)
    assert report["totals"]["person_name"] == 4
    assert report["totals"]["name_kana"] == 3
    assert report["people"] == 3
    assert report["people_detail"]["linked_by"] == {"person_name+phone": 1}


def test_an_ec_cube_csv_export_counts_people_across_its_split_columns(tmp_path):
    """EC-CUBE 2's dtb_customer as a CSV export: tel01–03 make one phone, pref 13 is 東京都, so
    the same customer in another file with 東京都 and a whole phone number is one person."""
    folder = tmp_path / "leak"
    _write(folder, "customer.csv", csv_text([
        ["customer_id", "name01", "name02", "pref", "addr01", "addr02", "tel01", "tel02",
         "tel03", "email"],
        ["1", "山田", "太郎", "13", "千代田区千代田", "1-1", "090", "1234", "5678", "a@example.jp"],
        ["2", "佐藤", "花子", "27", "大阪市北区梅田", "2-2", "06", "1234", "5678", "b@example.jp"],
    ]))
    _write(folder, "orders.csv", csv_text([
        ["氏名", "電話番号", "住所"], ["山田 太郎", "090-1234-5678", "東京都千代田区千代田1-1"]]))
    report, _ = _scan(folder, tmp_path)
    assert report.people.people == 2


def test_an_ec_cube_csv_export_reports_the_split_phone_once_per_record(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "customer.csv", csv_text([
        ["name01", "name02", "tel01", "tel02", "tel03"],
        ["山田", "太郎", "090", "1234", "5678"], ["佐藤", "花子", "06", "1234", "5678"]]))
    report, _ = _scan(folder, tmp_path)
    assert report.totals["phone"] == 2


# --- distinct people: the same person typed differently by two systems (issue 14) ----------


def _people_of(tmp_path: Path, files: dict[str, str]) -> int:
    folder = tmp_path / "leak"
    for name, text in files.items():
        _write(folder, name, text)
    report, _ = _scan(folder, tmp_path)
    return report.people.people


def test_people_name_column_headed_by_a_role_links_to_the_same_person(tmp_path):
    # 被保険者名 names no catalogue alias, but it is a person's name: the row is 髙橋's
    files = {"shop.csv": "氏名,電話番号\n高橋 一郎,090-1111-2222\n",
             "policy.csv": "被保険者名,自宅電話\n高橋 一郎,090-1111-2222\n"}
    assert _people_of(tmp_path, files) == 1


def test_people_variant_kanji_of_a_name_is_the_same_person(tmp_path):
    files = {"shop.csv": "氏名,電話番号\n髙橋 一郎,090-1111-2222\n山﨑 結衣,080-3333-4444\n",
             "members.csv": "氏名,電話番号\n高橋一郎,090-1111-2222\n山崎　結衣,080-3333-4444\n"}
    assert _people_of(tmp_path, files) == 2


def test_people_reading_and_mobile_link_a_name_typed_in_hiragana(tmp_path):
    files = {"shop.csv": "氏名,フリガナ,携帯\n山崎 結衣,ヤマザキ ユイ,080-3333-4444\n",
             "signup.csv": "姓,名,セイ,メイ,携帯\n山崎,ゆい,やまざき,ゆい,080-3333-4444\n"}
    assert _people_of(tmp_path, files) == 1


def test_people_same_reading_and_landline_but_other_birth_dates_stay_apart(tmp_path):
    # a household: one landline, one family reading, two people
    files = {"family.csv": "氏名,フリガナ,生年月日,自宅電話\n"
                           "柴田 誠,シバタ マコト,1960/04/01,03-1234-5678\n"
                           "柴田 恵子,シバタ ケイコ,1962/05/02,03-1234-5678\n"}
    assert _people_of(tmp_path, files) == 2


def test_role_of_a_company_does_not_name_a_person_column():
    from rouei.scanning.columns import header_category
    assert [header_category(h) for h in ("事業者名", "運送業者名", "販売店名", "被保険者名")] == [
        None, None, None, "person_name"]


def test_staff_role_in_a_record_does_not_name_its_person_column():
    from rouei.scanning.columns import header_category
    assert [header_category(h) for h in ("担当者名", "受付者名", "契約者名")] == [
        None, None, "person_name"]


def test_people_address_written_by_a_courier_links_to_the_customer(tmp_path):
    # the recipient's name and address only: no prefecture, kanji numerals, 番地
    files = {"customers.csv": "氏名,住所,電話番号\n柴田 誠,東京都世田谷区経堂1-2-3,090-1111-2222\n",
             "deliveries.csv": "お届け先氏名,お届け先住所\n柴田 誠,世田谷区経堂一丁目2番地3\n"}
    assert _people_of(tmp_path, files) == 1


def test_people_same_name_at_another_block_stays_two(tmp_path):
    files = {"customers.csv": "氏名,住所,電話番号\n柴田 誠,東京都世田谷区経堂1-2-3,090-1111-2222\n",
             "deliveries.csv": "お届け先氏名,お届け先住所\n柴田 誠,世田谷区経堂一丁目2番地4\n"}
    assert _people_of(tmp_path, files) == 2


def test_people_login_accounts_without_names_are_the_customers_named_elsewhere(tmp_path):
    files = {"customers.csv": "氏名,メールアドレス\n柴田 誠,makoto@example.jp\n柴田 恵子,keiko@example.jp\n",
             "accounts.csv": "ログインID,メールアドレス,パスワード\n"
                             "u1,MAKOTO@example.jp,5f4dcc3b5aa765d61d8327deb882cf99\n"
                             "u2,keiko@example.jp,e10adc3949ba59abbe56e057f20f883e\n"}
    assert _people_of(tmp_path, files) == 2


def test_people_attendee_list_names_the_customers(tmp_path):
    files = {"customers.csv": "氏名,電話番号\n柴田 誠,090-1111-2222\n髙橋 一郎,080-3333-4444\n",
             "attendees.csv": "氏名,勤務先\n柴田誠,株式会社ミドリ\n高橋 一郎,自営業\n"}
    assert _people_of(tmp_path, files) == 2


def test_a_free_text_process_imports_the_detectors_not_the_engine():
    import subprocess
    import sys

    from rouei.scanning import engine

    sent = engine.detect_named  # what engine._match_prose sends to its processes
    probe = (f"import {sent.__module__}, sys; "
             "print('rouei.scanning.engine' in sys.modules, 'rouei.scanning.prose' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
