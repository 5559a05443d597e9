"""People in prose, the forms of the third development set (bench/corpus_prose3.py): a
customer who signs with their employer is a customer, a shop whose name holds no company word
signs for the company, three- and four-kanji family names, a relative with a kana given name,
an organisation named without a company word."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning.detectors import detect_text, person_name
from rouei.scanning.engine import ScanOptions, scan
from rouei.scanning.prose import ProseReader
from tests.scanning.prose_threads import scan_text


def _scan(tmp_path: Path, text: str, name: str = "mail.txt") -> tuple[dict, list[dict]]:
    return scan_text(tmp_path, text, name)


def _feed(lines: list[str]) -> list[set[str]]:
    """The categories reported on each line of a text part, after the prose model."""
    reader = ProseReader("part")
    return [{m.category for m in reader.feed(no, line, detect_text(line) if line else [])}
            for no, line in enumerate(lines, 1)]


# --- the lexicon: every name SudachiDict tags, read from its trie ----------------------------


@pytest.mark.parametrize("name", ["五十嵐", "勅使河原", "伊集院", "御手洗", "武者小路"])
def test_long_family_names_are_in_the_lexicon(name):
    assert name in person_name.family_names()


@pytest.mark.parametrize("name", ["真由美", "菜々子"])
def test_three_kanji_given_names_are_in_the_lexicon(name):
    assert name in person_name.given_names()


def test_a_clerk_with_a_three_kanji_family_name_is_a_name(tmp_path):
    _, findings = _scan(tmp_path, "■ 12/3 10:15 着信\n受付：五十嵐\n", "memo.txt")
    assert [f["line"] for f in findings if f["category"] == "person_name"] == [2]


def test_a_four_kanji_family_name_alone_is_the_full_name_of_the_part(tmp_path):
    text = ("勅使河原 浩二 様\n\n拝啓　平素は格別のお引き立てを賜り、厚く御礼申し上げます。\n"
            "勅使河原様よりお申し出のありました返金手続きが完了いたしました。\n")
    report, _ = _scan(tmp_path, text, "letter.txt")
    assert report["people"] == 1


# --- a customer signing with their employer ------------------------------------------------

_CUSTOMER_AT_WORK = """ことり堂 ご担当者様

お世話になります。東海林さくらです。
先週注文した商品がまだ届いておりません。

--
東海林 さくら
株式会社東和工機 経理部
〒530-0001 大阪府大阪市北区梅田2-6-20
TEL 06-5442-3255
"""


def test_a_customers_work_address_in_their_signature_is_a_finding(tmp_path):
    _, findings = _scan(tmp_path, _CUSTOMER_AT_WORK)
    assert {f["category"] for f in findings if f["line"] >= 8} == {"postal_code", "address",
                                                                   "phone"}


def test_a_customer_signing_with_their_employer_is_counted(tmp_path):
    report, _ = _scan(tmp_path, _CUSTOMER_AT_WORK)
    assert report["people"] == 1


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["--", "----------", "━━━━━━━━", "よろしくお願いします。"]),
       st.sampled_from(["株式会社東和工機 経理部", "有限会社みどり設計", "北辰フーズ株式会社 総務課",
                        "合同会社ナギ 営業部"]),
       st.sampled_from(["ご担当者様", "御中", "御社の対応を確認させてください。"]))
def test_a_work_address_after_a_separator_in_a_mail_to_the_company_is_reported(
        separator, employer, to_company):
    reported = _feed([f"ことり堂 {to_company}", "注文の件で連絡いたしました。", separator, employer,
                      "〒530-0001 大阪府大阪市北区梅田2-6-20", "TEL 06-5442-3255"])
    assert {"address", "phone"} <= reported[4] | reported[5]


# --- a shop whose name holds no company word -------------------------------------------------

_SHOP_ANSWER = """杉山 菜々子 様

このたびはことり堂をご利用いただき、誠にありがとうございます。
ご注文の商品は本日出荷いたしました。

何卒よろしくお願い申し上げます。

