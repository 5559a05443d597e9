"""Names in the forms business mail, call memos, minutes and chat write them (the second
development set, bench/corpus_prose2.py): the company's staff by label, in lists, as initials
and as a chat's speaker are reported as names and not counted; customers in brackets and their
family after an honorific kinship word are counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning.detectors import detect_text, person_name
from rouei.scanning.engine import ScanOptions, scan
from tests.scanning.prose_threads import mail, scan_text


def _scan(tmp_path: Path, text: str, name: str = "memo.txt") -> tuple[dict, list[dict]]:
    return scan_text(tmp_path, text, name)


def _name_lines(findings: list[dict]) -> list[int]:
    return sorted(f["line"] for f in findings if f["category"] == "person_name")


# --- the lexicon --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["樋口 康弘", "坂口遥", "星野 みゆき", "長谷川", "佐々木",
                                  "山田", "鈴木"])
def test_family_names_of_the_lexicon_are_names(name):
    assert person_name.in_lexicon(name)


@pytest.mark.parametrize("word", ["確認", "対応", "税込", "必須", "本日", "完了", "至急", "返品"])
def test_ordinary_words_are_not_in_the_lexicon(word):
    assert not person_name.in_lexicon(word)


@given(st.sampled_from(["受付", "対応", "記入者", "作成者", "応対者"]),
       st.sampled_from(["済", "完了", "未定", "不要", "確認中", "至急", "本日"]))
def test_a_clerk_label_before_an_ordinary_word_names_no_one(label, word):
    from rouei.scanning.prose import _lexicon_spans
    assert _lexicon_spans(f"{label}：{word}", False, False) == []


# --- staff: reported, not counted ---------------------------------------------------------

_MEMO = """■ 12/3 10:15 着信
受付：南
お客様（三浦 博之）より入電。
090-1234-5678 に折り返し済み
娘さんのひとみ様が代わりに受け取り予定とのこと。
内容確認のうえ、翌日再度連絡する。（坂口）
応対者 樋口
"""


def test_a_memos_clerks_and_initials_are_names(tmp_path):
    _, findings = _scan(tmp_path, _MEMO)
    assert _name_lines(findings) == [2, 3, 5, 6, 7]


def test_a_memo_counts_the_caller_and_the_family_member_only(tmp_path):
    report, _ = _scan(tmp_path, _MEMO)
    assert report["people"] == 2


def test_the_memos_clerks_are_counted_as_staff(tmp_path):
    report, _ = _scan(tmp_path, _MEMO)
    assert report["people_detail"]["prose"]["staff_excluded"] == 3


_MINUTES = """議事録：誤送信の件
出席者：坂口、永井、樋口 康弘（敬称略）
1. 会員の吉岡 順子様宛のメールを別の会員に誤送信した。
（弊社片山も同席します）
"""


def test_attendees_of_an_honorific_free_list_are_names(tmp_path):
    _, findings = _scan(tmp_path, _MINUTES)
    assert _name_lines(findings) == [2, 2, 2, 3, 4]


def test_minutes_count_the_customer_only(tmp_path):
    report, _ = _scan(tmp_path, _MINUTES)
    assert report["people"] == 1


_CHAT = """[10:02] 星野 みゆき: 榎本様から再度お電話ありました
[10:03] 片山 涼: 了解です、榎本 力様の件は私が引き継ぎます
[10:05] 星野 みゆき: 会員の吉岡 順子さんの返品もお願いします
"""


def test_chat_speakers_are_names(tmp_path):
    _, findings = _scan(tmp_path, _CHAT, "chat.txt")
    assert _name_lines(findings) == [1, 1, 2, 2, 3, 3]


def test_chat_speakers_talking_of_customers_are_not_counted(tmp_path):
    report, _ = _scan(tmp_path, _CHAT, "chat.txt")
    assert report["people"] == 2


def test_a_customer_speaking_in_a_chat_is_counted(tmp_path):
    chat = "[10:02] 榎本 力: 注文した商品が届きません\n[10:03] 星野 みゆき: 榎本様、確認いたします\n"
    report, _ = _scan(tmp_path, chat, "chat.txt")
    assert report["people"] == 1


_ANSWER = """榎本 力 様

