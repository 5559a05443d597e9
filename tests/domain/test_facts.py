from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.facts import (
    CLOCK_SKEW,
    FACT_KEYS,
    JST,
    Facts,
    FactsError,
    is_in_future,
    load_facts,
    parse_facts,
)


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


# --- dates that cannot lie in the future (issue 11, guard rail 2) ------------------------------

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=JST)
PAST_DATE_KEYS = ("knew_at", "occurred_at", "detected_at")
# Far enough from MIN_YEAR and MAX_YEAR that "now" plus or minus the offsets stays a valid year.
NOWS = st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2900, 1, 1),
                    timezones=st.sampled_from([JST, dt.UTC, dt.timezone(dt.timedelta(hours=-9))]))


@given(key=st.sampled_from(PAST_DATE_KEYS), now=NOWS,
       ahead=st.timedeltas(min_value=CLOCK_SKEW + dt.timedelta(microseconds=1),
                           max_value=dt.timedelta(days=365 * 40)))
def test_parse_facts_date_after_now_and_skew_is_refused_with_its_field(key, now, ahead):
    with pytest.raises(FactsError) as caught:
        parse_facts({key: (now + ahead).isoformat()}, now=now)
    assert (caught.value.code, caught.value.field) == ("future_date", key)


@given(key=st.sampled_from(PAST_DATE_KEYS), now=NOWS,
       ahead=st.timedeltas(min_value=-dt.timedelta(days=365 * 40), max_value=CLOCK_SKEW))
def test_parse_facts_date_up_to_now_and_skew_is_accepted(key, now, ahead):
    facts = parse_facts({key: (now + ahead).isoformat()}, now=now)
    assert getattr(facts, key) == now + ahead


@pytest.mark.parametrize("key,label", [("knew_at", "知った日"), ("occurred_at", "発生日時"),
                                       ("detected_at", "検知日時")])
def test_parse_facts_future_date_message_names_the_field_in_japanese(key, label):
    with pytest.raises(FactsError) as caught:
        parse_facts({key: "2099-01-01"}, now=NOW)
    assert caught.value.message_ja == f"{label}は未来の日時にできません"


def test_parse_facts_bare_date_today_in_japan_is_accepted():
    assert parse_facts({"knew_at": "2026-12-06"}, now=NOW).knew_date == dt.date(2026, 12, 6)


def test_parse_facts_bare_date_tomorrow_in_japan_is_refused():
    with pytest.raises(FactsError) as caught:
        parse_facts({"knew_at": "2026-12-07"}, now=NOW)
    assert caught.value.code == "future_date"


def test_parse_facts_bare_date_tomorrow_is_refused_just_after_midnight_utc():
    # 00:30 UTC on the 6th is 09:30 JST: the 7th is still tomorrow in Japan.
    with pytest.raises(FactsError):
        parse_facts({"knew_at": "2026-12-07"}, now=dt.datetime(2026, 12, 6, 0, 30, tzinfo=dt.UTC))


def test_parse_facts_without_now_accepts_a_future_date():
    # Facts read back from storage were checked when saved; a scenario may be set later.
    assert parse_facts({"knew_at": "2099-01-01"}).knew_date == dt.date(2099, 1, 1)


def test_parse_facts_naive_now_is_a_programming_error():
    with pytest.raises(ValueError, match="aware"):
        parse_facts({"knew_at": "2026-12-01"}, now=dt.datetime(2026, 12, 6))


def test_is_in_future_allows_the_clock_skew_and_no_more():
    assert not is_in_future(NOW + CLOCK_SKEW, NOW)
    assert is_in_future(NOW + CLOCK_SKEW + dt.timedelta(seconds=1), NOW)


def test_load_facts_applies_now(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("knew_at: 2099-01-01\n", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(path, now=NOW)
    assert caught.value.code == "future_date"


INCONSISTENT = {"people_confirmed": 900, "people_estimated": 500, "people_is_upper_bound": True}


def test_parse_facts_upper_bound_below_confirmed_is_refused():
    with pytest.raises(FactsError):
        parse_facts(INCONSISTENT)


def test_parse_facts_stored_without_consistency_check_reads_as_stored():
    assert parse_facts(INCONSISTENT, check_consistency=False).people_estimated == 500
