"""People in prose, the forms of the fourth development set (bench/corpus_prose4.py): relatives
in everyday words (家内の, 息子の嫁の, 娘婿の, 息子健太が), the shop's staff by the labels of a call
log (担当 山田, 受電者：, 応対：…、引継ぎ：…, 山田（担当）), other companies' people named without
の (ミドリ物流 中村様, ABC商事 中村様, 中村 一郎（…株式会社 営業部）). Staff and other companies'
people are reported as names (personal information of employees) but not counted."""

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


# --- the shop's staff by the labels of a call log ----------------------------------------------

STAFF_LINES = [
    ("対応スタッフ：山田", "山田"),
    ("受電者：山田", "山田"),
    ("受電：山田", "山田"),
    ("架電者：山田", "山田"),
    ("文責：山田", "山田"),
    ("記載者：山田", "山田"),
    ("当番：山田", "山田"),
    ("オペレーター 山田", "山田"),
    ("店員：山田", "山田"),
    ("2024/12/01 10:00 山田（担当）", "山田"),
    ("カスタマーサポート 山田", "山田"),
]


@pytest.mark.parametrize(("line", "name"), STAFF_LINES)
def test_a_clerk_named_by_a_call_logs_label_is_reported(line, name):
    names, _ = _read(["■ 12月3日 入電記録", line])
    assert names[1] == [name]


@pytest.mark.parametrize(("line", "name"), STAFF_LINES)
def test_a_clerk_named_by_a_call_logs_label_is_not_a_data_subject(line, name):
    _, doc = _read(["■ 12月3日 入電記録", line])
    assert doc.subjects == []


def test_every_label_of_a_line_names_its_clerk():
    names, _ = _read(["応対：山田、引継ぎ：佐藤"])
    assert names[0] == ["山田", "佐藤"]


def test_a_time_after_a_label_is_no_list_of_names():
    names, _ = _read(["受付：10:02 入電"])
    assert names[0] == []


# --- other companies' people -----------------------------------------------------------------

COMPANY_LINES = [
    ("ミドリ物流 中村様に再配達を依頼。", "中村"),
    ("代理店 中村様経由のご注文。", "中村"),
    ("総務課 中村様", "中村"),
    ("中村 一郎（ヒカリ電機株式会社 営業部）より見積書受領。", "中村 一郎"),
]


@pytest.mark.parametrize(("line", "name"), COMPANY_LINES)
def test_someone_of_another_company_named_without_no_is_reported(line, name):
    names, _ = _read([line])
    assert names[0] == [name]


@pytest.mark.parametrize(("line", "name"), COMPANY_LINES)
def test_someone_of_another_company_is_not_a_data_subject(line, name):
    _, doc = _read([line])
    assert doc.subjects == []


@pytest.mark.parametrize("line", ["ABC商事 中村様に確認。", "ＡＢＣ商事 中村様", "営業部 中村様"])
def test_a_unit_word_before_a_name_is_not_part_of_the_name(line):
    names, _ = _read([line])
    assert names[0] == ["中村"]


def test_a_family_name_that_ends_like_a_unit_stays_whole():
    names, _ = _read(["出席者：渡部 祐介"])
    assert names[0] == ["渡部 祐介"]


# --- relatives in everyday words --------------------------------------------------------------

KIN_LINES = [
    ("息子の嫁の美咲が代わりに問い合わせ。", "美咲"),
    ("長男の嫁 美咲さんが来店予定。", "美咲"),
    ("娘婿の大輔が車で取りに来るとのこと。", "大輔"),
    ("姑の和子の名義で届いています。", "和子"),
    ("息子健太が申込者です。", "健太"),
    ("娘博から先に連絡がありました。", "博"),
]


@pytest.mark.parametrize(("line", "name"), KIN_LINES)
def test_a_relative_in_everyday_words_is_reported(line, name):
    names, _ = _read(["お客様：今井 陽子 様", line])
    assert names[1] == [name]


@pytest.mark.parametrize(("line", "name"), KIN_LINES)
def test_a_relative_in_everyday_words_is_a_data_subject(line, name):
    _, doc = _read(["お客様：今井 陽子 様", line])
    assert len(doc.subjects) == 2


@pytest.mark.parametrize("line", ["家内が申しますには、前回も同じ不具合があったとのこと。",
                                  "息子夫婦が週末に来店予定。", "主人のスマホに案内が届いていない。",
                                  "母親が代わりに電話。", "姑の介護のため午前中は不在。"])
def test_a_relation_word_naming_no_one_reports_no_name(line):
    names, _ = _read([line])
    assert names[0] == []


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["息子", "娘", "長男", "孫", "妻", "主人"]),
       st.sampled_from(["夫婦", "親", "達", "たち", "二人", "家族", "の方"]),
       st.sampled_from(["が", "は", "も", "から"]))
def test_a_relation_before_a_word_that_is_no_given_name_names_no_one(relation, word, particle):
    names, _ = _read([f"{relation}{word}{particle}来店予定。"])
    assert names[0] == []


@pytest.mark.parametrize("line", ["望月さん（ミドリ物流）から配送遅延の連絡あり。",
                                  "望月様（株式会社ミドリ物流）より回答。"])
def test_someone_named_with_their_company_in_brackets_is_not_a_data_subject(line):
    _, doc = _read([line])
    assert doc.subjects == []


def test_a_customer_with_a_note_in_brackets_is_a_data_subject():
    _, doc = _read(["望月様（12/3 返信済み）より再度お問い合わせ。"])
    assert [c.name for c in doc.subjects] == ["望月"]


@pytest.mark.parametrize("line", ["ABC商事様 山田様にご確認ください。", "ABC商事さんの山田さんから連絡。"])
def test_the_end_of_a_company_name_with_an_honorific_is_no_name(line):
    names, _ = _read([line])
    assert names[0] == ["山田"]


# --- a label and its name on two lines (a table's cells read one a line) -----------------------


@pytest.mark.parametrize("label", ["担当者", "【担当】", "受付：", "対応スタッフ"])
def test_a_name_under_a_label_alone_on_its_line_is_a_clerk(label):
    names, doc = _read([label, "山田 太郎"])
    assert (names[1], doc.subjects) == (["山田 太郎"], [])


def test_a_customer_under_a_label_line_stays_a_customer():
    _, doc = _read(["担当", "お客様：今井 陽子 様"])
    assert [c.name for c in doc.subjects] == ["今井陽子"]


def test_a_blank_line_ends_what_a_label_alone_lists():
    names, _ = _read(["担当者", "", "山田 太郎"])
    assert names[2] == []
