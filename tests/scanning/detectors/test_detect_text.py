"""detect_text: normalisation, every detector, context rules, overlaps, original offsets."""

from __future__ import annotations

import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from rouei.scanning.detectors import detect_text

from ._helpers import found, luhn_complete, my_number_complete

RECORD = (
    "【お客様情報】\n"
    "氏名：山田 太郎 様\n"
    "フリガナ：ヤマダ タロウ\n"
    "生年月日：昭和60年4月1日\n"
    "〒１００－０００１ 東京都千代田区千代田１－１ 千代田ハイツ１０１号室\n"
    "電話番号：０９０－１２３４－５６７８\n"
    "メール：taro.yamada@example.jp\n"
    "個人番号：１２３４ ５６７８ ９０１８\n"
    "カード番号：4111-1111-1111-1111\n"
    "振込先：普通 1234567\n"
    "既往歴：糖尿病（インスリン処方中）\n"
)


def test_detect_full_record_finds_every_item_at_original_offsets():
    matches = detect_text(RECORD)
    for m in matches:
        assert RECORD[m.start:m.end] == m.value
    by_category = {}
    for m in matches:
        by_category.setdefault(m.category, []).append(m.value)
    assert by_category == {
        "person_name": ["山田 太郎"],
        "name_kana": ["ヤマダ タロウ"],
        "birth_date": ["昭和60年4月1日"],
        "postal_code": ["１００－０００１"],
        "address": ["東京都千代田区千代田１－１ 千代田ハイツ１０１号室"],
        "phone": ["０９０－１２３４－５６７８"],
        "email": ["taro.yamada@example.jp"],
        "my_number": ["１２３４ ５６７８ ９０１８"],
        "credit_card": ["4111-1111-1111-1111"],
        "bank_account": ["1234567"],
        "health": ["糖尿病", "インスリン"],
    }


def test_detect_matches_sorted_and_not_overlapping():
    matches = detect_text(RECORD)
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.start


def test_detect_longer_match_wins_overlap():
    # The card's first 12 digits are a valid My Number; the card is longer and wins.
    card = next(c for c in (luhn_complete(f"4{i:014d}") for i in range(10_000))
                if my_number_complete(c[:11]) == c[:12])
    assert [m.category for m in detect_text(f"カード {card}")] == ["credit_card"]


def test_detect_context_decides_between_equally_long_checksummed_numbers():
    # 309012345620 is a valid licence number; find one that is also a valid My Number.
    from rouei.scanning.detectors import drivers_license, my_number

    rng = random.Random(1)
    while True:
        n = my_number_complete("30" + "".join(rng.choice("0123456789") for _ in range(9)))
        if drivers_license.validate(n) and my_number.validate(n):
            break
    assert [m.category for m in detect_text(f"運転免許証 {n}")] == ["drivers_license"]
    assert [m.category for m in detect_text(f"マイナンバー {n}")] == ["my_number"]


def test_detect_decoys_report_nothing():
    text = ("注文番号 123456789018、商品コード AB1234567、受注日 2024/04/01、"
            "法人番号 7000012050002、数量 1234567、No.1234")
    assert found(text) == []


def test_detect_empty_and_ascii_texts():
    assert detect_text("") == []
    assert found("call 090-1234-5678 or mail a@example.com") == ["090-1234-5678", "a@example.com"]


@given(st.text(alphabet=st.sampled_from(list("0123456789０１２３４５６７８９－ー-—年月日電話番号様山田㍻ｶﾞ㈱ 〒@.a")),
               max_size=40))
def test_detect_any_text_offsets_give_back_the_value(text):
    for m in detect_text(text):
        assert text[m.start:m.end] == m.value
        assert m.start < m.end
