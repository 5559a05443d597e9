"""What the incident page computes: overrides against the defaults, and the card's data."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.damage import ResponsePrices
from rouei.estimates.services import incident_estimate, overrides_of

yen = st.integers(0, 10**9)
prices = st.builds(
    ResponsePrices, forensic_investigation=yen, letter_postage=yen, letter_printing=yen,
    email_per_person=yen, letter_share_percent=st.integers(0, 100), call_centre_setup=yen,
    call_centre_per_call=yen, call_rate_permille=st.integers(0, 1_000), legal_counsel=yen,
    public_relations=yen, goodwill_options=st.lists(yen, min_size=1, max_size=6).map(tuple))


@given(prices)
def test_overrides_of_any_prices_read_back_to_the_same_prices(original):
    assert ResponsePrices.from_mapping(overrides_of(original)) == original


def test_overrides_of_defaults_is_empty():
    assert overrides_of(ResponsePrices()) == {}


def test_overrides_of_one_change_names_only_that_price():
    assert overrides_of(dataclasses.replace(ResponsePrices(), letter_postage=140)) == {
        "letter_postage": 140}


@pytest.mark.django_db
def test_incident_estimate_counts_the_latest_facts_people(incident):
    result = incident_estimate(incident, "ja")
    assert (result["estimate"]["people"], result["facts_version"]) == (900, 1)


@pytest.mark.django_db
def test_incident_estimate_without_saved_prices_changes_none(incident):
    assert incident_estimate(incident, "ja")["changed_prices"] == 0
