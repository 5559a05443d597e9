"""E-mail addresses: pragmatic RFC 5322 subset, IDN domains, Japanese surroundings."""

from __future__ import annotations

import pytest

from rouei.scanning.detectors import email

from ._helpers import column_matches, found


@pytest.mark.parametrize("value", ["taro@example.jp", "taro.yamada+news@mail.example.co.jp",
                                   "info@例え.jp", "a_b-c@xn--r8jz45g.jp", "o'brien@example.com"])
def test_validate_addresses_valid(value):
    assert email.validate(value)


@pytest.mark.parametrize("value", ["taro@", "@example.jp", "taro..yamada@example.jp",
                                   ".taro@example.jp", "taro@example", "taro@example.123",
                                   "x" * 65 + "@example.jp"])
def test_validate_malformed_invalid(value):
    assert not email.validate(value)


def test_detect_followed_by_japanese_stops_at_tld():
    assert found("連絡先: taro.yamada@example.co.jpまでお願いします", "email") == [
        "taro.yamada@example.co.jp"]


def test_detect_idn_domain_found():
    assert found("問い合わせはinfo@例え.jpへ", "email") == ["info@例え.jp"]


def test_detect_full_width_address_found_with_original_offsets():
    text = "メール：ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"
    assert found(text, "email") == ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"]


def test_detect_phone_digits_inside_address_only_email():
    assert found("tanaka09012345678@example.jp") == ["tanaka09012345678@example.jp"]


def test_detect_no_at_sign_not_found():
    assert found("example.jp のサイト", "email") == []


def test_column_pattern_matches_addresses():
    assert column_matches(email.COLUMN_PATTERN, [
        "taro@example.jp", "info@例え.jp", " Taro@Example.JP ", "taro", "a@b"]) == [
        True, True, True, False, False]


def test_normalise_value_is_lower_case():
    assert email.normalise_value(" Taro.Yamada@Example.JP ") == "taro.yamada@example.jp"