この度はご利用いただきありがとうございます。
本件を担当いたします片山です。

--
さくら堂 コールセンター 森下　遥
押田 良子（総務部 課長）
TEL 03-6000-1234
"""


def test_a_staff_self_introduction_after_other_words_is_a_name(tmp_path):
    _, findings = _scan(tmp_path, _ANSWER, "answer.txt")
    assert 4 in _name_lines(findings)


def test_signature_names_after_a_unit_or_before_a_title_are_names(tmp_path):
    _, findings = _scan(tmp_path, _ANSWER, "answer.txt")
    assert [line for line in _name_lines(findings) if line >= 7] == [7, 8]


def test_a_department_before_a_title_is_not_a_name(tmp_path):
    _, findings = _scan(tmp_path, _ANSWER, "answer.txt")
    assert not any(f["category"] == "person_name" and f["line"] == 8 and "部" in f.get("masked", "")
                   for f in findings)


def test_an_answer_counts_the_customer_not_the_staff(tmp_path):
    report, _ = _scan(tmp_path, _ANSWER, "answer.txt")
    assert report["people"] == 1


def _detected_names(text: str) -> list[str]:
    return [m.value for m in detect_text(text) if m.category == "person_name"]


def test_every_address_of_a_cc_line_names_its_person():
    cc = "Cc: 五十嵐 翔太 <a@shop.example.jp>, 片山 涼 <b@shop.example.jp>"
    assert _detected_names(cc) == ["五十嵐 翔太", "片山 涼"]


def test_a_son_called_by_his_relation_is_not_a_name():
    assert "息子" not in _detected_names("息子さんの一輝様が受け取ります")


def test_a_shops_name_before_the_staff_in_a_from_line_is_not_part_of_the_name(tmp_path):
    mail = ("From: ミナト商会 押田 <s1@shop.example.jp>\nTo: 荒木 遥 <h@example.ne.jp>\n"
            "Subject: Re: 注文の件\n\n荒木 遥 様\n\nご連絡ありがとうございます。\n")
    _, findings = _scan(tmp_path, mail, "answer.eml")
    assert _name_lines(findings)[0] == 1


def test_a_relative_with_a_given_name_of_the_lexicon_is_a_person(tmp_path):
    report, _ = _scan(tmp_path, "お客様 荒木 遥 様より連絡。\n受け取りは娘の康弘が対応します。\n")
    assert report["people"] == 2


_FORWARDED = """株式会社ミライ物流 御中

お客様（荒木 遥様）の配送の件、ご確認ありがとうございました。

----- 転送元 -----
株式会社ミライ物流 配送管理部 佐藤 一郎
ミライ物流の佐藤が出荷記録を確認済みです。
（担当：坂口）
"""


def test_other_companies_people_without_an_honorific_are_names(tmp_path):
    _, findings = _scan(tmp_path, _FORWARDED)
    assert _name_lines(findings) == [3, 6, 7, 8]


def test_other_companies_people_are_not_counted(tmp_path):
    report, _ = _scan(tmp_path, _FORWARDED)
    assert report["people"] == 1


def test_a_relative_in_brackets_after_the_kinship_word_is_a_person(tmp_path):
    report, _ = _scan(tmp_path, "お客様 荒木 遥 様より連絡。\n同居のご家族（妻・美咲）も同じ注文履歴あり。\n")
    assert report["people"] == 2


def test_a_relative_with_an_honorific_and_a_one_kanji_name_is_a_person(tmp_path):
    report, _ = _scan(tmp_path, "お客様 荒木 遥 様より連絡。\n奥様の稔様が代わりに受け取り予定とのこと。\n")
    assert report["people"] == 2


_MANAGER = """荒木 遥 様

