"""The JNSA JO model (appi.md §8.1–§8.2): the worked examples, each factor's reason, missing
facts, level conflicts, properties and the JSON shape."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.damage import estimate
from rouei.domain.facts import Facts, ResponseQuality, SocialResponsibility
from rouei.domain.items import ITEMS


def _facts(*items: str, people: int | None = 1, **kwargs) -> Facts:
    return Facts(items=items, people_confirmed=people, **kwargs)


# --- the worked examples of appi.md §8.1 ------------------------------------------------------
@pytest.mark.parametrize(("items", "per_person", "formula"), [
    (("person_name", "address", "birth_date"), 6_000, "500 × 2 × 6 × 1 × 1 = 6,000円"),
    (("person_name", "email"), 3_000, "500 × 2 × 3 × 1 × 1 = 3,000円"),
    (("email",), 1_000, "500 × 2 × 1 × 1 × 1 = 1,000円"),
    (("person_name", "address", "credit_card", "card_expiry"), 78_000,
     "500 × 26 × 6 × 1 × 1 = 78,000円"),
    (("person_name", "address", "health"), 303_000, "500 × 101 × 6 × 1 × 1 = 303,000円"),
])
def test_estimate_worked_example_matches_appi_md(items, per_person, formula):
    result = estimate(_facts(*items))
    assert result.per_person == per_person
    assert result.formula is not None and result.formula.ja.startswith(formula)


def test_estimate_least_sensitive_case_is_minimum_1000_yen():
    assert estimate(_facts("email")).per_person == 1_000


def test_estimate_most_severe_case_is_maximum_1_500_000_yen():
    facts = _facts("person_name", "address", "criminal_record",
                   social_responsibility=SocialResponsibility.HIGH,
                   response_quality=ResponseQuality.INAPPROPRIATE)
    result = estimate(facts)
    assert result.per_person == 1_500_000
    assert result.formula.ja.startswith("500 × 125 × 6 × 2 × 2 = 1,500,000円")


def test_estimate_total_uses_people_max_and_says_so():
    result = estimate(Facts(items=("person_name", "address", "birth_date"),
                            people_confirmed=1_200, people_estimated=3_000))
    assert result.people == 3_000
    assert result.total == 18_000_000
    assert "3,000" in result.people_basis.ja and "最大" in result.people_basis.ja
    assert result.total_formula.ja == "6,000円 × 3,000人 = 18,000,000円"


# --- every factor explains itself -------------------------------------------------------------
def test_factors_all_five_shown_in_formula_order():
    result = estimate(_facts("person_name", "address"))
    assert [f.key for f in result.factors] == [
        "base_information_value", "sensitivity", "identifiability", "social_responsibility",
        "response_quality"]
    assert all(f.reason.ja and f.reason.en and f.source for f in result.factors)


def test_sensitivity_reason_names_the_item_with_the_highest_privacy_level():
    reason = estimate(_facts("person_name", "address", "health")).factor("sensitivity").reason
    assert "病状・診療情報（カルテ等）" in reason.ja
    assert "10^(3−1) + 5^(1−1) = 100 + 1 = 101" in reason.ja
    assert "Health and medical-care information" in reason.en


def test_sensitivity_card_with_expiry_reason_names_the_combination_level_3():
    result = estimate(_facts("person_name", "credit_card", "card_expiry"))
    assert result.economic_level == 3
    assert "クレジットカード番号＋カード有効期限の組合せ" in result.factor("sensitivity").reason.ja


def test_identifiability_name_and_address_is_6_and_names_both():
    factor = estimate(_facts("name_kana", "address")).factor("identifiability")
    assert factor.value == 6
    assert "氏名（カナ）" in factor.reason.ja and "住所" in factor.reason.ja


def test_identifiability_address_and_phone_without_name_is_3_and_names_both():
    factor = estimate(_facts("address", "phone")).factor("identifiability")
    assert factor.value == 3
    assert "住所" in factor.reason.ja and "電話番号" in factor.reason.ja


def test_identifiability_address_alone_is_1_and_says_phone_is_missing():
    factor = estimate(_facts("address", "email")).factor("identifiability")
    assert factor.value == 1
    assert "電話番号がない" in factor.reason.ja


def test_social_responsibility_unknown_is_assumed_1_and_user_is_asked_to_set_it():
    result = estimate(_facts("person_name"))
    factor = result.factor("social_responsibility")
    assert factor.value == 1
    assert "不明" in factor.reason.ja and "「社会的責任度」を設定" in factor.reason.ja
    assert "assumed to be 1" in factor.reason.en
    assert "social_responsibility" in result.assumed


def test_social_responsibility_high_doubles_the_amount_and_is_not_assumed():
    ordinary = estimate(_facts("person_name", social_responsibility=SocialResponsibility.ORDINARY))
    high = estimate(_facts("person_name", social_responsibility=SocialResponsibility.HIGH))
    assert high.per_person == 2 * ordinary.per_person
    assert "social_responsibility" not in high.assumed


def test_response_quality_inappropriate_doubles_and_unknown_counts_as_1():
    base = estimate(_facts("person_name", response_quality=ResponseQuality.UNKNOWN))
    bad = estimate(_facts("person_name", response_quality=ResponseQuality.INAPPROPRIATE))
    assert base.factor("response_quality").value == 1
    assert bad.per_person == 2 * base.per_person


# --- missing facts ----------------------------------------------------------------------------
@pytest.mark.parametrize("items", [None, ()])
def test_estimate_items_unknown_says_items_missing_and_totals_none(items):
    result = estimate(Facts(items=items, people_confirmed=10))
    assert result.per_person is None and result.total is None and result.formula is None
    assert "items" in result.missing
    assert result.cases[0].total_for_this_incident is not None  # people known: still compared


def test_estimate_people_unknown_keeps_per_person_and_leaves_totals_open():
    result = estimate(Facts(items=("person_name", "address")))
    assert result.per_person == 6_000
    assert result.total is None
    assert {"people_confirmed", "people_estimated"} <= set(result.missing)
    assert all(c.total_for_this_incident is None for c in result.cases)
    assert result.response_costs.subtotal is None


def test_estimate_empty_facts_to_dict_is_json_ready():
    data = estimate(Facts()).to_dict("en")
    json.dumps(data)
    assert data["per_person"] is None and data["missing"]


def test_estimate_item_not_in_catalogue_is_reported_not_crashing():
    result = estimate(_facts("person_name", "no_such_item"))
    assert result.per_person == 3_000
    assert any(n.code == "unknown_items" and "no_such_item" in n.text.ja for n in result.notes)


# --- level conflicts (appi.md §8.2) -----------------------------------------------------------
def test_card_number_alone_notes_the_2003_level_3_alternative():
    result = estimate(_facts("person_name", "address", "credit_card"))
    assert result.per_person == 18_000  # economic level 2 (later grouping)
    note = next(n for n in result.notes if n.code == "level_conflict_card_or_account_number")
    assert "78,000円" in note.text.ja


def test_card_with_expiry_has_no_level_conflict_note():
    result = estimate(_facts("person_name", "address", "credit_card", "card_expiry"))
    assert not any(n.code.startswith("level_conflict") for n in result.notes)


def test_disability_notes_that_mental_disability_would_be_level_3():
    result = estimate(_facts("person_name", "address", "disability"))
    note = next(n for n in result.notes if n.code == "level_conflict_disability")
    assert "精神障害" in note.text.ja and "303,000円" in note.text.ja


def test_item_with_rouei_chosen_levels_is_flagged():
    result = estimate(_facts("person_name", "my_number"))
    note = next(n for n in result.notes if n.code == "levels_not_from_jnsa")
    assert "マイナンバー" in note.text.ja


# --- properties -------------------------------------------------------------------------------
_item_sets = st.frozensets(st.sampled_from(sorted(ITEMS)), min_size=1)
_social = st.sampled_from([None, *SocialResponsibility])
_response = st.sampled_from([None, *ResponseQuality])


@given(_item_sets, st.integers(0, 10**8), _social, _response)
def test_total_equals_per_person_times_people_for_any_items(items, people, social, response):
    result = estimate(Facts(items=tuple(sorted(items)), people_estimated=people,
                            social_responsibility=social, response_quality=response))
    assert result.total == result.per_person * people
    assert 1_000 <= result.per_person <= 1_500_000
    product = 1
    for factor in result.factors:
        product *= factor.value
    assert product == result.per_person


@given(_item_sets, _item_sets, _social, _response)
def test_adding_items_never_lowers_per_person(items, extra, social, response):
    def per_person(ids):
        return estimate(Facts(items=tuple(sorted(ids)), people_confirmed=1,
                              social_responsibility=social, response_quality=response)).per_person
    assert per_person(items | extra) >= per_person(items)


# --- rendering --------------------------------------------------------------------------------
def test_to_dict_has_documented_keys_and_renders_english():
    data = estimate(_facts("person_name", "address", people=10)).to_dict("en")
    assert {"per_person", "people", "total", "factors", "formula", "cases", "survey_averages",
            "response_costs", "missing", "notes"} <= set(data)
    assert data["factors"][1]["name"] == "Sensitivity"
    assert set(data["factors"][0]) >= {"name", "value", "reason", "source"}
    assert data["formula"] == "500 × 2 × 6 × 1 × 1 = ¥6,000 per person"
    assert {"per_person", "total_for_this_incident"} <= set(data["cases"][0])
    assert {"lines", "subtotal", "goodwill_options"} <= set(data["response_costs"])
    json.dumps(data)
