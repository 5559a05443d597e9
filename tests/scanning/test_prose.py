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
def test_a_reply_subject_answers_the_subject(subject, prefix):
    assert thread_keys(prefix + subject, []) == tuple(
        k.replace("subject:", "reply:") for k in thread_keys(subject, []))


@given(st.lists(st.from_regex(r"<[a-z0-9]{1,12}@[a-z]{1,8}\.jp>", fullmatch=True),
                min_size=1, max_size=4))
def test_a_reply_joins_its_root_by_the_first_reference(ids):
    assert thread_keys(None, ids) == thread_keys(None, ids[:1])


def _reply_without_ids(to: str, subject: str, body: str) -> bytes:
    raw = mail("林 一郎 <hayashi@sample-shop.co.jp>", to, subject, body, message_id="<x@y>")
    return raw.replace(b"Message-ID: <x@y>\n", b"")


def test_a_reply_without_ids_joins_the_mail_of_its_subject(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.eml", mail("山田 太郎 <taro@gmail.com>", "support@sample-shop.co.jp",
                                 "届いた商品の色が違います（注文 B-77）", "山田と申します。\n",
                                 message_id="<q@gmail.com>"))
    _write(folder, "b.eml", _reply_without_ids("support@sample-shop.co.jp",
                                               "Re: 届いた商品の色が違います（注文 B-77）",
                                               "山田様\n\n交換品を発送いたしました。\n"))
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 1


def test_a_reply_to_a_subject_two_mails_bear_joins_neither(tmp_path):
    folder = tmp_path / "leak"
    for i, name in enumerate(("山田 太郎", "山田 花子")):
        _write(folder, f"q{i}.eml", mail(f"{name} <q{i}@gmail.com>", "support@sample-shop.co.jp",
                                         "ご注文内容の確認のお願い", "よろしくお願いします。\n",
                                         message_id=f"<q{i}@gmail.com>"))
    _write(folder, "r.eml", _reply_without_ids("support@sample-shop.co.jp",
                                               "Re: ご注文内容の確認のお願い", "山田様\n\n承知しました。\n"))
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 3


def test_one_full_name_in_two_threads_is_one_person(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.txt", "お客様：佐藤 花子 様\n電話：090-1234-5678\n")
    _write(folder, "b.txt", "佐藤 花子 様より、メールアドレスを hanako@example.jp に変更したいとのこと。\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 1


def test_namesakes_with_different_birth_dates_are_two_people(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "a.txt", "お客様：佐藤 花子 様\n生年月日：1980年5月6日\n")
    _write(folder, "b.txt", "お客様：佐藤 花子 様\n生年月日：1992年11月2日\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 2


def test_a_customer_sharing_a_staff_surname_is_counted(tmp_path):
    folder = prose_threads.write(tmp_path / "leak", ["mail/answer.eml"])
    _write(folder, "note.txt", "4/8 林様より入電。ポイントの残高について問い合わせ。\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 2


def test_a_short_subject_joins_no_thread():
    assert thread_keys("お問い合わせ", []) == ()


def test_a_family_member_named_after_a_kinship_word_is_a_person(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "memo.txt", "お客様：佐藤 花子 様より入電。\n妻の美咲が代わりに受け取るとのこと。\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 2


def test_a_kinship_word_before_an_ordinary_word_names_no_one(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "memo.txt", "母の介護で不在がち。父の会社宛に送付。妻のために購入。\n")
    _, findings = _scan(folder, tmp_path)
    assert findings == []


def test_a_closing_in_a_call_log_does_not_make_the_rest_a_signature(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "log.txt", "4/1 山田 太郎様より入電。以上\n以上\n\n"
                              "4/2 サポートセンターにて対応。佐藤 花子様 090-1111-2222\n")
    report, _ = _scan(folder, tmp_path)
    assert report["people"] == 2


def test_a_support_address_is_not_reported(tmp_path):
    folder = tmp_path / "leak"
    _write(folder, "memo.txt", "返信先：support@sample-shop.co.jp\nお客様：hanako@example.jp\n")
    _, findings = _scan(folder, tmp_path)
    assert [f["line"] for f in findings if f["category"] == "email"] == [2]


# --- staff and other companies' people: named (personal data) but not data subjects --------

_NOTE = """2024年5月10日 対応記録
【担当】森田
対応者：山口
お客様 野口 博之 様より、以前のパスワード（noguchi1984）でログインできないとの連絡。
電話番号：090-2468-1357
配送業者の株式会社ミドリ物流の佐藤様に確認し、取引先の鈴木部長にも報告済み。
担当の山本です。本件は窓口の中村が引き継ぎます。
"""


def test_note_names_staff_and_business_contacts_as_findings(tmp_path):
    _write(tmp_path / "leak", "note.txt", _NOTE)
    _, findings = _scan(tmp_path / "leak", tmp_path)
    lines = sorted(line for line, _ in _names(findings, "note.txt"))
    # 森田, 山口, 野口, 佐藤 and 鈴木, 山本 and 中村
    assert lines == [2, 3, 4, 6, 6, 7, 7]


def test_note_counts_only_the_customer(tmp_path):
    _write(tmp_path / "leak", "note.txt", _NOTE)
    report, _ = _scan(tmp_path / "leak", tmp_path)
    assert report["people"] == 1


def test_note_reports_the_old_password(tmp_path):
    _write(tmp_path / "leak", "note.txt", _NOTE)
    _, findings = _scan(tmp_path / "leak", tmp_path)
    assert [f["line"] for f in findings if f["category"] == "password"] == [4]


def test_relative_with_a_one_kanji_given_name_is_a_second_person(tmp_path):
    _write(tmp_path / "leak", "note.txt",
           "お客様 柴田 恵子 様より連絡。\n不在の場合は夫の幹が受け取るとのこと。\n")
    report, _ = _scan(tmp_path / "leak", tmp_path)
    assert report["people"] == 2


def test_a_relatives_thing_of_one_kanji_is_no_person(tmp_path):
    _write(tmp_path / "leak", "note.txt",
           "お客様 柴田 恵子 様より連絡。\n不在の場合は夫の車で受け取りに来るとのこと。\n")
    report, _ = _scan(tmp_path / "leak", tmp_path)
    assert report["people"] == 1
