"""The canonical identity values shared by the scanner and the registry (property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning import identity

FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
mobiles = st.builds(lambda p, a, b: f"{p}-{a:04d}-{b:04d}", st.sampled_from(["090", "080", "070"]),
                    st.integers(0, 9999), st.integers(0, 9999))


@given(mobiles)
def test_a_phone_in_full_width_is_the_same_phone(phone):
    assert identity.phone(phone.translate(FULL_WIDTH)) == identity.phone(phone)


@given(mobiles)
def test_a_phone_with_81_is_the_same_phone(phone):
    assert identity.phone("+81-" + phone[1:]) == identity.phone(phone)


@given(mobiles)
def test_a_phone_that_lost_its_leading_zero_is_the_same_phone(phone):
    assert identity.phone(phone.replace("-", "")[1:]) == identity.phone(phone)


@given(mobiles, st.sampled_from([" ", "　", "", "-", "ー"]))
def test_a_phone_with_other_separators_is_the_same_phone(phone, sep):
    assert identity.phone(phone.replace("-", sep)) == identity.phone(phone)


def test_a_short_number_is_no_phone():
    assert identity.phone("12345") is None


KATAKANA = st.text(st.characters(min_codepoint=0x30A2, max_codepoint=0x30F3), min_size=1,
                   max_size=8)


@given(KATAKANA)
def test_hiragana_is_the_same_reading_as_katakana(reading):
    hiragana = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in reading)
    assert identity.kana(hiragana) == identity.kana(reading)


@given(KATAKANA, KATAKANA)
def test_spaces_in_a_reading_do_not_matter(family, given_name):
    assert identity.kana(f"{family}　{given_name}") == identity.kana(family + given_name)


def test_half_width_kana_is_the_same_reading():
    assert identity.kana("ﾔﾏﾀﾞ ﾀﾛｳ") == "ヤマダタロウ"


def test_a_variant_kanji_is_the_same_name():
    assert identity.name("髙橋 一郎") == identity.name("高橋一郎")


@given(st.sampled_from(["昭和60年4月1日", "S60.4.1", "1985/04/01", "1985-4-1", "１９８５年４月１日"]))
def test_a_birth_date_in_any_style_is_one_date(text):
    assert identity.birth_date(text) == "1985-04-01"


@given(st.emails())
def test_an_e_mail_in_capitals_is_the_same_address(address):
    assert identity.email(address.upper()) == identity.email(address)


def test_a_postal_code_with_its_mark_and_full_width_digits_is_seven_digits():
    assert identity.postal_code("〒１００－０００１") == "1000001"