ことり堂
百瀬　香織
TEL 03-5298-4410 / FAX 03-5298-4411
"""


def test_a_signed_shop_signature_without_a_company_word_reports_no_office_phone(tmp_path):
    _, findings = _scan(tmp_path, _SHOP_ANSWER)
    assert [f["line"] for f in findings if f["category"] == "phone"] == []


def test_a_signed_shop_signature_without_a_company_word_is_staff(tmp_path):
    report, _ = _scan(tmp_path, _SHOP_ANSWER)
    assert report["people_detail"]["prose"]["staff_excluded"] == 1


def test_an_unsigned_address_after_a_separator_in_the_shops_voice_is_reported():
    reported = _feed(["このたびはご利用いただきありがとうございます。", "下記の住所へ再送いたします。",
                      "----------", "〒530-0001 大阪府大阪市北区梅田2-6-20"])
    assert "address" in reported[3]


def test_a_shops_name_before_its_customer_desk_is_not_a_name(tmp_path):
    _, findings = _scan(tmp_path, "ことり堂お客様窓口の梅田でございます。\n")
    assert [(f["start"], f["end"]) for f in findings if f["category"] == "person_name"] == [(10, 12)]


# --- relatives and other businesses --------------------------------------------------------


def test_a_relative_with_a_kana_given_name_is_counted(tmp_path):
    text = ("お名前：伊集院 和子\nお問い合わせ内容：\n"
            "夫の伊集院 ゆかりの名義で注文した商品を返品したいです。\n")
    report, _ = _scan(tmp_path, text, "inquiry.txt")
    assert report["people"] == 2


@pytest.mark.parametrize("line", ["配送はヤマブキ急便の阿久津が担当いたします。",
                                  "一次受けはみなみコールの野々村から連絡します。"])
def test_someone_of_a_business_named_without_a_company_word_is_a_name(tmp_path, line):
    _, findings = _scan(tmp_path, f"山田 太郎 様\n\n{line}\n")
    assert [f["line"] for f in findings if f["category"] == "person_name"] == [1, 3]


def test_someone_of_a_business_named_without_a_company_word_is_not_counted(tmp_path):
    report, _ = _scan(tmp_path, "山田 太郎 様\n\n配送はヤマブキ急便の阿久津が担当いたします。\n")
    assert report["people"] == 1


@pytest.mark.parametrize("line", ["長男の太郎君が受け取ります。", "叔母の山田 和子が代理で来店しました。",
                                  "二男・健太も同じ住所です。", "姪の美咲名義で購入されています。"])
def test_a_relative_by_any_relation_of_the_register_is_a_name(line):
    reader = ProseReader("part")
    assert [m.category for m in reader.feed(1, line, detect_text(line))] == ["person_name"]


@pytest.mark.parametrize("line", ["母のことが心配です。", "妻のパートの日は不在です。", "叔父の会社で使います。"])
def test_a_relation_before_an_ordinary_word_names_no_one(line):
    reader = ProseReader("part")
    assert reader.feed(1, line, detect_text(line)) == []


# --- a clerk's note in brackets, a name signing alone ----------------------------------------


def test_a_note_in_brackets_after_a_clerk_does_not_split_the_label(tmp_path):
    _, findings = _scan(tmp_path, "お問い合わせ内容：返品について\n対応：百瀬（12/2 返信済み）\n",
                        "inquiry.txt")
    assert [f["line"] for f in findings if f["category"] == "person_name"] == [2]


_CUSTOMER_REPLY = """ことり堂 ご担当者様

ご対応ありがとうございました。
無事に受け取りました。

五十嵐
"""


def test_a_name_alone_after_a_blank_line_at_a_messages_end_is_a_name(tmp_path):
    _, findings = _scan(tmp_path, _CUSTOMER_REPLY)
    assert [f["line"] for f in findings if f["category"] == "person_name"] == [6]


def test_a_customer_signing_alone_is_counted(tmp_path):
    report, _ = _scan(tmp_path, _CUSTOMER_REPLY)
    assert report["people"] == 1


def test_a_name_alone_as_a_messages_first_line_is_not_taken_for_its_writer(tmp_path):
    report, _ = _scan(tmp_path, "杉山 菜々子\n\nこのたびはご利用いただきありがとうございます。\n"
                                "ご注文の商品は本日出荷いたしました。\n\n百瀬 香織\n")
    assert report["people_detail"]["prose"]["staff_excluded"] == 1


def test_names_listed_one_a_line_are_not_writers(tmp_path):
    _, findings = _scan(tmp_path, "会議メモ\n出席者\n山田\n佐藤\n\n以上の通り確認した。\n")
    assert [f["line"] for f in findings if f["category"] == "person_name"] == []


def test_relatives_named_by_given_name_before_their_relation_are_counted(tmp_path):
    report, _ = _scan(tmp_path, "お客様：山田 太郎 様\n同居家族：健太（長男、12歳）、美咲（長女）\n",
                      "memo.txt")
    assert report["people"] == 3


@pytest.mark.parametrize("line", ["確認（家族）済み", "本人（妻）より連絡", "予約（家族）あり"])
def test_an_ordinary_word_before_a_relation_names_no_one(line):
    reader = ProseReader("part")
    assert reader.feed(1, line, detect_text(line)) == []


def test_a_surname_alone_does_not_attach_to_a_namesake_of_another_thread(tmp_path):
    folder = tmp_path / "leak"
    folder.mkdir()
    (folder / "memo_a.txt").write_text("■ 12/3 着信\n佐藤様より入電。商品の破損について。\n", encoding="utf-8")
    (folder / "memo_b.txt").write_text("■ 12/4 着信\n佐藤様より入電。\n折返し先 090-1234-5678\n",
                                       encoding="utf-8")
    report = scan([folder], ScanOptions(workers=1)).to_dict()
    assert report["people"] == 2
