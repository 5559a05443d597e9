"""People in prose, session 15 (second part): customers' relatives as mail, forms, memos and
chats name them — after the relation with が / も / を (母が良子で、父が登です, 次男も大翔といいます),
a one-kanji given name (息子は蓮と申します), a family name of three kanji joined to the given name
(母・長谷川節子), in English (my wife Hanako), with the shop's ご家族の before the name — and the
same relative named again later in the part (花子さん, 山田花子でも) reported and linked to the
first mention, not counted twice."""

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


MAIL = ["さくら野商店 ご担当者様", "", "いつもお世話になっております。", "先日の注文の件です。"]

# --- a relative named in one line ----------------------------------------------------------------

RELATIVE_LINES = [
    ("母が良子で、父が茂です。", ["良子", "茂"]),
    ("うちは長男が翔太で、平日は家におります。", ["翔太"]),
    ("次男も大翔といいます。", ["大翔"]),
    ("義母を澄子といいます。", ["澄子"]),
    ("母がトメで、同居しています。", ["トメ"]),
    ("息子は蓮と申します。", ["蓮"]),
    ("母・長谷川節子の分も一緒に送ってください。", ["長谷川節子"]),
    ("I ordered a gift for my wife Hanako last week.", ["Hanako"]),
    ("Our son Shota will be at home after 6 pm.", ["Shota"]),
]


@pytest.mark.parametrize(("line", "names"), RELATIVE_LINES)
def test_a_relative_named_after_the_relation_is_reported(line, names):
    found, _ = _read([*MAIL, line])
    assert found[-1] == names


@pytest.mark.parametrize(("line", "names"), RELATIVE_LINES)
def test_a_relative_named_after_the_relation_is_counted(line, names):
    _, doc = _read([*MAIL, line])
    assert len(doc.subjects) == len(names)


def test_the_shops_words_before_a_relatives_name_are_not_part_of_it():
    found, _ = _read(["山田 健一 様", "", "ご家族の蓮様宛てのお届けで承りました。"])
    assert found[-1] == ["蓮"]


NOT_RELATIVES = [
    "母が元気で、安心しました。",
    "父が一人で、受け取れません。",
    "妻も花が好きです。",
    "主人が今日で、私が明日です。",
    "I asked my wife Jennifer about it.",
    "Please send it to my wife.",
]


@pytest.mark.parametrize("line", NOT_RELATIVES)
def test_no_name_after_a_relation_is_none_reported(line):
    found, _ = _read([*MAIL, line])
    assert found[-1] == []


# --- the same relative named again -------------------------------------------------------------


def test_a_relatives_given_name_alone_later_is_reported():
    found, _ = _read([*MAIL, "妻の花子が受け取ります。", "花子さんが不在なら置き配でお願いします。"])
    assert found[-1] == ["花子"]


def test_a_relatives_full_name_later_is_reported():
    found, _ = _read([*MAIL, "長男が翔太で、平日は家におります。", "受け取りは山田翔太でも大丈夫です。"])
    assert found[-1] == ["山田翔太"]


def test_a_relatives_full_name_at_a_lines_start_later_is_reported():
    found, _ = _read([*MAIL, "母が良子で、同居しています。", "山田 良子 宛の伝票でお願いします。"])
    assert found[-1] == ["山田 良子"]


def test_a_relative_named_in_english_again_is_reported():
    found, _ = _read(["To the shop,", "", "I ordered a gift for my wife Kaori.",
                      "Kaori will be at home after 6 pm."])
    assert found[-1] == ["Kaori"]


def test_a_relative_named_again_by_the_full_name_is_one_person():
    _, doc = _read([*MAIL, "妻の花子が受け取ります。", "伝票は山田 花子 様でお願いします。"])
    assert len(doc.subjects) == 1


def test_a_one_kanji_given_name_said_again_needs_an_honorific():
    found, _ = _read([*MAIL, "夫の誠が受け取ります。", "誠にありがとうございます。"])
    assert found[-1] == []


def test_a_one_kanji_given_name_said_again_with_an_honorific_is_reported():
    found, _ = _read([*MAIL, "夫の誠が受け取ります。", "→ 誠さん名義で再配達。"])
    assert found[-1] == ["誠"]


def test_a_known_given_name_inside_a_longer_word_is_not_reported():
    found, _ = _read([*MAIL, "娘の和子が受け取ります。", "平和子ども基金に寄付しました。"])
    assert found[-1] == []


GIVEN = ["良子", "花子", "智子", "健一", "翔太", "結衣", "浩二", "直美"]
RELATIONS = ["母", "妻", "娘", "夫", "長男", "祖母", "義母", "孫"]


@given(st.sampled_from(RELATIONS), st.sampled_from("がも"), st.sampled_from(GIVEN))
def test_a_given_name_after_a_relation_and_a_particle_is_one_relative(relation, particle, name):
    found, doc = _read([*MAIL, f"{relation}{particle}{name}で、昼間は家におります。"])
    assert (found[-1], len(doc.subjects)) == ([name], 1)


@given(st.sampled_from(GIVEN), st.sampled_from(["株式", "大学", "平和", "中央"]))
def test_a_known_given_name_after_other_kanji_is_never_a_mention(name, word):
    found, _ = _read([*MAIL, f"娘の{name}が受け取ります。", f"{word}{name}会館に行きました。"])
    assert found[-1] == []


# --- an English mail's writer --------------------------------------------------------------------

ENGLISH = ["To the shop,", "", "I ordered a gift for my wife Kaori.", "Please deliver it by Friday.", ""]


def test_a_romaji_full_name_signing_an_english_mail_is_reported():
    found, _ = _read([*ENGLISH, "Kenichi Sakamoto"])
    assert found[-1] == ["Kenichi Sakamoto"]


def test_a_romaji_full_name_signing_an_english_mail_is_counted_with_the_relative():
    _, doc = _read([*ENGLISH, "Kenichi Sakamoto"])
    assert len(doc.subjects) == 2


@pytest.mark.parametrize("line", ["Best Regards", "Thank You", "Kind Regards", "Order Number"])
def test_an_english_closing_is_no_name(line):
    found, _ = _read([*ENGLISH, line])
    assert found[-1] == []
