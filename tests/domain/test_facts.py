from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.facts import FACT_KEYS, JST, Facts, FactsError, load_facts, parse_facts


@pytest.mark.parametrize("data,code,field", [
    ({"items": ["person_name", "shoe_size"]}, "unknown_item", "items"),
    ({"items": "person_name"}, "not_a_list", "items"),
    ({"people_confirmed": -1}, "negative", "people_confirmed"),
    ({"people_estimated": 1.5}, "not_an_integer", "people_estimated"),
    ({"people_confirmed": True}, "not_an_integer", "people_confirmed"),
    ({"people_confirmed": "100"}, "not_an_integer", "people_confirmed"),
    ({"knew_at": "2026-02-30"}, "invalid_date", "knew_at"),
    ({"knew_at": "yesterday"}, "invalid_date", "knew_at"),
    ({"malicious": "yes"}, "not_a_boolean", "malicious"),
    ({"cause": "aliens"}, "invalid_choice", "cause"),
    ({"encryption": "strong"}, "invalid_choice", "encryption"),
    ({"colour": "red"}, "unknown_key", "colour"),
    ({"occurred_at": "2026-11-25", "knew_at": "2026-11-24"}, "date_order", "occurred_at"),
    ({"knew_at": "9999-12-31T23:59:00-09:00"}, "out_of_range", "knew_at"),
    ({"knew_at": "0001-01-01"}, "out_of_range", "knew_at"),
])
def test_parse_facts_bad_value_names_the_field(data, code, field):
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    assert caught.value.code == code
    assert caught.value.field == field
    assert field in caught.value.message("ja") and field in caught.value.message("en")


def test_parse_facts_missing_key_is_unknown_not_false():
    facts = parse_facts({})
    assert facts.malicious is None and facts.is_personal_data is None and facts.items is None


def test_parse_facts_bare_date_is_midnight_in_japan():
    facts = parse_facts({"knew_at": "2026-11-24"})
    assert facts.knew_at == dt.datetime(2026, 11, 24, tzinfo=JST)
    assert facts.knew_date == dt.date(2026, 11, 24)


def test_parse_facts_jnsa_numbers_accepted_for_damage_inputs():
    facts = parse_facts({"social_responsibility": 2, "response_quality": 1})
    assert facts.social_responsibility.value == "high"
    assert facts.response_quality.value == "appropriate"


def test_people_max_is_the_larger_count():
    assert parse_facts({"people_confirmed": 10, "people_estimated": 900}).people_max == 900
    assert parse_facts({}).people_max is None


def test_load_facts_yaml_and_json_agree(tmp_path):
    data = {"items": ["person_name", "health"], "people_confirmed": 3, "knew_at": "2026-11-24",
            "cause": "misdelivery", "malicious": False}
    (tmp_path / "f.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "f.yaml").write_text(
        "items: [person_name, health]\npeople_confirmed: 3\nknew_at: 2026-11-24\n"
        "cause: misdelivery\nmalicious: false\n", encoding="utf-8")
    assert load_facts(tmp_path / "f.json") == load_facts(tmp_path / "f.yaml")


@pytest.mark.parametrize("content,code", [
    ("items: [person_name\n", "malformed"),
    ("{\"items\": [}", "malformed"),
    ("- just\n- a list\n", "not_a_mapping"),
    ("knew_at: 2026-13-01\n", "invalid_date"),
])
def test_load_facts_malformed_file_is_an_error_not_a_crash(tmp_path, content, code):
    path = tmp_path / "facts.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(path)
    assert caught.value.code == code


def test_load_facts_missing_file_names_it(tmp_path):
    with pytest.raises(FactsError) as caught:
        load_facts(tmp_path / "nope.yaml")
    assert caught.value.code == "file_not_found" and "nope.yaml" in caught.value.message()


def test_facts_round_trip_through_to_dict():
    data = {"items": ["person_name"], "people_confirmed": 3, "cause": "theft",
            "knew_at": "2026-11-24T10:00:00+09:00", "malicious": True}
    facts = parse_facts(data)
    assert parse_facts(facts.to_dict()) == facts


@given(st.dictionaries(st.sampled_from(FACT_KEYS),
                       st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
                                 st.lists(st.text(max_size=8), max_size=3)), max_size=6))
def test_parse_facts_any_input_gives_facts_or_a_named_error(data):
    try:
        assert isinstance(parse_facts(data), Facts)
    except FactsError as exc:
        assert exc.code and exc.message("ja")


INCONSISTENT = {"people_confirmed": 900, "people_estimated": 500, "people_is_upper_bound": True}


def test_parse_facts_upper_bound_below_confirmed_is_refused():
    with pytest.raises(FactsError):
        parse_facts(INCONSISTENT)


def test_parse_facts_stored_without_consistency_check_reads_as_stored():
    assert parse_facts(INCONSISTENT, check_consistency=False).people_estimated == 500
