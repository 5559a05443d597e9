"""The response-cost model and its unit prices (from a mapping or a file)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.damage import (
    PricesError,
    ResponsePrices,
    estimate,
    load_prices,
    response_costs,
)
from rouei.domain.facts import Facts


def _facts(*items: str, people: int | None = 1) -> Facts:
    return Facts(items=items, people_confirmed=people)


# --- response costs ---------------------------------------------------------------------------
@given(st.integers(0, 10**7))
def test_response_cost_lines_add_up_to_subtotal_and_grand_totals(people):
    costs = response_costs(people, ResponsePrices())
    assert sum(line.amount for line in costs.lines) == costs.subtotal
    for option in costs.goodwill_options:
        assert option.total == option.per_person * people
        assert option.grand_total == costs.subtotal + option.per_person * people
    assert all(line.unit_price * line.quantity == line.amount for line in costs.lines)


def test_response_costs_goodwill_options_default_to_practice_amounts():
    costs = estimate(_facts("email", people=100)).response_costs
    assert [o.per_person for o in costs.goodwill_options] == [0, 500, 1_000, 3_000, 10_000]


def test_response_costs_letter_postage_is_110_yen_and_not_an_assumption():
    costs = response_costs(1_000, ResponsePrices())
    postage = next(line for line in costs.lines if line.key == "letter_postage")
    assert (postage.unit_price, postage.quantity, postage.amount) == (110, 1_000, 110_000)
    assert not postage.assumption
    forensic = next(line for line in costs.lines if line.key == "forensic_investigation")
    assert forensic.assumption


def test_response_costs_calls_and_letters_are_rounded_up():
    prices = ResponsePrices(call_rate_permille=50, letter_share_percent=50)
    costs = response_costs(3, prices)
    by_key = {line.key: line for line in costs.lines}
    assert by_key["call_centre_calls"].quantity == 1  # 3 × 50 / 1000 = 0.15 → 1
    assert by_key["letter_postage"].quantity == 2  # 3 × 50 / 100 = 1.5 → 2
    assert by_key["email_notification"].quantity == 1


def test_response_costs_to_dict_lists_label_unit_price_quantity_amount():
    data = estimate(_facts("email", people=10)).to_dict("ja")
    line = data["response_costs"]["lines"][0]
    assert {"label", "unit_price", "quantity", "amount"} <= set(line)
    assert data["response_costs"]["goodwill_options"][1] == {
        "per_person": 500, "total": 5_000,
        "grand_total": data["response_costs"]["subtotal"] + 5_000}


# --- prices file ------------------------------------------------------------------------------
def test_prices_from_mapping_overrides_and_keeps_defaults():
    prices = ResponsePrices.from_mapping({"forensic_investigation": 8_000_000,
                                          "goodwill_options": [0, 2_000]})
    assert prices.forensic_investigation == 8_000_000
    assert prices.goodwill_options == (0, 2_000)
    assert prices.letter_postage == 110


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"forensics": 1}, "forensics", "unknown_key"),
    ({"letter_postage": -1}, "letter_postage", "negative"),
    ({"letter_postage": 110.5}, "letter_postage", "not_an_integer"),
    ({"letter_postage": "110"}, "letter_postage", "not_an_integer"),
    ({"legal_counsel": True}, "legal_counsel", "not_an_integer"),
    ({"letter_share_percent": 101}, "letter_share_percent", "out_of_range"),
    ({"call_rate_permille": 1_001}, "call_rate_permille", "out_of_range"),
    ({"goodwill_options": 500}, "goodwill_options", "not_a_list"),
    ({"goodwill_options": []}, "goodwill_options", "not_a_list"),
    ({"goodwill_options": [500, -1]}, "goodwill_options", "negative"),
])
def test_prices_from_mapping_bad_value_error_names_the_field(data, field, code):
    with pytest.raises(PricesError) as info:
        ResponsePrices.from_mapping(data)
    assert isinstance(info.value, ValueError)
    assert (info.value.field, info.value.code) == (field, code)
    assert info.value.message("ja").startswith(field) and info.value.message_en


def test_prices_from_mapping_not_a_mapping_is_rejected():
    with pytest.raises(PricesError) as info:
        ResponsePrices.from_mapping([1, 2])
    assert info.value.code == "not_a_mapping"


def test_load_prices_reads_yaml_file(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text("call_centre_per_call: 1200\ngoodwill_options: [0, 500]\n", encoding="utf-8")
    prices = load_prices(path)
    assert prices.call_centre_per_call == 1_200 and prices.goodwill_options == (0, 500)


def test_load_prices_malformed_json_is_reported(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(PricesError) as info:
        load_prices(path)
    assert info.value.code == "malformed"
