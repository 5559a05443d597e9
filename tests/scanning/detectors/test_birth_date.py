"""Birth dates: Western and 和暦 forms, era ranges, real calendar dates, context required."""

from __future__ import annotations

import datetime as dt

import pytest

from rouei.scanning.detectors import birth_date

from ._helpers import column_matches, found, full_width


@pytest.mark.parametrize("value, iso", [
    ("1985/04/01", "1985-04-01"), ("1985-4-1", "1985-04-01"), ("1985.4.1", "1985-04-01"),
    ("1985年4月1日", "1985-04-01"), ("19850401", "1985-04-01"),
    ("昭和60年4月1日", "1985-04-01"), ("S60.4.1", "1985-04-01"), ("s60/4/1", "1985-04-01"),
    ("H1/1/8", "1989-01-08"), ("平成元年1月8日", "1989-01-08"), ("令和元年5月1日", "2019-05-01"),
    ("R1.5.1", "2019-05-01"), ("大正15年12月24日", "1926-12-24"), ("㍼60年4月1日", "1985-04-01"),
    ("1985/04/01 0:00:00", "1985-04-01"),
])
def test_validate_written_forms_valid_and_normalised_to_iso(value, iso):
    assert birth_date.validate(value)
    assert birth_date.normalise_value(value) == iso


@pytest.mark.parametrize("value", [
    "1985/02/30",  # no such day
    "1985/13/01",
    "昭和64年1月8日",  # 昭和 ended on 1989-01-07
    "H1/1/7",  # 平成 began on 1989-01-08
    "R1.4.30",  # 令和 began on 2019-05-01
    "大正16年1月1日",
    "1800/01/01",
])
def test_validate_impossible_dates_invalid(value):
    assert not birth_date.validate(value)


def test_validate_future_date_invalid():
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert not birth_date.validate(tomorrow.strftime("%Y/%m/%d"))


def test_detect_with_birth_word_found():
    assert found("生年月日：昭和60年4月1日", "birth_date") == ["昭和60年4月1日"]


def test_detect_era_letter_form_with_dob_found():
    assert found("DOB: S60.4.1", "birth_date") == ["S60.4.1"]


def test_detect_full_width_western_date_found():
    value = full_width("1985") + "年" + full_width("4") + "月" + full_width("1") + "日"
    assert found("誕生日は" + value + "です", "birth_date") == [value]


def test_detect_era_ligature_maps_back_to_one_character():
    assert found("㍼60年4月1日生まれ", "birth_date") == ["㍼60年4月1日"]


def test_detect_next_to_kanji_found():
    assert found("生年月日1990年12月3日男性", "birth_date") == ["1990年12月3日"]


def test_detect_date_without_birth_word_not_birth_date():
    assert found("2024年4月1日に発生した事故", "birth_date") == []
    assert found("注文日 2023/10/05", "birth_date") == []


def test_detect_invalid_date_with_birth_word_not_found():
    assert found("生年月日 1985/02/30", "birth_date") == []


def test_column_pattern_matches_forms():
    assert column_matches(birth_date.COLUMN_PATTERN, [
        "1985/04/01", "昭和60年4月1日", "S60.4.1", "19850401", "1985/04/01 00:00:00",
        full_width("1985-04-01"), "abc", "1985"]) == [True] * 6 + [False] * 2
