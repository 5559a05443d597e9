"""Kana readings of names: after a reading label, or katakana with a space before 様."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import name_kana

from ._helpers import column_matches, found


@pytest.mark.parametrize("value", ["ヤマダ タロウ", "ヤマダタロウ", "やまだ たろう", "ｽｽﾞｷ ｲﾁﾛｳ"])
def test_validate_readings_valid(value):
    assert name_kana.validate(value)


@pytest.mark.parametrize("value", ["ヤマダ1", "山田", "サービス センター", "ー", "ヤマダです"])
def test_validate_non_readings_invalid(value):
    assert not name_kana.validate(value)


@pytest.mark.parametrize("text, reading", [
    ("フリガナ：ヤマダ タロウ", "ヤマダ タロウ"),
    ("ふりがな やまだ はなこ", "やまだ はなこ"),
    ("氏名（カナ）: スズキ イチロウ", "スズキ イチロウ"),
    ("ヤマダ タロウ様", "ヤマダ タロウ"),
    ("フリガナ：ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
])
def test_detect_in_frame_found(text, reading):
    assert found(text, "name_kana") == [reading]


def test_detect_reading_followed_by_particles_stops_at_script_change():
    assert found("フリガナ: ヤマダ タロウです", "name_kana") == ["ヤマダ タロウ"]


@pytest.mark.parametrize("text", ["カナダ 旅行", "サービス センター様", "ヤマダ タロウ"])
def test_detect_without_frame_or_not_a_name_not_found(text):
    assert found(text, "name_kana") == []


def test_column_pattern_matches_kana():
    assert column_matches(name_kana.COLUMN_PATTERN, ["ヤマダ タロウ", "やまだ", "山田"]) == [
        True, True, False]


def test_normalise_value_unifies_scripts_and_spaces():
    assert name_kana.normalise_value("やまだ たろう") == "ヤマダタロウ"
    assert name_kana.normalise_value("ﾔﾏﾀﾞ ﾀﾛｳ") == "ヤマダタロウ"


def test_name_kana_reading_in_parentheses_after_a_name():
    from rouei.scanning.detectors import detect_text

    line = "三浦裕美子様（ミウラ ユミコ）よりご連絡"
    kana = [m for m in detect_text(line) if m.category == "name_kana"]
    assert [line[m.start:m.end] for m in kana] == ["ミウラ ユミコ"]
    assert not [m for m in detect_text("商品（ボールペン）を購入") if m.category == "name_kana"]
