"""Passwords in prose: a value right after a password label, never talk about passwords."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import password

from ._helpers import column_matches, found


@pytest.mark.parametrize("text, value", [
    ("以前のパスワード（sakura2019）でログインできません", "sakura2019"),
    ("旧パスワード：Hana-7788 を使っていました", "Hana-7788"),
    ("仮パスワードは kR8#pz2Q です。", "kR8#pz2Q"),
    ("パスワード「momo0412」を入力しました", "momo0412"),
    ("初期パスワードはbirthday0401となっています", "birthday0401"),
    ("PW: Tulip_55", "Tulip_55"),
    ("パスワード（半角英数8文字以上）：aoi7788x", "aoi7788x"),
])
def test_password_after_its_label_found(text, value):
    assert found(text, "password") == [value]


def test_full_width_password_found_as_typed():
    assert found("旧パスワード：ｈａｎａ７７８８", "password") == ["ｈａｎａ７７８８"]


@pytest.mark.parametrize("text", [
    "パスワードを変更しました",
    "パスワードを忘れました。再設定をお願いします",
    "password reset please",
    "パスワードは未設定です",
])
def test_talk_about_passwords_finds_none(text):
    assert found(text, "password") == []


@pytest.mark.parametrize("text", ["パスワード: ********", "仮パスワード：xxxx",
                                  "パスワードはpasswordです"])
def test_masked_or_placeholder_password_not_found(text):
    assert found(text, "password") == []


def test_passport_word_is_not_a_password_label():
    assert found("パスポート番号 TK1234567", "password") == []


def test_password_column_shape_never_matches_a_cell_alone():
    # only a header names a password column: any string can be one
    assert column_matches(password.COLUMN_PATTERN, ["sakura2019", "Hana-7788", "abcd"]) == [
        False, False, False]
