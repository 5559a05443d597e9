"""People in prose, the forms of the fifth development set (bench/corpus_prose5.py): relatives
as customers and call memos write them (娘「陽菜」, 【父】, 孫である湊が, 旦那の, 下の子の, 娘の名前は
蒼です, a given name in katakana: 祖母 犬飼 ミヨ 様, 対象者：相川 タケ 様, 会員の関根 はるなの娘です),
and the company's staff where the detector finds the name but the frame says whose it is (受付：
井川 under a separator, CC：井川、富田, 先日お電話いただいた犬飼様 in a customer's mail to the
company, 配送業者（ナミキ運輸）の織田さん). Staff are reported as names but not counted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning.detectors import detect_text
from rouei.scanning.prose import ProseDoc, ProseReader


def _read(lines: list[str]) -> tuple[list[list[str]], ProseDoc]:
    """The names reported on each line of a text part, and what the part leaves for the count."""
    reader = ProseReader("part")
    names = [[m.value for m in reader.feed(no, line, detect_text(line) if line else [])
              if m.category == "person_name"] for no, line in enumerate(lines, 1)]
    return names, reader.finish()


def _subjects(doc: ProseDoc) -> list[str | None]:
    return sorted(c.name or "" for c in doc.subjects)


CUSTOMER = "■お名前：小西 弘美"

# --- relatives: the joiners and words of everyday writing ------------------------------------

KIN_LINES = [
    ("孫「咲良」のアカウントで注文しました。", "咲良"),
    ("息子『心春』の分です。", "心春"),
    ("【父】笠原 和夫", "笠原 和夫"),
    ("【妻】 笠原 春香", "笠原 春香"),
    ("孫である湊が受取人です。", "湊"),
    ("同居家族　妻： 春香", "春香"),
    ("下の子の静江が先に電話したと思います。", "静江"),
    ("おばあちゃんの千秋が先に電話したと思います。", "千秋"),
    ("旦那の英樹が先に電話したと思います。", "英樹"),
    ("うちの次男の心春くんが使う分です。", "心春"),
    ("姉　立花孝　が代わりに伺います。", "立花孝"),
    ("母（綾部 敏子）名義のカードです。", "綾部 敏子"),
    ("心春（長女・小3）の体操服を追加で。", "心春"),
    ("蒼（娘・小3）の体操服を追加で。", "蒼"),
]


@pytest.mark.parametrize(("line", "name"), KIN_LINES)
def test_a_relative_in_a_customers_words_is_reported(line, name):
    names, _ = _read([CUSTOMER, line])
    assert names[1] == [name]


@pytest.mark.parametrize(("line", "name"), KIN_LINES)
def test_a_relative_in_a_customers_words_is_a_data_subject(line, name):
    _, doc = _read([CUSTOMER, line])
    assert len(doc.subjects) == 2


KATAKANA_LINES = [
    ("祖母 犬飼 ミヨ 様の件で再度ご連絡。", "犬飼 ミヨ"),
    ("契約者である母の羽田 ヨシエの代理で連絡しています。", "羽田 ヨシエ"),
    ("対象者：相川 タケ 様（祖父、84歳）", "相川 タケ"),
]


@pytest.mark.parametrize(("line", "name"), KATAKANA_LINES)
def test_a_relative_whose_given_name_is_in_katakana_is_reported(line, name):
    names, _ = _read([CUSTOMER, line])
    assert names[1] == [name]


@pytest.mark.parametrize(("line", "name"), KATAKANA_LINES)
def test_a_relative_whose_given_name_is_in_katakana_is_a_data_subject(line, name):
    _, doc = _read([CUSTOMER, line])
    assert len(doc.subjects) == 2


@pytest.mark.parametrize("line", ["娘の名前は蒼です。", "孫の名前は湊といいます。"])
def test_a_relatives_name_said_as_such_is_reported(line):
    names, _ = _read([CUSTOMER, line])
    assert len(names[1]) == 1


def test_a_relatives_name_said_as_such_is_not_the_writer():
    # 「…です。」 after a name is how a writer introduces themself; here it is the daughter's
    _, doc = _read(["【ミズホ生活館】お問い合わせフォームより受信", "", CUSTOMER,
                    "いつもお世話になっております。", "娘の名前は蒼です。", "", "――――――――――",
                    "【社内メモ】", "責任者　河内"])
    assert _subjects(doc) == ["小西弘美", "蒼"]


def test_someone_named_before_their_relation_is_a_data_subject():
    names, doc = _read(["はじめまして。会員の関根 はるなの娘です。"])
    assert (names[0], len(doc.subjects)) == (["関根 はるな"], 1)


@pytest.mark.parametrize("line", ["娘の名前は未定です。", "母の日のギフトです。", "上の子の学校行事で不在。",
                                  "おばあちゃんの家に届けてください。", "旦那の会社宛てです。",
                                  "母「はい」とのこと。", "娘「ママ」と呼んでいます。"])
def test_a_relation_word_naming_no_one_reports_no_name(line):
    names, _ = _read([line])
    assert names[0] == []


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["孫", "娘", "母", "旦那", "下の子", "おばあちゃん"]),
       st.sampled_from(["「", "【", "である", ": "]),
       st.sampled_from(["学校", "会社", "介護", "病院", "確認", "予定"]))
def test_a_relation_before_a_common_word_names_no_one(relation, joiner, word):
    names, _ = _read([f"{relation}{joiner}{word}があります。"])
    assert names[0] == []


# --- the company's staff -----------------------------------------------------------------------

SEPARATED_CLERKS = ["担当：森本", "受付：井川", "対応者：森本 昌子", "（文責：奥田）", "責任者　柏木"]


@pytest.mark.parametrize("clerk", SEPARATED_CLERKS)
def test_a_clerks_note_under_a_separator_is_not_a_data_subject(clerk):
    _, doc = _read([CUSTOMER, "よろしくお願いいたします。", "", "――――――――――", "【社内メモ】",
                    clerk, "12/4 折り返し済み"])
    assert _subjects(doc) == ["小西弘美"]


def test_a_copy_list_in_a_note_is_reported():
    names, _ = _read(["お問い合わせの件、承知いたしました。", "CC：井川、富田"])
    assert names[1] == ["井川", "富田"]


def test_a_copy_list_in_a_note_is_not_counted():
    _, doc = _read(["お問い合わせの件、承知いたしました。", "CC：井川、富田"])
    assert doc.subjects == []


SERVED_LINES = ["先日お電話いただいた犬飼様からご案内のあった件です。",
                "前回ご対応いただいた井川さんにもお伝えください。",
                "電話で下村様にお話しした内容の確認です。"]


@pytest.mark.parametrize("line", SERVED_LINES)
def test_the_clerk_a_customer_mentions_in_a_mail_to_the_company_is_not_counted(line):
    _, doc = _read(["ミズホ生活館 ご担当者様", "", "はじめまして。会員の関根 はるなの娘です。", line])
    assert _subjects(doc) == ["関根はるな"]


def test_a_customer_a_clerk_mentions_in_the_companys_note_is_counted():
    # the same words in the company's own memo are about a customer who called
    _, doc = _read(["■ 12/3 入電", "先日お電話いただいた犬飼様からの再入電。"])
    assert _subjects(doc) == ["犬飼"]


@pytest.mark.parametrize("line", ["配送業者（ナミキ運輸）の織田さんから不在票が入っていました。",
                                  "はやて急便の門脇さんに再配達を頼みました。"])
def test_someone_of_a_courier_named_in_brackets_or_as_a_bin_is_not_counted(line):
    _, doc = _read([CUSTOMER, line])
    assert _subjects(doc) == ["小西弘美"]


# --- a customer whose family name ends as a department does ---------------------------------

SIGNED = ["> お世話になっております。綾部です。", "> お手数ですがよろしくお願いします。", "> --",
          "> 綾部 和夫", "> 携帯 090-1523-1955"]


def test_a_customers_signature_with_a_family_name_ending_in_bu_keeps_its_phone():
    reader = ProseReader("part")
    phones = [m.value for no, line in enumerate(SIGNED, 1)
              for m in reader.feed(no, line, detect_text(line)) if m.category == "phone"]
    assert phones == ["090-1523-1955"]


def test_a_customers_signature_with_a_family_name_ending_in_bu_is_the_customers():
    _, doc = _read(SIGNED)
    assert _subjects(doc) == ["綾部和夫"]


def test_a_clerk_by_their_post_in_a_call_memo_is_not_a_data_subject():
    _, doc = _read(["◆ 12/27 13:20 入電", "責任者　織田", "相談者：稲垣 英樹 様（対象者の長男）"])
    assert _subjects(doc) == ["稲垣英樹"]


KANA_HONORIFIC_LINES = [("ゆうとくん（孫）の分です。", "ゆうと"), ("みのりちゃん（長女・小5）も一緒です。", "みのり")]


@pytest.mark.parametrize(("line", "name"), KANA_HONORIFIC_LINES)
def test_a_kana_given_name_with_an_honorific_before_the_relation_is_a_data_subject(line, name):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == ([name], 2)


@pytest.mark.parametrize(("line", "name"), [("娘の茜が受け取ります。", "茜"), ("息子の拓が申込者です。", "拓")])
def test_a_one_kanji_given_name_of_the_rankings_after_a_relation_is_reported(line, name):
    names, _ = _read([CUSTOMER, line])
    assert names[1] == [name]


def test_a_relation_inside_a_bracket_of_relations_still_names_the_relative():
    # ご家族（父・玲奈）: 家族( must not take 父 and hide 父・玲奈
    names, _ = _read(["同居のご家族（父・玲奈）も同じ注文履歴あり。"])
    assert names[0] == ["玲奈"]


MORE_KIN_LINES = [
    ("子の悠斗が受け取ります。", "悠斗"),
    ("被保険者の子 悠斗", "悠斗"),
    ("長男悠斗（12歳）も同乗。", "悠斗"),
    ("母・小西トメ", "小西トメ"),
    ("母親の小西トメ（88）", "小西トメ"),
    ("宛名は主人の和夫でお願いします。", "和夫"),
    ("お母さまのトメさまより入電", "トメ"),
]


@pytest.mark.parametrize(("line", "name"), MORE_KIN_LINES)
def test_a_relative_in_more_of_a_customers_words_is_a_data_subject(line, name):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == ([name], 2)


@pytest.mark.parametrize("line", ["この子のために注文しました。", "子の学校の行事で不在。", "母の実家で受け取ります。",
                                  "母・トイレットペーパー", "父のパソコンで注文。"])
def test_more_relation_words_naming_no_one_report_no_name(line):
    names, _ = _read([line])
    assert names[0] == []


def test_a_relation_in_brackets_at_a_lines_end_is_no_writers_initials():
    names, _ = _read(["名義人：時田 弘美（家内）"])
    assert names[0] == ["時田 弘美"]


JOINER_LINES = [
    ("夫：和夫／妻：春香", ["和夫", "春香"]),
    ("妻は春香、息子は悠斗です。", ["春香", "悠斗"]),
    ("妻[春香]", ["春香"]),
    ("妻＝春香", ["春香"]),
    ("妻/春香", ["春香"]),
    ("妻の　春香", ["春香"]),
    ("曾祖母のトメ", ["トメ"]),
    ("代理人 小西春香", ["小西春香"]),
]


@pytest.mark.parametrize(("line", "found"), JOINER_LINES)
def test_a_relative_after_other_joiners_is_reported(line, found):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == (found, 1 + len(found))


@pytest.mark.parametrize("line", ["母は元気です。", "父は一人で来店。", "妻は日本人です。", "娘は学生です。",
                                  "主人は会社員です。", "母/父ともに不在", "父=契約者", "妻の 実家"])
def test_a_relation_and_は_before_no_name_report_no_name(line):
    names, _ = _read([line])
    assert names[0] == []


KANA_AND_NOTE_LINES = [
    ("母のゆり子が受け取ります。", "ゆり子"),
    ("祖母・とし江（90歳）", "とし江"),
    ("小西 春香（契約者の妻）", "小西 春香"),
    ("春香（ご本人の娘）も同席。", "春香"),
    ("親父の源三が", "源三"),
    ("おふくろのトメが", "トメ"),
]


@pytest.mark.parametrize(("line", "name"), KANA_AND_NOTE_LINES)
def test_a_kana_name_with_a_kanji_end_or_a_relation_to_someone_is_a_data_subject(line, name):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == ([name], 2)


@pytest.mark.parametrize(("line", "name"), [("母・庄司きよ江（88歳）", "庄司きよ江"),
                                            ("契約者である母の武井 ふみ子の代理で連絡しています。", "武井 ふみ子"),
                                            ("はじめまして。会員の後藤 きよ江の娘です。", "後藤 きよ江"),
                                            ("対象者：後藤 きよ江 様（母、88歳）", "後藤 きよ江")])
def test_a_family_name_and_a_kana_given_name_ending_in_a_kanji_is_a_data_subject(line, name):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == ([name], 2)


@pytest.mark.parametrize("line", ["母の手もとに届きました。", "母の物忘れがひどく", "母の小遣いで買いました。"])
def test_a_relation_before_kanji_and_kana_words_names_no_one(line):
    names, _ = _read([line])
    assert names[0] == []


@pytest.mark.parametrize(("line", "name"), [("母上の和子", "和子"), ("愚息の悠斗", "悠斗"), ("亡母 和子", "和子"),
                                            ("兄弟の健一", "健一")])
def test_a_relative_after_a_letters_relation_word_is_a_data_subject(line, name):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == ([name], 2)


@pytest.mark.parametrize(("line", "found"), [("妻 の 花子が", ["花子"]), ("妻の、花子が", ["花子"]),
                                             ("むすめの陽菜が", ["陽菜"]), ("まごの悠斗が", ["悠斗"]),
                                             ("妻と長男（花子・悠斗）", ["花子", "悠斗"]),
                                             ("夫婦（和夫・花子）", ["和夫", "花子"])])
def test_relatives_in_hurried_or_listed_forms_are_data_subjects(line, found):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == (found, 1 + len(found))


@pytest.mark.parametrize("line", ["つまり、母の分です。", "夫婦（共働き・不在がち）", "息子夫婦が週末に来店予定。",
                                  "まごころ便で送ってください。"])
def test_kana_relation_words_and_bracket_lists_naming_no_one_report_no_name(line):
    names, _ = _read([line])
    assert names[0] == []


def test_a_thing_after_a_relatives_name_and_no_is_no_writer():
    names, _ = _read(["母・庄司きよ江の介護用品です。"])
    assert names[0] == ["庄司きよ江"]


def test_a_writer_after_their_unit_and_no_is_still_a_name():
    names, _ = _read(["お世話になっております。サポートの林です。"])
    assert names[0] == ["林"]


@pytest.mark.parametrize(("line", "name"), [("老母トメの介護用品です。", "トメ"), ("娘ユイが受け取ります。", "ユイ")])
def test_a_katakana_given_name_right_after_a_relation_is_a_data_subject(line, name):
    names, doc = _read([CUSTOMER, line])
    assert (names[1], len(doc.subjects)) == ([name], 2)


@pytest.mark.parametrize("line", ["母パソコンで注文。", "妻ネットで注文しました。", "父タクシーで来店。", "娘ママ友と来店。"])
def test_a_katakana_word_right_after_a_relation_is_no_name(line):
    names, _ = _read([line])
    assert names[0] == []
