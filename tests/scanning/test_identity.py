"""The canonical identity values shared by the scanner and the registry (property tests)."""

from __future__ import annotations

import pytest
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


# --- Postal addresses: the rules (``conservative_address``), which ``address`` uses by default.

TOWNS = st.sampled_from(["千代田区丸の内", "世田谷区桜丘", "大阪市北区梅田", "那覇市泉崎",
                         "名古屋市中区栄", "仙台市青葉区国分町"])
BLOCK = st.tuples(st.integers(1, 9), st.integers(1, 99), st.integers(1, 99))
ROOMS = st.integers(101, 1999)
PREFECTURES = st.sampled_from(["東京都", "大阪府", "北海道", "神奈川県", ""])
_KANJI = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _KANJI[tens]) + "十" if tens else "") + (_KANJI[ones] if ones else "")


def _hyphens(town, block):
    return town + "-".join(map(str, block))


@given(TOWNS, BLOCK)
def test_an_address_with_chome_ban_go_is_the_same_as_with_hyphens(town, block):
    chome, ban, go = block
    assert (identity.conservative_address(f"{town}{chome}丁目{ban}番{go}号")
            == identity.conservative_address(_hyphens(town, block)))


@given(TOWNS, BLOCK)
def test_an_address_in_kanji_numerals_is_the_same_address(town, block):
    chome, ban, go = block
    kanji = f"{town}{_kanji(chome)}丁目{_kanji(ban)}番{_kanji(go)}号"
    assert identity.conservative_address(kanji) == identity.conservative_address(
        _hyphens(town, block))


@given(TOWNS, BLOCK, st.sampled_from(["－", "ー", "‐", "−", "―"]))
def test_an_address_in_full_width_with_any_dash_is_the_same_address(town, block, dash):
    typed = town + dash.join(str(n).translate(FULL_WIDTH) for n in block)
    assert identity.conservative_address(typed) == identity.conservative_address(
        _hyphens(town, block))


@given(PREFECTURES, TOWNS, BLOCK)
def test_the_prefecture_may_be_left_out(prefecture, town, block):
    assert identity.conservative_address(prefecture + _hyphens(town, block)) == (
        identity.conservative_address(_hyphens(town, block)))


@given(TOWNS, BLOCK, ROOMS, st.sampled_from(["グランハイツ", "メゾン桜", "ＡＢＣビル"]))
def test_a_building_name_may_be_left_out_but_the_room_counts(town, block, room, building):
    with_building = f"{_hyphens(town, block)} {building} {room}号室"
    assert identity.conservative_address(with_building) == identity.conservative_address(
        f"{_hyphens(town, block)}-{room}")


@given(TOWNS, BLOCK, ROOMS)
def test_a_room_after_a_space_is_not_glued_to_the_house_number(town, block, room):
    assert identity.conservative_address(f"{_hyphens(town, block)} {room}号室") == (
        identity.conservative_address(f"{_hyphens(town, block)}-{room}"))


@given(TOWNS, BLOCK, BLOCK)
def test_different_house_numbers_stay_different_addresses(town, block, other):
    if block != other:
        assert identity.conservative_address(_hyphens(town, block)) != (
            identity.conservative_address(_hyphens(town, other)))


@given(TOWNS, BLOCK, ROOMS)
def test_the_next_room_is_another_address(town, block, room):
    assert identity.conservative_address(f"{_hyphens(town, block)}-{room}") != (
        identity.conservative_address(f"{_hyphens(town, block)}-{room + 1}"))


@given(st.text(max_size=40))
def test_any_text_gives_a_string_or_none_and_is_stable(text):
    once = identity.conservative_address(text)
    assert once is None or identity.conservative_address(once) == once


def test_ke_written_small_or_as_ga_is_one_town():
    assert identity.conservative_address("千代田区霞ヶ関3-2-1") == (
        identity.conservative_address("千代田区霞が関3-2-1"))


def test_no_written_in_katakana_is_one_town():
    assert identity.conservative_address("千代田区丸ノ内1-9-1") == (
        identity.conservative_address("千代田区丸の内1-9-1"))


def test_oaza_may_be_left_out():
    assert identity.conservative_address("長野市大字鶴賀緑町1613") == (
        identity.conservative_address("長野市鶴賀緑町1613"))


def test_a_leading_postal_code_is_not_part_of_the_address():
    assert identity.conservative_address("〒100-0005 東京都千代田区丸の内1-9-1") == (
        identity.conservative_address("千代田区丸の内1-9-1"))