店長の堀が確認いたしました。
担当：ミライ物流 坂口（内線123）
家族：荒木 康弘（夫）
"""


def test_a_manager_and_a_carriers_clerk_are_names(tmp_path):
    _, findings = _scan(tmp_path, _MANAGER)
    assert _name_lines(findings) == [1, 3, 4, 5]


def test_a_relative_named_before_the_relation_is_counted_and_the_company_people_are_not(tmp_path):
    report, _ = _scan(tmp_path, _MANAGER)
    assert report["people"] == 2


def test_a_sender_with_the_company_in_brackets_is_a_name(tmp_path):
    raw = mail("佐藤 一郎（ミライ物流） <sato@mirai.example.jp>", "荒木 遥 <h@example.ne.jp>",
               "配送の件", "荒木 遥 様\n\nご確認ください。\n", message_id="<m1@mirai.example.jp>")
    folder = tmp_path / "leak"
    folder.mkdir()
    (folder / "mail.eml").write_bytes(raw)
    out = tmp_path / "findings.jsonl"
    scan([folder], ScanOptions(workers=1), findings_out=out)
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [f["masked"] for f in findings if f["line"] == 1 and f["category"] == "person_name"] \
        == ["佐* **"]


@given(st.sampled_from(["部長", "店長", "課長", "責任者", "担当者"]),
       st.sampled_from(["の指示により", "の判断で", "の方針", "に確認", "より連絡"]))
def test_a_post_before_an_ordinary_word_names_no_one(post, rest):
    from rouei.scanning.prose import _lexicon_spans
    assert _lexicon_spans(post + rest, False, False) == []


@pytest.mark.parametrize("line", ["電話対応：樋口", "一次受付 樋口", "対応：坂口→樋口"])
def test_a_compound_clerk_label_names_its_clerk(line):
    from rouei.scanning.prose import _lexicon_spans
    assert "樋口" in [line[a:b] for a, b, _ in _lexicon_spans(line, False, False)]


def test_a_customers_identity_check_is_not_a_clerk_label():
    from rouei.scanning.prose import _lexicon_spans
    assert _lexicon_spans("本人確認：山田 太郎", False, False) == []


# --- the company's own signature or letterhead: its address is the organisation's ----------


def _feed(lines: list[str]) -> list[set[str]]:
    """The categories reported on each line of a text part, after the prose model."""
    from rouei.scanning.prose import ProseReader
    reader = ProseReader("part")
    return [{m.category for m in reader.feed(no, line, detect_text(line) if line else [])}
            for no, line in enumerate(lines, 1)]


_LETTERHEAD = """山田 太郎 様

お問い合わせありがとうございました。商品は本日発送いたしました。

