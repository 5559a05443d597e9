"""People in prose, session 14 (prose2): the company's officers and clerks named by their post
(代表取締役 鬼頭 昌平, 支配人の田中が, 店長の山本です, 〇〇商会の鬼頭です, 担当：タカギ, 担当オペレーター：,
店員の木村さん, そちらの山田さん in a customer's mail to the shop) and a doctor (主治医の山田先生)
are reported as names and kept out of the people count; a
relative's given name in romaji (妻 Hanako が, 娘のYuiが) is reported and counted, a brand after a
relation word is not (妻のAmazon, 母のiPhone); a relative's name ends before a particle or a
place word that the frame took to the line's end (娘のひなが → ひな, 妹 明美 宅 → 明美)."""

from __future__ import annotations

import pytest

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


CUSTOMER = "■お名前：小西 弘美"
# a few lines first: the writer's self-introduction of a message's first lines is another frame
BODY = [CUSTOMER, "ご注文の件で連絡しました。", "確認をお願いします。", "届け先は自宅です。",
        "以上です。"]

# --- the company's officers and clerks by their post -----------------------------------------

STAFF_LINES = [
    ("代表取締役　鬼頭 昌平", "鬼頭 昌平"),
    ("支配人の田中が伺います。", "田中"),
    ("店長の山本です。", "山本"),
    ("代表の鬼頭 昌平より", "鬼頭 昌平"),
    ("係員の汐見がご案内します。", "汐見"),
    ("ひだまり商会の鬼頭です。", "鬼頭"),
    ("担当：タカギ", "タカギ"),
    ("文責：ノグチ", "ノグチ"),
    ("対応者：ミヤケ（カスタマーサポート）", "ミヤケ"),
    ("担当オペレーター：佐藤", "佐藤"),
    ("担当窓口：佐藤", "佐藤"),
    ("返信者：佐藤", "佐藤"),
    ("主治医の山田先生に相談しました。", "山田"),
    ("かかりつけの鈴木先生から紹介状をもらいました。", "鈴木"),
]


@pytest.mark.parametrize(("line", "name"), STAFF_LINES)
def test_a_staff_member_named_by_their_post_is_reported(line, name):
    names, _ = _read([*BODY, line])
    assert names[-1] == [name]


@pytest.mark.parametrize(("line", "name"), STAFF_LINES)
def test_a_staff_member_named_by_their_post_is_not_counted(line, name):
    _, doc = _read([*BODY, line])
    assert _subjects(doc) == ["小西弘美"]


def test_a_shops_signature_without_a_company_word_of_before_is_staff():
    # 〇〇商会 holds no 株式会社: the name below the closing was a customer's before
    _, doc = _read(["小西 弘美 様", "", "お問い合わせありがとうございます。", "よろしくお願いいたします。",
                    "", "ひだまり商会 鬼頭 昌平"])
    assert _subjects(doc) == ["小西弘美"]


def test_the_clerk_a_customer_mentions_by_post_is_not_counted():
    _, doc = _read(["ひだまり商会 ご担当者様", "", "先日、店員の木村さんに対応していただきました。",
                    "--", "小西 弘美"])
    assert "木村" not in _subjects(doc)


def test_the_clerk_a_customer_mentions_by_post_is_reported():
    names, _ = _read(["ひだまり商会 ご担当者様", "", "先日、店員の木村さんに対応していただきました。"])
    assert names[2] == ["木村"]


@pytest.mark.parametrize("line", ["営業の山田さんにお伝えください。", "そちらの山田さんから電話がありました。"])
def test_the_companys_clerk_in_a_customers_words_is_not_counted(line):
    _, doc = _read(["ひだまり商会 ご担当者様", "", line, "--", "小西 弘美"])
    assert "山田" not in _subjects(doc)


NOT_STAFF_LINES = [
    "担任の先生に相談しました。",
    "先生に相談しました。",
    "応答：なし",
    "返信：済み",
    "代表の電話番号に連絡しました。",
    "スタッフの皆様によろしく。",
    "店長の対応が悪かった。",
    "取締役会の決定です。",
    "代表取締役の印鑑が必要です。",
    "対応者：ナシ",
    "受付：メール",
    "担当：ネット",
]


@pytest.mark.parametrize("line", NOT_STAFF_LINES)
def test_a_post_or_a_label_without_a_name_reports_none(line):
    names, _ = _read([*BODY, line])
    assert names[-1] == []


# --- relatives: romaji given names, and names that ended too late ----------------------------

ROMAJI_LINES = [
    ("妻 Hanako が受け取ります。", "Hanako"),
    ("娘のYuiが使います。", "Yui"),
    ("息子のRenくんの分です。", "Ren"),
    ("母・Ｓｕｍｉｋｏ宛に送ってください。", "Ｓｕｍｉｋｏ"),
]


@pytest.mark.parametrize(("line", "name"), ROMAJI_LINES)
def test_a_relative_in_romaji_is_reported(line, name):
    names, _ = _read([CUSTOMER, line])
    assert names[1] == [name]


@pytest.mark.parametrize(("line", "name"), ROMAJI_LINES)
def test_a_relative_in_romaji_is_counted(line, name):
    _, doc = _read([CUSTOMER, line])
    assert len(doc.subjects) == 2


BRAND_LINES = [
    "妻のAmazonのアカウントで注文しました。",
    "母のiPhoneから送っています。",
    "父のYahooメールに届きます。",
    "妻のGmailに送ってください。",
    "娘のSuicaを落としました。",
    "夫のRakutenポイントを使います。",
    "娘 Mama と呼んでいます。",
]


@pytest.mark.parametrize("line", BRAND_LINES)
def test_a_brand_or_device_after_a_relation_is_no_name(line):
    names, _ = _read([CUSTOMER, line])
    assert names[1] == []


TRIMMED_LINES = [
    ("先週受け取ったのは娘のひなが", "ひな"),
    ("孫のみおが、先に電話しました。", "みお"),
    ("妹 明美 宅に送ってください。", "明美"),
    ("姉 里美 方へお願いします。", "里美"),
]


@pytest.mark.parametrize(("line", "name"), TRIMMED_LINES)
def test_a_relatives_name_ends_before_a_particle_or_a_place_word(line, name):
    names, _ = _read([CUSTOMER, line])
    assert names[1] == [name]


KEPT_LINES = [
    ("娘のあやの", "あやの"),
    ("娘のさや", "さや"),
    ("娘のまこと", "まこと"),
    ("娘のかなで", "かなで"),
    ("娘のもも", "もも"),
]


@pytest.mark.parametrize(("line", "name"), KEPT_LINES)
def test_a_kana_name_ending_as_a_particle_does_is_kept_whole(line, name):
    names, _ = _read([CUSTOMER, line])
    assert names[1] == [name]
