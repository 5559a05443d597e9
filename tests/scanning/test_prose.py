"""People in prose: mails and notes name the customers, the staff who answer them and the
company; only the customers are data subjects, each once however often they are named."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning.engine import ScanOptions, scan
from rouei.scanning.prose import thread_keys
from tests.scanning import prose_threads
from tests.scanning.prose_threads import mail
from tests.scanning.readers.builders import csv_text


def _scan(folder: Path, tmp_path: Path) -> tuple[dict, list[dict]]:
    out = tmp_path / "findings.jsonl"
    report = scan([folder], ScanOptions(workers=1), findings_out=out).to_dict()
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return report, findings


def _write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _names(findings: list[dict], file: str) -> list[tuple[int, str]]:
    return [(f["line"], f["masked"]) for f in findings
            if f["file"] == file and f["category"] == "person_name"]


def test_threads_count_each_customer_once(tmp_path):
    folder = prose_threads.write(tmp_path / "leak")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == len(prose_threads.SUBJECTS)


def test_threads_leave_the_staff_out_and_say_how_many(tmp_path):
    folder = prose_threads.write(tmp_path / "leak")
    report, _ = _scan(folder, tmp_path)
    assert report["people_detail"]["prose"]["staff_excluded"] == len(prose_threads.STAFF)


def test_inquiry_and_its_answer_are_one_customer(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/inquiry.eml", "mail/answer.eml"])
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 1


def test_a_complaint_naming_the_writers_mother_is_two_people(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/complaint.eml"])
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 2


def test_a_mis_sent_mail_apology_names_two_customers_not_its_writer(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/missent.eml"])
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 2


def test_a_call_note_is_one_customer_not_one_per_line(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["notes/call_0403.txt"])
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 1


def test_a_customers_self_introduction_with_desu_is_a_name(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/complaint.eml"])
    _, findings = _scan(folder, tmp_path)
    body = [line for line, _ in _names(findings, "mail/complaint.eml") if line > 5]
    # お世話になっております。田中です。 is the ninth line of the body
    assert body[0] == 12


def test_a_customers_signature_is_a_name(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/complaint.eml"])
    _, findings = _scan(folder, tmp_path)
    assert _names(findings, "mail/complaint.eml")[-1] == (19, "田* **")


def test_a_staff_signature_name_is_reported_as_a_name(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/missent.eml"])
    _, findings = _scan(folder, tmp_path)
    assert (19, "山* *") in _names(findings, "mail/missent.eml")


def test_the_companys_phone_in_its_signature_is_not_a_finding(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/answer.eml"])
    _, findings = _scan(folder, tmp_path)
    phones = [f["line"] for f in findings if f["category"] == "phone"]
    assert phones == [27]  # the customer's number in the quoted mail, not TEL/FAX above


def test_tables_and_prose_are_counted_apart_and_together(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/inquiry.eml"])
    _write(folder, "顧客.csv", csv_text([["氏名", "電話番号"], ["佐藤 花子", "090-1234-5678"],
                                        ["木村 拓也", "090-2222-3333"]]))
    report, _ = _scan(folder, tmp_path)
    detail = report["people_detail"]
    assert (detail["tables"]["people"], detail["prose"]["people"], report["people"]) == (2, 1, 2)


def test_a_surname_alone_links_only_within_its_thread(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.eml", mail("support@sample-shop.co.jp", "山田 太郎 <taro@example.jp>",
                                 "ポイント残高のお知らせ（4月分）", "山田 太郎 様\n\n残高は120ポイントです。\n",
                                 message_id="<a@sample-shop.co.jp>"))
    _write(folder, "b.txt", "4/5 山田様より入電。配送日の変更を受付。\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 2


def test_a_list_of_phone_numbers_without_names_is_one_person_each(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "callback.txt", "折り返し先一覧\n090-1111-2222\n080-3333-4444\n070-5555-6666\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 3


def test_a_phone_and_an_address_without_a_name_are_one_person(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "memo.txt", "お届け先：東京都港区芝公園4-2-8\n連絡先：090-1111-2222\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 1


def test_a_toll_free_number_does_not_join_people(tmp_path):
    folder = tmp_path / "leak"
    for i in range(3):
        _write(folder, f"memo{i}.txt",
               f"連絡先：090-1111-{i:04d}\nフリーダイヤル 0120-123-456 へ案内済み。\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 3


_SUBJECT = st.text(alphabet=st.sampled_from("注文商品が届きません配送返品のお問い合わせ0123AB"),
                   min_size=10, max_size=40).filter(lambda s: s.strip() == s)


@given(_SUBJECT, st.sampled_from(["Re: ", "RE:", "Fwd: ", "返信: ", "Re: Re: ", "FW: "]))
def test_a_reply_subject_joins_the_thread_of_the_subject(subject, prefix):
    assert thread_keys(prefix + subject, []) == thread_keys(subject, [])


@given(st.lists(st.from_regex(r"<[a-z0-9]{1,12}@[a-z]{1,8}\.jp>", fullmatch=True),
                min_size=1, max_size=4))
def test_a_reply_joins_its_root_by_the_first_reference(ids):
    assert thread_keys(None, ids) == thread_keys(None, ids[:1])


def test_a_short_subject_joins_no_thread():
    assert thread_keys("お問い合わせ", []) == ()