以上、よろしくお願いいたします。
----------------------------------
株式会社さくら堂 カスタマーサポート部
〒150-0001 東京都渋谷区神宮前1-2-3 さくらビル5F
TEL：03-6000-1234　FAX：03-6000-1235
"""


def test_the_companys_address_in_its_signature_is_not_a_finding(tmp_path):
    _, findings = _scan(tmp_path, _LETTERHEAD, "answer.txt")
    assert {f["category"] for f in findings if f["line"] >= 7} == set()


def test_the_companys_address_in_its_signature_is_no_one(tmp_path):
    report, _ = _scan(tmp_path, _LETTERHEAD, "answer.txt")
    assert report["people_detail"]["prose"]["people"] == 1  # 山田 太郎 only


_CUSTOMER_AFTER_SEPARATOR = """お世話になっております。注文の件で連絡いたしました。
届け先を以下に変更してください。
----------------------------------
〒150-0001 東京都渋谷区神宮前1-2-3 渋谷センタービル5F
TEL 090-1234-5678
"""


def test_a_customers_address_after_a_separator_is_a_finding(tmp_path):
    _, findings = _scan(tmp_path, _CUSTOMER_AFTER_SEPARATOR, "mail.txt")
    assert {f["category"] for f in findings if f["line"] == 4} == {"postal_code", "address"}


_DELIVERY_IN_A_SHOPS_MAIL = """━━━━━━━━━━━━━━━━
株式会社さくら堂 ご注文確認
━━━━━━━━━━━━━━━━
■お届け先：
〒150-0001 東京都渋谷区神宮前1-2-3 さくらビル5F
山田 太郎 様
"""


def test_a_delivery_address_in_a_shops_box_is_a_finding(tmp_path):
    _, findings = _scan(tmp_path, _DELIVERY_IN_A_SHOPS_MAIL, "order.txt")
    assert {f["category"] for f in findings if f["line"] == 5} == {"postal_code", "address"}


_SEPARATORS = ["--", "----------", "==========", "━━━━━━━━", "＊＊＊＊＊", "以上", "敬具",
               "よろしくお願いいたします。"]
_ADDRESSES = ["〒150-0001 東京都渋谷区神宮前1-2-3", "〒530-0001 大阪府大阪市北区梅田2-4-9 梅田ビル3F",
              "〒060-0001 北海道札幌市中央区北一条西4-1-1"]


@given(st.sampled_from(_SEPARATORS), st.sampled_from(_ADDRESSES),
       st.sampled_from(["株式会社さくら堂", "有限会社ミナト商会", "合同会社あおば屋", "ひかり薬局 お客様相談室",
                        "北斗ストア 通販事業部"]),
       st.sampled_from(["TEL：03-6000-1234", "電話 06-6000-1234 / FAX 06-6000-1235", ""]))
def test_an_organisations_letterhead_reports_no_address(separator, address, company, phone):
    reported = _feed(["お問い合わせの件、承知いたしました。", separator, company, address, phone])
    assert reported[3] | reported[4] == set()


@given(st.sampled_from(_SEPARATORS), st.sampled_from(_ADDRESSES),
       st.sampled_from(["", "山田 太郎", "お届け先：", "■ご住所", "佐藤 花子 様"]),
       st.sampled_from(["TEL：090-1234-5678", ""]))
def test_a_customers_address_after_any_separator_is_reported(separator, address, before, phone):
    reported = _feed(["住所の変更をお願いします。", separator, before, address, phone])
    assert "address" in reported[3]


def test_a_customers_phone_in_a_building_named_centre_is_a_finding(tmp_path):
    _, findings = _scan(tmp_path, _CUSTOMER_AFTER_SEPARATOR, "mail.txt")
    assert [f["line"] for f in findings if f["category"] == "phone"] == [5]


def test_the_customer_in_a_shops_delivery_box_is_counted(tmp_path):
    report, _ = _scan(tmp_path, _DELIVERY_IN_A_SHOPS_MAIL, "order.txt")
    assert report["people_detail"]["prose"]["people"] == 1


# --- relatives named by a given name in kana alone (issue 14) -------------------------------

_CUSTOMER = "お客様 荒木 遥 様より連絡。\n"


@pytest.mark.parametrize("line", ["祖母のハルが代わりに受け取ります。", "母・ヨシ子も同居しています。",
                                  "長女 さくら（8歳）の分も注文。", "父のタロウも来店予定。",
                                  "ミツ（祖母）が電話に出ました。", "孫のはるか（8歳）も。",
                                  "長男 ユウキ君の分です。"])
def test_a_relative_named_by_a_kana_given_name_is_a_person(tmp_path, line):
    report, _ = _scan(tmp_path, _CUSTOMER + line + "\n")
    assert report["people"] == 2


@pytest.mark.parametrize("line", ["祖母のハルが代わりに受け取ります。", "ミツ（祖母）が電話に出ました。"])
def test_a_relatives_kana_given_name_is_reported_as_a_name(tmp_path, line):
    _, findings = _scan(tmp_path, _CUSTOMER + line + "\n")
    assert _name_lines(findings) == [1, 2]


@pytest.mark.parametrize("line", ["母のポイントを使いたいとのこと。", "妻のカードで支払い済み。",
                                  "父のメールにも同じ案内を送付。", "祖母のスマホが壊れたため電話で。",
                                  "娘のアカウントは削除不要。", "はい（母）と答えました。",
                                  "はい、ありがとうございます。", "妻のママが来店。",
                                  "母のほうでも確認します。", "妻のためにも早めに。", "父のぶんも注文。",
                                  "息子のパソコンから注文。", "母のファイルを添付。",
                                  "夫のクレカは使えません。", "母・はい、そうです。"])
def test_a_kana_word_after_a_relation_that_is_not_a_name_names_no_one(tmp_path, line):
    report, findings = _scan(tmp_path, _CUSTOMER + line + "\n")
    assert (report["people"], _name_lines(findings)) == (1, [1])