def test_kanji_numerals_in_a_town_name_are_kept():
    assert identity.conservative_address("名古屋市中区三の丸3-1-1") == "名古屋市中区三の丸3-1-1"


def test_the_canonical_form_reads_as_an_address():
    assert identity.conservative_address("東京都千代田区丸の内一丁目９番１号 グラン 1203号室") == (
        "千代田区丸の内1-9-1-1203")


def test_no_address_is_none():
    assert identity.address("") is None


def test_address_uses_the_rules_unless_the_library_is_chosen(monkeypatch):
    monkeypatch.delenv(identity.ADDRESS_NORMALISER_ENV, raising=False)
    identity.address.cache_clear()
    assert identity.address("東京都千代田区丸の内一丁目9番1号") == "千代田区丸の内1-9-1"


def test_address_keys_can_be_turned_off(monkeypatch):
    monkeypatch.setenv(identity.ADDRESS_NORMALISER_ENV, "off")
    identity.address.cache_clear()
    assert identity.address("東京都千代田区丸の内一丁目9番1号") is None
    identity.address.cache_clear()


@pytest.mark.skipif(not identity.address_library_available(),
                    reason="normalize-japanese-address not installed")
def test_the_library_reads_a_kyoto_street_prefix_as_the_same_town():
    assert identity.library_address("京都府京都市中京区寺町通御池上る上本能寺前町488") == (
        identity.library_address("京都府京都市中京区上本能寺前町488番地"))


# --- the same rules over a column (the scanner's address keys) --------------------------------

def _written(prefecture, town, block, room, style):
    """One address as an export writes it, in one of several styles."""
    chome, ban, go = block
    return [f"{prefecture}{town}{chome}丁目{ban}番{go}号",
            f"{prefecture}{town}{_kanji(chome)}丁目{_kanji(ban)}番地{go}",
            f"〒100-0001 {prefecture}{town} {chome}-{ban}-{go} メゾン桜 {room}号室",
            (town + "ー".join(map(str, block))).translate(FULL_WIDTH),
            f"{prefecture}{town}{chome}-{ban}-{go}-{room}",
            f"{town}{chome}の{ban}の{go}"][style]


@given(st.lists(st.tuples(PREFECTURES, TOWNS, BLOCK, ROOMS, st.integers(0, 5)), max_size=20))
def test_address_column_is_conservative_address_of_each_cell(rows):
    import unicodedata

    import polars as pl
    cells = [unicodedata.normalize("NFKC", _written(*row)) for row in rows] + [None]
    assert identity.address_column(pl.Series(cells, dtype=pl.Utf8)).to_list() == [
        identity.conservative_address(c) if c else None for c in cells]


# --- Kyoto's 通り名: 烏丸通四条上ル笋町123 is the town 笋町 on 烏丸通 north of 四条 ---------------
# The street and its crossing locate the town; the official address is the town and its number,
# which many write alone. The streets' numerals (四条, 五条) are names, not a block's numbers.

KYOTO_STREETS = st.sampled_from(["烏丸通", "四条通", "河原町通", "寺町通", "五条通", "七条通",
                                 "堀川通", "今出川通", "御池通", "三条通り", "九条通", "東洞院通"])
KYOTO_CROSSINGS = st.sampled_from(["四条", "三条", "御池", "烏丸", "河原町", "五条", "堀川",
                                   "丸太町", "七条", "一条", "蛸薬師", "二条"])
KYOTO_DIRECTIONS = st.sampled_from([("上ル", "上る"), ("下ル", "下る"),
                                    ("東入ル", "東入る", "東入"), ("西入ル", "西入る", "西入")])
# (ward, town): towns named with a numeral and 条 among them (東九条室町, 西七条南中野町).
KYOTO_TOWNS = st.sampled_from([("中京区", "笋町"), ("下京区", "長刀鉾町"), ("中京区", "上本能寺前町"),
                               ("中京区", "一之船入町"), ("下京区", "御旅町"), ("上京区", "玄武町"),
                               ("南区", "東九条室町"), ("南区", "東九条上殿田町"),
                               ("下京区", "西七条南中野町"), ("下京区", "西七条北月読町")])
HOUSES = st.integers(1, 999)
KYOTO_PREFIX = st.sampled_from(["", "京都府", "〒604-8152 京都府", "京都府 "])


