"""Reference numbers and records (property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rouei.people import registry
from rouei.people.registry import (
    REF_ALPHABET,
    REF_RANDOM_CHARS,
    PersonRecord,
    lookup_values,
    new_reference,
    normalise_reference,
)


def test_a_new_reference_is_well_formed():
    assert normalise_reference(new_reference()) is not None


@given(st.integers(0, 11), st.sampled_from(REF_ALPHABET))
def test_one_wrong_character_is_caught_by_the_check_character(position, char):
    ref = new_reference()
    body = ref.replace("-", "")
    if body[position] == char:
        return
    typo = body[:position] + char + body[position + 1:]
    assert normalise_reference(typo) is None


@given(st.integers(0, 10))
def test_two_swapped_neighbours_are_caught(position):
    body = new_reference().replace("-", "")
    if body[position] == body[position + 1]:
        return
    swapped = body[:position] + body[position + 1] + body[position] + body[position + 2:]
    assert normalise_reference(swapped) is None


def test_a_reference_typed_in_full_width_lower_case_is_read():
    ref = new_reference()
    typed = ref.lower().translate(str.maketrans(
        "abcdefghijklmnopqrstuvwxyz0123456789-", "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ０１２３４５６７８９ー"))
    assert normalise_reference(typed) == ref


def test_a_merge_keeps_the_reference_number():
    first = PersonRecord(ref="R1", name="山田 花子", phones=("09011112222",))
    merged = first.merged_with(PersonRecord(ref="R2", name="鈴木 花子", email="h@example.jp"))
    assert merged.ref == "R1"


def test_a_different_name_in_a_merge_becomes_a_former_name():
    first = PersonRecord(ref="R1", name="山田 花子")
    merged = first.merged_with(PersonRecord(ref="R2", name="鈴木 花子"))
    assert merged.former_names == ("鈴木 花子",)


def test_the_same_name_typed_differently_is_not_a_former_name():
    first = PersonRecord(ref="R1", name="山田 花子")
    merged = first.merged_with(PersonRecord(ref="R2", name="山田　花子"))
    assert merged.former_names == ()


def test_a_record_with_a_name_and_an_address_is_indexed_by_both_together():
    record = PersonRecord(ref="", name="山田 太郎", address="東京都千代田区丸の内一丁目9番1号")
    assert ("name_address", "山田太郎|千代田区丸の内1-9-1") in lookup_values(record)


def test_an_address_without_a_name_is_no_key():
    record = PersonRecord(ref="", address="東京都千代田区丸の内一丁目9番1号")
    assert [kind for kind, _ in lookup_values(record) if "address" in kind] == []


def test_a_reference_is_the_drawn_number_in_base_23_with_its_check(monkeypatch):
    # The number drawn, written least significant character first, then the check character
    # (weights 1..11): what the references already printed on letters look like.
    drawn = 123_456_789_012_345
    monkeypatch.setattr(registry.secrets, "randbelow", lambda _: drawn)
    digits, number = [], drawn
    for _ in range(REF_RANDOM_CHARS):
        number, digit = divmod(number, len(REF_ALPHABET))
        digits.append(digit)
    check = REF_ALPHABET[sum((i + 1) * d for i, d in enumerate(digits)) % len(REF_ALPHABET)]
    body = "".join(REF_ALPHABET[d] for d in digits) + check
    assert new_reference() == f"{body[:4]}-{body[4:8]}-{body[8:]}"
