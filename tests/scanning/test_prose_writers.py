"""The writer of a mail or a note is not a data subject (issue 14): a company line standing
apart with the writer's name alone under it is a signature even without 「--」 or a closing
before it, and the sender of a mail signed for the company (or the company's staff a customer
writes to) is the writer, not a second person. Guards: a customer signing with their employer,
a customer writing from their own address, and names listed one a line stay data subjects."""

from __future__ import annotations

from pathlib import Path

import pytest

from rouei.scanning.detectors import detect_text
from rouei.scanning.prose import ProseDoc, ProseReader
from tests.scanning.prose_threads import mail
from tests.scanning.scan_helpers import scan_folder


def _read(lines: list[str]) -> tuple[list[list[str]], ProseDoc]:
    """The names reported on each line of a text part, and what the part leaves for the count."""
    reader = ProseReader("part")
    names = [[m.value for m in reader.feed(no, line, detect_text(line) if line else [])
              if m.category == "person_name"] for no, line in enumerate(lines, 1)]
    return names, reader.finish()


def _subjects(doc: ProseDoc) -> list[str | None]:
    return [c.name for c in doc.subjects]


def _scan(tmp_path: Path, files: dict[str, bytes | str]) -> tuple[dict, list[dict]]:
    folder = tmp_path / "leak"
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    report, findings = scan_folder(folder, tmp_path)
    return report.to_dict(), findings


# A shop's answer: the customer greeted, the shop's signature without a separator or a closing.
SHOP_ANSWER = """山本 花子 様

いつもありがとうございます。
配送が遅れております。

株式会社サンプル商事
佐藤 健一
"""
SHOP_LINES = SHOP_ANSWER.splitlines()


# --- a company line heads the writer's signature -----------------------------------------------


def test_the_name_under_the_companys_line_is_reported():
    names, _ = _read(SHOP_LINES)
    assert names[6] == ["佐藤 健一"]


def test_the_name_under_the_companys_line_is_not_a_data_subject():
    _, doc = _read(SHOP_LINES)
    assert _subjects(doc) == ["山本花子"]


def test_the_name_under_the_companys_line_is_the_companys_staff():
    _, doc = _read(SHOP_LINES)
    assert doc.staff == {"佐藤健一"}


def test_a_unit_line_heads_the_signature_too():
    lines = [*SHOP_LINES[:5], "カスタマーセンター", "佐藤 健一", "TEL 03-1234-5678"]
    _, doc = _read(lines)
    assert doc.staff == {"佐藤健一"}


def test_the_companys_phone_under_its_line_is_not_a_finding():
    lines = [*SHOP_LINES, "TEL 03-1234-5678"]
    reader = ProseReader("part")
    phones = [m for no, line in enumerate(lines, 1)
              for m in reader.feed(no, line, detect_text(line) if line else [])
              if m.category == "phone"]
    assert phones == []


def test_a_text_file_with_the_shops_signature_reports_the_writer(tmp_path):
    _, findings = _scan(tmp_path, {"answer.txt": SHOP_ANSWER})
    lines = [f["line"] for f in findings if f["category"] == "person_name"]
    assert lines == [1, 7]


def test_a_text_file_with_the_shops_signature_is_one_person(tmp_path):
    report, _ = _scan(tmp_path, {"answer.txt": SHOP_ANSWER})
    assert report["people"] == 1


def test_a_text_file_with_the_shops_signature_counts_its_writer_as_staff(tmp_path):
    report, _ = _scan(tmp_path, {"answer.txt": SHOP_ANSWER})
    assert report["people_detail"]["prose"]["staff_excluded"] == 1


# --- the sides of a mail's headers ---------------------------------------------------------------


def _shop_mail() -> bytes:
    return mail("佐藤 健一 <sato@shop.example.co.jp>", "山本 花子 <hanako.yamamoto@gmail.com>",
                "配送の遅れについてのお詫び", SHOP_ANSWER, message_id="<a1@shop.example.co.jp>")


def test_the_sender_who_signs_for_the_company_is_not_a_second_person(tmp_path):
    report, _ = _scan(tmp_path, {"answer.eml": _shop_mail()})
    assert report["people"] == 1


def test_the_sender_who_signs_for_the_company_is_staff(tmp_path):
    report, _ = _scan(tmp_path, {"answer.eml": _shop_mail()})
    assert report["people_detail"]["prose"]["staff_excluded"] == 1


def test_the_sender_signing_with_a_unit_and_surname_is_the_writer(tmp_path):
    body = SHOP_ANSWER.replace("株式会社サンプル商事\n佐藤 健一", "--\n株式会社サンプル商事 カスタマーセンター\n担当：佐藤")
    data = mail("佐藤 健一 <sato@shop.example.co.jp>", "山本 花子 <hanako.yamamoto@gmail.com>",
                "配送の遅れについてのお詫び", body, message_id="<a2@shop.example.co.jp>")
    report, _ = _scan(tmp_path, {"answer.eml": data})
    assert report["people"] == 1


