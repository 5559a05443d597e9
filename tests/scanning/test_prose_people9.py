"""People in prose, session 15 (issue 14): a relative written in kanji in a form's block (氏名：黒田 一郎)
and again in kana in its note (父 くろだ いちろう) is one person — the kana is a reading of the kanji
name (the name lexicon's readings) — and a full name in hiragana after a relation word keeps a
leading の (父 のぐち きよし is のぐち きよし, not ぐち きよし)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning.detectors import detect_text
from rouei.scanning.prose import ProseDoc, ProseReader, count


def _read(lines: list[str]) -> tuple[list[list[str]], ProseDoc]:
    """The names reported on each line of a text part, and what the part leaves for the count."""
    reader = ProseReader("part")
    names = [[m.value for m in reader.feed(no, line, detect_text(line) if line else [])
              if m.category == "person_name"] for no, line in enumerate(lines, 1)]
    return names, reader.finish()


def _people(lines: list[str]) -> int:
    _, doc = _read(lines)
    return count([doc]).counter.count().people


def _form(family: str, given_name: str, note: str) -> list[str]:
    """A care service's application: the applicant, the relatives in a block, then a note."""
    return ["【お申込み内容】", f"申込者：{family} 浩之 様", "ご利用になる方との続柄：子", "■同居家族",
            "続柄：父", f"氏名：{family} {given_name}", "続柄：妻", f"氏名：{family} 香織", "【備考】",
            note]


# --- a relative in kanji and again in kana ----------------------------------------------------

def test_a_relative_in_kanji_and_in_kana_is_one_person():
    assert _people(_form("黒田", "一郎", "父 くろだ いちろう は耳が遠いので、連絡は私にお願いします。")) == 3


def test_the_kana_of_the_relative_is_still_reported():
    found, _ = _read(_form("黒田", "一郎", "父 くろだ いちろう は耳が遠いので、連絡は私にお願いします。"))
    assert found[-1] == ["くろだ いちろう"]


def test_a_relative_in_katakana_is_linked_too():
    assert _people(_form("黒田", "一郎", "父 クロダ イチロウ は耳が遠いので、連絡は私にお願いします。")) == 3


def test_a_kana_name_that_is_not_the_reading_of_a_kanji_name_is_another_person():
    assert _people(_form("黒田", "一郎", "父 くろだ じろう は耳が遠いので、連絡は私にお願いします。")) == 4


def test_a_kana_name_read_as_two_kanji_names_is_linked_to_neither():
    # 浩子 and 裕子 both read ひろこ: which one is meant is not known
    lines = ["【お申込み内容】", "申込者：黒田 浩之 様", "■同居家族", "続柄：母", "氏名：黒田 浩子",
             "続柄：妻", "氏名：黒田 裕子", "【備考】", "母 くろだ ひろこ は耳が遠いです。"]
    assert _people(lines) == 4


def test_a_relative_with_a_given_name_of_one_kanji_is_linked_by_its_reading():
    # 清 is a common word too (not in the given-name list) but has a name's reading, キヨシ
    assert _people(_form("野口", "清", "父 のぐち きよし は耳が遠いので、連絡は私にお願いします。")) == 3


def test_kana_names_in_other_parts_are_not_linked_to_this_one():
    _, form = _read(_form("黒田", "一郎", "よろしくお願いします。"))
    reader = ProseReader("other")
    for no, line in enumerate(["山本様", "", "父 くろだ いちろう は耳が遠いです。"], 1):
        reader.feed(no, line, detect_text(line) if line else [])
    assert count([form, reader.finish()]).counter.count().people == 5  # 3 + 山本 + くろだ いちろう


# --- の at the start of a hiragana name after a relation ----------------------------------

@pytest.mark.parametrize(("line", "name"), [
    ("父 のぐち きよし は耳が遠いです。", "のぐち きよし"),
    ("母 のざき はなこ が受け取ります。", "のざき はなこ"),
    ("父の やまだ たろう が受け取ります。", "やまだ たろう"),
])
def test_a_hiragana_name_after_a_relation_keeps_a_leading_no(line, name):
    found, _ = _read(["さくら野商店 ご担当者様", "", line])
    assert found[-1] == [name]


@given(st.sampled_from(["父", "母", "義父", "祖母", "妻", "夫"]),
       st.sampled_from(["のぐち", "のだ", "のざき"]),  # ぐち, だ, ざき are no family names
       st.sampled_from(["きよし", "はなこ", "いちろう", "よしこ"]))
def test_any_no_family_name_in_hiragana_after_a_relation_is_whole(relation, family, given_name):
    line = f"{relation} {family} {given_name} は耳が遠いです。"
    found, _ = _read(["さくら野商店 ご担当者様", "", line])
    assert found[-1] == [f"{family} {given_name}"]
