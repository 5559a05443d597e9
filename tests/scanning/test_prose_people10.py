"""People in prose, session 16: a relative named in English with the family name after the given
name (my wife Hanako Yamada) is reported whole, and the given name said again later (Hanako will
…) is the same person; one romaji word alone is never a full name that links on its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .test_prose_people8 import _read

LETTER = ["To the shop,", ""]


def test_a_relatives_english_full_name_is_reported_whole():
    found, _ = _read([*LETTER, "I ordered a gift for my wife Hanako Yamada."])
    assert found[-1] == ["Hanako Yamada"]


def test_a_relatives_english_full_name_is_one_person():
    _, doc = _read([*LETTER, "I ordered a gift for my wife Hanako Yamada."])
    assert len(doc.subjects) == 1


def test_the_given_name_said_again_is_reported():
    found, _ = _read([*LETTER, "I ordered a gift for my wife Hanako Yamada.",
                      "Hanako will be at home after 6 pm."])
    assert found[-1] == ["Hanako"]


def test_the_given_name_said_again_is_the_same_person():
    _, doc = _read([*LETTER, "I ordered a gift for my wife Hanako Yamada.",
                    "Hanako will be at home after 6 pm."])
    assert len(doc.subjects) == 1


def test_two_relatives_in_english_are_two_people():
    _, doc = _read([*LETTER, "My son Shota Tanaka and my wife Hanako will come."])
    assert len(doc.subjects) == 2


@pytest.mark.parametrize("line", ["I asked my wife Jennifer About it.",
                                  "I ordered a gift for my wife Hanako Smith."])
def test_a_name_that_is_not_romaji_is_not_taken_for_a_relative(line):
    found, _ = _read([*LETTER, line])
    assert found[-1] == []


GIVEN = ["Hanako", "Kaori", "Shota", "Yuki", "Takeshi", "Sumiko"]
FAMILY = ["Yamada", "Suzuki", "Takahashi", "Ito", "Nakamura"]
RELATIONS = ["wife", "husband", "son", "daughter", "mother", "father"]


@given(st.sampled_from(RELATIONS), st.sampled_from(GIVEN), st.sampled_from(FAMILY))
def test_an_english_relative_and_the_given_name_again_are_one_person(relation, given_name, family):
    found, doc = _read([*LETTER, f"I ordered a gift for my {relation} {given_name} {family}.",
                        f"{given_name} will be at home after 6 pm."])
    assert (found[-2], found[-1], len(doc.subjects)) == ([f"{given_name} {family}"], [given_name], 1)