CUSTOMER_TO_STAFF = """佐藤様

お世話になります。山本と申します。
御社で注文した商品がまだ届いていません。
電話番号：090-1234-5678

よろしくお願いします。
山本 花子
"""


def _customer_mail(to: str = "佐藤 健一 <sato@shop.example.co.jp>") -> bytes:
    return mail("山本 花子 <hanako.yamamoto@gmail.com>", to, "注文した商品が届きません",
                CUSTOMER_TO_STAFF, message_id="<c1@mail.gmail.com>")


def test_the_staff_a_customer_writes_to_are_not_a_second_person(tmp_path):
    report, _ = _scan(tmp_path, {"inquiry.eml": _customer_mail()})
    assert report["people"] == 1


def test_the_staff_a_customer_writes_to_are_counted_as_staff(tmp_path):
    report, _ = _scan(tmp_path, {"inquiry.eml": _customer_mail()})
    assert report["people_detail"]["prose"]["staff_excluded"] == 1


def test_an_addressee_at_a_free_mail_address_stays_a_person(tmp_path):
    # written to a company, but sent to someone's own free mail: not known to be staff
    report, _ = _scan(tmp_path, {"inquiry.eml": _customer_mail("佐藤 健一 <kenichi.sato@gmail.com>")})
    assert report["people"] == 2


# --- guards ------------------------------------------------------------------------------------


EMPLOYER_SIGNED = """サンプル商事 ご担当者様

お世話になります。先日注文した件でご連絡しました。
請求書の宛名を変更していただけますか。

株式会社ミドリ工業 経理部
山本 花子
TEL 03-9876-5432
"""


@pytest.mark.parametrize("closing", ["", "よろしくお願いします。\n"])
def test_a_customer_signing_with_their_employer_stays_a_data_subject(closing):
    lines = EMPLOYER_SIGNED.replace("\n\n株式会社", f"\n\n{closing}株式会社").splitlines()
    _, doc = _read(lines)
    assert _subjects(doc) == ["山本花子"]


def test_a_customer_signing_with_their_employer_keeps_their_phone():
    _, doc = _read(EMPLOYER_SIGNED.splitlines())
    assert doc.subjects[0].items.get("phone") == ["0398765432"]


def test_a_customer_signing_with_their_employer_from_their_own_address_is_one_person(tmp_path):
    data = mail("山本 花子 <yamamoto@midori-kogyo.co.jp>", "サンプル商事 <support@shop.example.co.jp>",
                "請求書の宛名の変更について", EMPLOYER_SIGNED, message_id="<e1@midori-kogyo.co.jp>")
    report, _ = _scan(tmp_path, {"inquiry.eml": data})
    assert report["people"] == 1


def test_a_customer_signing_with_their_employer_is_no_staff(tmp_path):
    data = mail("山本 花子 <yamamoto@midori-kogyo.co.jp>", "サンプル商事 <support@shop.example.co.jp>",
                "請求書の宛名の変更について", EMPLOYER_SIGNED, message_id="<e2@midori-kogyo.co.jp>")
    report, _ = _scan(tmp_path, {"inquiry.eml": data})
    assert report["people_detail"]["prose"]["staff_excluded"] == 0


NAMES_LISTED = ["本日発送分のお客様は以下のとおりです。", "", "株式会社サンプル商事 配送センター",
                "山田 太郎", "鈴木 一郎", "高橋 美咲"]


def test_names_listed_one_a_line_under_a_company_line_are_data_subjects():
    _, doc = _read(NAMES_LISTED)
    assert _subjects(doc) == ["山田太郎", "鈴木一郎", "高橋美咲"]


def test_names_listed_one_a_line_under_a_company_line_are_reported():
    names, _ = _read(NAMES_LISTED)
    assert [n for line in names[3:] for n in line] == ["山田 太郎", "鈴木 一郎", "高橋 美咲"]



def test_a_customer_forwarding_the_shops_mail_inline_stays_a_data_subject(tmp_path):
    # the shop's signature is in the customer's own message, but the customer does not sign it
    body = "確認をお願いします。\n\n----- 転送元 -----\n" + SHOP_ANSWER
    data = mail("山本 花子 <hanako.yamamoto@gmail.com>", "山本 太一 <taichi.yamamoto@gmail.com>",
                "配送の遅れについてのお詫び", body, message_id="<f1@mail.gmail.com>")
    report, _ = _scan(tmp_path, {"forward.eml": data})
    assert report["people"] == 2
