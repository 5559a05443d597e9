"""People in prose, session 15: the shop's staff as support mail, call memos and chat logs name
them (以上、佐野でした, 佐野が承りました, CS 佐野, 弊社担当者・佐野, 担当: sano, 担当 さの, a labelled
signature box, オペレーター（佐野）:) are reported as names and kept out of the people count; a
reply's quoted header names the quoted message's writer — the customer in the shop's answer (one
person with the salutation), the clerk in the customer's reply; other organisations' people
(島袋医師, 訪問看護師の梶川さん, 銀行の窓口で大平さん) are not counted; a shop's name in kana
ending in 堂 or 屋 is not part of its clerk's name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning.detectors import detect_text
from rouei.scanning.prose import ProseDoc, ProseReader


def _read(lines: list[str]) -> tuple[list[list[str]], ProseDoc]:
    """The names reported on each line of a text part, and what the part leaves for the count."""
    reader = ProseReader("part")
    names = [[m.value for m in reader.feed(no, line, detect_text(line) if line else [])
              if m.category == "person_name"] for no, line in enumerate(lines, 1)]
    return names, reader.finish()


def _subjects(doc: ProseDoc) -> list[str]:
    return sorted(c.name or "" for c in doc.subjects)


# the shop's answer to a customer, before its closing
ANSWER = ["小西 弘美 様", "", "いつも当店をご利用いただきありがとうございます。",
          "お問い合わせの件、確認いたしました。"]
# a call memo's customer
MEMO = ["■ 11/25 16:15 受電", "お客様：小西 弘美 様", "内容：お届け日の変更。"]

# --- the staff naming themselves in an answer -------------------------------------------------

ANSWER_STAFF = [
    ("以上、佐野でした。", "佐野"),
    ("以上、カスタマーサポートの佐野でした。", "佐野"),
    ("以上、こはる堂　佐野でした。", "佐野"),
    ("ご注文の変更は佐野が承りました。", "佐野"),
    ("ご要望は佐野が確かに承りました。", "佐野"),
    ("以上、佐野がご案内いたしました。", "佐野"),
]


@pytest.mark.parametrize(("line", "name"), ANSWER_STAFF)
def test_a_clerk_signing_off_an_answer_is_reported(line, name):
    names, _ = _read([*ANSWER, line])
    assert names[-1] == [name]


@pytest.mark.parametrize(("line", "name"), ANSWER_STAFF)
def test_a_clerk_signing_off_an_answer_is_not_counted(line, name):
    _, doc = _read([*ANSWER, line])
    assert _subjects(doc) == ["小西弘美"]


def test_a_customer_signing_off_their_own_mail_is_counted():
    _, doc = _read(["こはる堂 ご担当者様", "", "お世話になっております。", "届け先を変更したいです。",
                    "以上、小西でした。"])
    assert _subjects(doc) == ["小西"]


# --- a clerk in a call memo -------------------------------------------------------------------

MEMO_STAFF = [
    ("担当: sano", "sano"),
    ("担当:SANO", "SANO"),
    ("対応：Sano", "Sano"),
    ("担当 さの", "さの"),
    ("受付　さの", "さの"),
    ("CS 佐野", "佐野"),
    ("サポート 佐野", "佐野"),
    ("弊社担当者・佐野 にて対応", "佐野"),
    ("本日の担当は佐野でした。", "佐野"),
    ("スタッフ佐野「折り返します」", "佐野"),
]


@pytest.mark.parametrize(("line", "name"), MEMO_STAFF)
def test_a_clerk_of_a_memo_is_reported(line, name):
    names, _ = _read([*MEMO, line])
    assert names[-1] == [name]


@pytest.mark.parametrize(("line", "name"), MEMO_STAFF)
def test_a_clerk_of_a_memo_is_not_counted(line, name):
    _, doc = _read([*MEMO, line])
    assert _subjects(doc) == ["小西弘美"]


NOT_A_CLERK = ["担当: none", "担当: TBD", "対応：なし", "担当 まだ", "受付 すみ", "担当: auto",
               "以上、母の件でした。", "サポート 充実", "対応: ok"]


@pytest.mark.parametrize("line", NOT_A_CLERK)
def test_a_label_and_no_name_reports_none(line):
    names, _ = _read([*MEMO, line])
    assert names[-1] == []


@given(st.from_regex(r"(?:ka|sa|ta|na|ma|ki|shi|to|no|da)(?:ka|sa|ta|na|ma|ki|shi|to|no|da|ra)",
                     fullmatch=True))
def test_a_romaji_family_name_under_a_clerks_label_is_never_counted(name):
    _, doc = _read([*MEMO, f"担当: {name}"])
    assert _subjects(doc) == ["小西弘美"]


# --- a signature box of labelled lines --------------------------------------------------------

BOXES = [
    ["━━━━━━━━", "こはる堂", "部署：カスタマーサポート部", "氏名：佐野 直樹", "電話：0120-11-2233",
     "━━━━━━━━"],
    ["━━━━━━━━", "こはる堂　お客様窓口", "担当者名：佐野 直樹", "TEL：0120-11-2233", "━━━━━━━━"],
    ["------------------", "【会社名】こはる堂", "【部署】EC運営部", "【氏名】佐野 直樹",
     "【電話】0120-11-2233", "------------------"],
]


@pytest.mark.parametrize("box", BOXES)
def test_the_writer_in_a_labelled_signature_box_is_not_counted(box):
    _, doc = _read([*ANSWER, "よろしくお願いいたします。", "", *box])
    assert _subjects(doc) == ["小西弘美"]


@pytest.mark.parametrize("box", BOXES)
def test_the_writer_in_a_labelled_signature_box_is_reported(box):
    names, _ = _read([*ANSWER, "よろしくお願いいたします。", "", *box])
    assert ["佐野 直樹"] in names


# --- a chat log ---------------------------------------------------------------------------------

CHAT = ["2026-11-19 12:02 オペレーター（佐野）: お問い合わせありがとうございます。",
        "2026-11-19 12:03 お客様（小西 弘美）: 小西と申します。注文の件です。",
        "2026-11-19 12:05 オペレーター（佐野）: 小西様、確認いたしました。"]


def test_a_chats_operator_is_reported():
    names, _ = _read(CHAT)
    assert names[0] == ["佐野"]


@pytest.mark.parametrize("line", ["[オペレーター] 佐野: お待たせいたしました。",
                                  "オペレーター（佐野）：お待たせいたしました。",
                                  "12:02 【スタッフ】佐野: お待たせいたしました。"])
def test_a_chats_operator_without_a_time_or_in_brackets_is_reported(line):
    names, _ = _read([line, *CHAT[1:]])
    assert names[0] == ["佐野"]


def test_a_chats_customer_speaker_is_counted_once():
    _, doc = _read(["お客様（小西 弘美）: 注文の件です。", "オペレーター（佐野）: 小西様、確認いたします。"])
    assert _subjects(doc) == ["小西弘美"]


def test_a_chats_operator_is_not_counted_and_its_customer_is_once():
    _, doc = _read(CHAT)
    assert _subjects(doc) == ["小西弘美"]


# --- a reply's quoted header ------------------------------------------------------------------

QUOTED_CUSTOMER = ["> こはる堂 ご担当者様", ">", "> お世話になっております。小西です。", "> 届け先の件です。",
                   ">", "> 小西 弘美"]
CUSTOMER_HEADERS = ["2026年11月24日(火) 17:18 小西 弘美 <hiromi.k@example.ne.jp>:",
                    "小西 弘美 様からのメール（2026/11/24）:", "小西 弘美 さんは書きました:",
                    "On 2026/11/24 17:18, 小西 弘美 wrote:"]


@pytest.mark.parametrize("header", CUSTOMER_HEADERS)
def test_the_customer_in_the_header_of_a_quoted_mail_is_reported(header):
    names, _ = _read([*ANSWER, "以上、佐野でした。", "", header, *QUOTED_CUSTOMER])
    assert names[len(ANSWER) + 2] == ["小西 弘美"]


@pytest.mark.parametrize("header", CUSTOMER_HEADERS)
def test_the_customer_in_the_header_of_a_quoted_mail_is_one_person_with_the_salutation(header):
    _, doc = _read([*ANSWER, "以上、佐野でした。", "", header, *QUOTED_CUSTOMER])
    assert _subjects(doc) == ["小西弘美"]


QUOTED_ANSWER = ["> 小西 弘美 様", ">", "> お問い合わせいただきありがとうございます。",
                 "> 再配達を手配いたしました。", "> 以上、佐野でした。", ">", "> こはる堂 お客様係",
                 "> TEL 0120-11-2233"]
CLERK_HEADERS = ["佐野 直樹 様からのメール（2026/11/24）:", "佐野 直樹 さんは書きました:",
                 "On 2026/11/24 17:18, 佐野 直樹 wrote:",
                 "2026年11月24日(火) 17:18 佐野 直樹 <support@koharu.example.jp>:"]
REPLY = ["こはる堂 佐野 様", "", "ご返信ありがとうございます。小西です。", "承知しました。", "", "小西 弘美", ""]


@pytest.mark.parametrize("header", CLERK_HEADERS)
def test_the_clerk_in_the_header_of_a_quoted_answer_is_not_counted(header):
    _, doc = _read([*REPLY, header, *QUOTED_ANSWER])
    assert _subjects(doc) == ["小西弘美"]


@pytest.mark.parametrize("header", CLERK_HEADERS)
def test_the_clerk_in_the_header_of_a_quoted_answer_is_reported(header):
    names, _ = _read([*REPLY, header, *QUOTED_ANSWER])
    assert names[len(REPLY)] == ["佐野 直樹"]


@pytest.mark.parametrize("shop", ["こはる堂", "ふくら屋", "はなみずき通販"])
def test_a_shops_name_in_kana_is_no_part_of_its_clerks_name(shop):
    names, _ = _read([f"{shop} 岡部 様", "", "お世話になっております。小西です。"])
    assert names[0] == ["岡部"]


@pytest.mark.parametrize("shop", ["こはる堂", "ふくら屋", "はなみずき通販"])
def test_the_clerk_a_customer_writes_to_by_the_shops_name_is_not_counted(shop):
    _, doc = _read([f"{shop} 岡部 様", "", "お世話になっております。小西です。", "", "小西 弘美"])
    assert _subjects(doc) == ["小西弘美"]


# --- other organisations' people --------------------------------------------------------------

OTHERS = [
    ("かかりつけの島袋医師から許可は出ています。", "島袋"),
    ("訪問看護師の梶川さんが受け取ります。", "梶川"),
    ("銀行の窓口で大平さんに控えをもらいました。", "大平"),
    ("病院の大平さんに聞きました。", "大平"),
    ("区役所の大平さんから連絡がありました。", "大平"),
    ("大平マネージャーに確認します。", "大平"),
]


@pytest.mark.parametrize(("line", "name"), OTHERS)
def test_another_organisations_person_is_reported(line, name):
    names, _ = _read([*MEMO, line])
    assert names[-1] == [name]


@pytest.mark.parametrize(("line", "name"), OTHERS)
def test_another_organisations_person_is_not_counted(line, name):
    _, doc = _read([*MEMO, line])
    assert _subjects(doc) == ["小西弘美"]


def test_a_family_name_ending_in_ya_is_still_a_customers_name():
    # 土屋, 古屋: a family name of the lexicon, not a shop's 屋
    _, doc = _read(["土屋 弘美 様", "", "お問い合わせありがとうございます。"])
    assert _subjects(doc) == ["土屋弘美"]
