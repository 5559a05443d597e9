"""Person names: found in free text only in a label or honorific frame."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import person_name

from ._helpers import column_matches, found


@pytest.mark.parametrize("value", ["山田太郎", "山田 太郎", "佐々木 一", "勅使河原三郎", "田中はるか",
                                   "ジョン・スミス", "Taro Yamada", "田中かより", "山本ちから"])
def test_validate_names_valid(value):
    assert person_name.validate(value)


@pytest.mark.parametrize("value", ["山田太郎1", "taro@example.jp", "お客", "担当者", "山田商店",
                                   "社長", "こちらが申込書です", "山", "山田太郎東京都港区", "N/A",
                                   "青木修平から電話", "鈴木への連絡", "本社には連絡済"])
def test_validate_non_names_invalid(value):
    assert not person_name.validate(value)


@pytest.mark.parametrize("text, name", [
    ("氏名：山田 太郎", "山田 太郎"),
    ("お名前: 佐藤花子", "佐藤花子"),
    ("宛名 鈴木一郎", "鈴木一郎"),
    ("担当：高橋", "高橋"),
    ("Name: Taro Yamada", "Taro Yamada"),
    ("いつも山田太郎様にはお世話になっております", "山田太郎"),
    ("本日、田中はるかさんから連絡がありました", "田中はるか"),
    ("伊藤 健 殿", "伊藤 健"),
])
def test_detect_in_frame_found(text, name):
    assert found(text, "person_name") == [name]


def test_detect_label_directly_followed_by_next_label_stops_there():
    assert found("氏名:山田太郎住所:東京都", "person_name") == ["山田太郎"]


def test_detect_full_width_space_and_colon_found():
    assert found("氏名：山田　太郎", "person_name") == ["山田　太郎"]


@pytest.mark.parametrize("text", [
    "お客様各位", "担当者様へ", "社長さんに伝えます", "山田商店様", "名前変更の手続き",
    "山田太郎は来ませんでした",  # no frame: a bare name is not reported from prose
])
def test_detect_role_words_or_bare_names_not_found(text):
    assert found(text, "person_name") == []


def test_column_pattern_is_permissive_for_names():
    assert column_matches(person_name.COLUMN_PATTERN, [
        "山田 太郎", "ヤマダ タロウ", "Taro Yamada", "山田1", "a"]) == [True, True, True, False, False]


def test_normalise_value_removes_spaces():
    assert person_name.normalise_value("山田　太郎") == person_name.normalise_value("山田太郎")


@pytest.mark.parametrize("text, name", [
    ("氏名：林 くみ子", "林 くみ子"),
    ("林 くみ子様より", "林 くみ子"),
    ("お名前: 佐藤 さくら", "佐藤 さくら"),
])
def test_detect_given_name_in_hiragana_found(text, name):
    assert found(text, "person_name") == [name]


def test_detect_label_followed_by_particle_stops_before_it():
    assert found("氏名: 山田です", "person_name") == ["山田"]


def test_person_name_mail_header_display_name_is_a_frame():
    from rouei.scanning.detectors import detect_text

    line = "From: 山田 太郎 <taro@example.jp>"
    names = [m for m in detect_text(line) if m.category == "person_name"]
    assert [line[m.start:m.end] for m in names] == ["山田 太郎"]
    assert not [m for m in detect_text("Subject: 山田 <x>") if m.category == "person_name"]


@pytest.mark.parametrize("text, name", [
    ("林さんに0467-26-7720から連絡あり。", "林"),
    ("林 様", "林"),
    ("担当：森　ポイントの件は対応済み。", "森"),
    ("私、山田太郎と申します。", "山田太郎"),
    ("株式会社サンプルの斉藤と申します", "斉藤"),
    ("カスタマーサポートの林でございます。", "林"),
    ("営業部の伊藤でございます。", "伊藤"),
    ("ＡＢＣ商事の山本さん", "山本"),
])
def test_detect_one_kanji_surnames_and_self_introductions_found(text, name):
    assert found(text, "person_name") == [name]


@pytest.mark.parametrize("text", [
    "上様", "お星様にお願い", "奥さんに伝えた", "皆さんへ", "今回の商品でございます",
    "こちらは受付でございます", "センターの受付でございます", "山さん",
])
def test_detect_one_kanji_words_and_nouns_in_frames_not_found(text):
    assert found(text, "person_name") == []


def test_person_name_mail_header_hiragana_given_name():
    from rouei.scanning.detectors import detect_text

    names = [m.value for m in detect_text("From: 山口 さゆり <sayuri@example.org>")
             if m.category == "person_name"]
    assert names == ["山口 さゆり"]


def test_validate_one_kanji_only_common_surnames():
    assert person_name.validate("林") and person_name.validate("森")
    assert not person_name.validate("上") and not person_name.validate("山")
