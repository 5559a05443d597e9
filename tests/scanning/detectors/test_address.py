"""Addresses: prefecture + municipality + more, or municipality + block numbers."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import address

from ._helpers import column_matches, found, full_width


def test_all_47_prefectures_listed():
    assert len(address.PREFECTURES) == len(set(address.PREFECTURES)) == 47


@pytest.mark.parametrize("value", [
    "東京都千代田区千代田1-1", "北海道札幌市中央区北1条西2丁目", "京都府京都市左京区吉田本町",
    "神奈川県横浜市港北区日吉4丁目1番1号", "長野県北佐久郡軽井沢町大字軽井沢1323",
    "横浜市中区山下町1番地", "埼玉県さいたま市浦和区高砂3-15-1",
])
def test_validate_addresses_valid(value):
    assert address.validate(value)


@pytest.mark.parametrize("value", ["千代田", "横浜市中区", "東京", "taro@example.jp"])
def test_validate_fragments_invalid(value):
    assert not address.validate(value)


@pytest.mark.parametrize("text, value", [
    ("住所：東京都千代田区千代田1-1", "東京都千代田区千代田1-1"),
    ("〒100-8111 東京都千代田区千代田1-1 千代田ハイツ101号室 山田様",
     "東京都千代田区千代田1-1 千代田ハイツ101号室"),
    ("送付先は大阪府大阪市北区梅田3丁目1番1号です", "大阪府大阪市北区梅田3丁目1番1号"),
    ("本社：横浜市中区山下町1番地", "横浜市中区山下町1番地"),
    ("岡山県長生郡一宮町東和町13丁目18番18号", "岡山県長生郡一宮町東和町13丁目18番18号"),
])
def test_detect_in_text_found(text, value):
    assert found(text, "address") == [value]


def test_detect_full_width_block_numbers_found():
    value = "東京都港区六本木" + full_width("6-10-1")
    assert found("住所" + value, "address") == [value]


def test_detect_address_followed_by_phone_keeps_phone():
    text = "東京都千代田区千代田1-1電話03-1234-5678"
    assert found(text, "address") == ["東京都千代田区千代田1-1"]
    assert found(text, "phone") == ["03-1234-5678"]


@pytest.mark.parametrize("text", ["東京都知事選挙区で", "東京都内の区役所", "東京都千代田区に住む",
                                  "市区町村の一覧", "第3区1番"])
def test_detect_non_addresses_not_found(text):
    assert found(text, "address") == []


def test_split_locality_keeps_prefecture_and_municipality():
    assert address.split_locality("東京都千代田区千代田1-1") == ("東京都千代田区", "千代田1-1")
    assert address.split_locality("神奈川県横浜市中区山下町1") == ("神奈川県横浜市中区", "山下町1")


def test_column_pattern_matches_addresses():
    assert column_matches(address.COLUMN_PATTERN, [
        "東京都千代田区千代田1-1", "横浜市中区山下町1番地", "千代田1-1", "abc"]) == [
        True, True, False, False]


def test_normalise_value_unifies_block_numbers():
    assert address.normalise_value("東京都千代田区千代田1丁目1番") == address.normalise_value(
        "東京都千代田区千代田１－１")


@pytest.mark.parametrize(("one", "other"), [
    ("東京都千代田区千代田1丁目2番 ハイツ101", "東京都千代田区千代田1-2 ハイツ101"),
    ("東京都港区芝公園4丁目2番8号", "東京都港区芝公園4-2-8"),
    ("横浜市中区山下町12番地3", "横浜市中区山下町12-3"),
    ("大阪府大阪市北区梅田3丁目1番1号 梅田ビル5階", "大阪府大阪市北区梅田3-1-1梅田ビル5階"),
])
def test_normalise_value_unifies_block_numbers_before_a_building(one, other):
    assert address.normalise_value(one) == address.normalise_value(other)


def test_normalise_value_keeps_different_block_numbers_apart():
    assert address.normalise_value("千代田1丁目23番") != address.normalise_value("千代田12-3")


def test_detect_address_without_prefecture_keeps_all_its_block_numbers_and_building():
    assert found("〒530-0001 大阪市北区梅田2-2-2 梅田ビル5F", "address") == [
        "大阪市北区梅田2-2-2 梅田ビル5F"]
