"""The stored form of an assessment: one language-neutral record, read back as an Assessment."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings

from rouei.domain.assessment import Assessment, assess
from rouei.domain.facts import parse_facts
from tests.domain.test_assessment_properties import facts

TODAY = dt.date(2026, 11, 24)
PAYROLL_ATTACK = {"items": ["person_name", "my_number", "health"], "people_estimated": 300,
                  "cause": "unauthorized_access", "knew_at": "2026-11-24T10:00:00+09:00"}


def _stored(assessment: Assessment) -> dict:
    """What the database gives back: the record through JSON."""
    return json.loads(json.dumps(assessment.to_record()))


@settings(max_examples=200, deadline=None)
@given(facts())
def test_record_read_back_is_the_same_assessment(f):
    assessment = assess(f, today=TODAY)
    assert Assessment.from_record(_stored(assessment)) == assessment


@settings(max_examples=100, deadline=None)
@given(facts())
def test_record_read_back_renders_the_same_words_in_both_languages(f):
    assessment = assess(f, today=TODAY)
    back = Assessment.from_record(_stored(assessment))
    assert [back.to_dict(lang) for lang in ("ja", "en")] == [
        assessment.to_dict(lang) for lang in ("ja", "en")]


def test_record_holds_each_text_once_with_both_languages():
    record = assess(parse_facts(PAYROLL_ATTACK), today=TODAY).to_record()
    sensitive = next(f for f in record["appi"]["findings"] if f["id"] == "sensitive")
    assert sensitive["label"] == {"ja": "要配慮個人情報（規則7条1号）", "en": "Sensitive data (Rules 7(i))"}


def test_record_keeps_dates_as_iso_days():
    record = assess(parse_facts(PAYROLL_ATTACK), today=TODAY).to_record()
    assert record["appi"]["final_report_due"] == "2027-01-22"


def test_record_keeps_the_my_number_act_result():
    back = Assessment.from_record(_stored(assess(parse_facts(PAYROLL_ATTACK), today=TODAY)))
    assert back.my_number_act.triggers == ("mn_malicious", "mn_over_100")


def test_record_without_my_numbers_has_no_my_number_result():
    facts = {**PAYROLL_ATTACK, "items": ["person_name", "health"]}
    back = Assessment.from_record(_stored(assess(parse_facts(facts), today=TODAY)))
    assert back.my_number_act is None


def test_record_of_another_format_is_refused():
    record = {**assess(parse_facts(PAYROLL_ATTACK), today=TODAY).to_record(), "format": 99}
    with pytest.raises(ValueError):
        Assessment.from_record(record)