def _kyoto(prefix, ward, street, crossing, direction, town, house, suffix="番地"):
    return f"{prefix}京都市{ward}{street}{crossing}{direction}{town}{house}{suffix}"


@given(KYOTO_PREFIX, KYOTO_TOWNS, KYOTO_STREETS, KYOTO_CROSSINGS, KYOTO_DIRECTIONS, HOUSES,
       st.data())
def test_a_kyoto_street_form_is_the_town_it_names(prefix, ward_town, street, crossing,
                                                    directions, house, data):
    ward, town = ward_town
    direction = data.draw(st.sampled_from(directions))
    assert identity.conservative_address(
        _kyoto(prefix, ward, street, crossing, direction, town, house)) == (
        identity.conservative_address(f"京都市{ward}{town}{house}"))


@given(KYOTO_TOWNS, KYOTO_STREETS, KYOTO_CROSSINGS, KYOTO_DIRECTIONS, HOUSES,
       st.sampled_from([" 烏丸マンション", "　ハイツ室町", "コーポ"]), st.integers(1, 1500),
       st.sampled_from(["", "号室", "号"]))
def test_a_kyoto_address_without_its_room_is_its_place(ward_town, street, crossing,
                                                        directions, house, building, room,
                                                        room_suffix):
    """What finds a caller who leaves out the building and room (the registry's place key)."""
    ward, town = ward_town
    stored = _kyoto("京都府", ward, street, crossing, directions[0], town, house) + \
        f"{building}{room}{room_suffix}"
    said = _kyoto("", ward, street, crossing, directions[-1], town, house, "")
    assert identity.conservative_address(stored, room=False) == (
        identity.conservative_address(said))


@given(KYOTO_TOWNS, KYOTO_TOWNS, KYOTO_STREETS, KYOTO_CROSSINGS, KYOTO_DIRECTIONS, HOUSES)
def test_two_kyoto_towns_on_one_street_are_two_places(one, other, street, crossing,
                                                      directions, house):
    if one != other:
        assert identity.conservative_address(
            _kyoto("", *one[:1], street, crossing, directions[0], one[1], house)) != (
            identity.conservative_address(
                _kyoto("", *other[:1], street, crossing, directions[0], other[1], house)))


@given(KYOTO_TOWNS, KYOTO_STREETS, KYOTO_CROSSINGS, KYOTO_DIRECTIONS, HOUSES, HOUSES)
def test_the_next_house_in_a_kyoto_town_is_another_address(ward_town, street, crossing,
                                                           directions, house, other):
    ward, town = ward_town
    if house != other:
        assert identity.conservative_address(
            _kyoto("", ward, street, crossing, directions[0], town, house)) != (
            identity.conservative_address(
                _kyoto("", ward, street, crossing, directions[0], town, other)))


@given(KYOTO_STREETS, KYOTO_CROSSINGS, KYOTO_DIRECTIONS, HOUSES, st.data())
def test_a_kyoto_street_form_without_a_town_is_one_address_however_written(
        street, crossing, directions, house, data):
    written = data.draw(st.sampled_from(directions))
    assert identity.conservative_address(f"京都市中京区{street}{crossing}{written}{house}") == (
        identity.conservative_address(
            f"京都市中京区{street.replace('通り', '通')}{crossing}{directions[0]}{house}番地"))


@given(KYOTO_STREETS, KYOTO_CROSSINGS, KYOTO_DIRECTIONS, HOUSES, HOUSES)
def test_kyoto_street_forms_without_a_town_keep_their_street(street, crossing, directions,
                                                             house, room):
    """No town after the street: the street is the place (its 四条 not read as 4)."""
    assert identity.conservative_address(
        f"京都市中京区{street}{crossing}{directions[0]}{house}-{room}", room=False).startswith(
        f"京都市中京区{street.replace('通り', '通')}{crossing}")


def test_a_hokkaido_block_in_kanji_is_still_its_numbers():
    assert identity.conservative_address("札幌市中央区北一条西二丁目1番地") == (
        identity.conservative_address("札幌市中央区北1条西2丁目1"))


def test_an_asahikawa_street_block_in_kanji_is_still_its_numbers():
    assert identity.conservative_address("旭川市四条通八丁目1番地") == (
        identity.conservative_address("旭川市4条通8-1"))


def test_a_town_that_only_looks_like_a_direction_keeps_its_name():
    assert identity.conservative_address("富山市東入江町1-2") == "富山市東入江町1-2"
