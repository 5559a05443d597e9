"""Comparing two assessments in words (pure: no database)."""

from __future__ import annotations

import datetime as dt

from rouei.domain.assessment import assess
from rouei.domain.facts import parse_facts
from rouei.incidents.duty_changes import compare

TODAY = dt.date(2026, 11, 25)
BASE = {"items": ["person_name", "email"], "knew_at": "2026-11-24", "cause": "misconfiguration",
        "malicious": False, "people_confirmed": 900}


def _changes(before: dict, after: dict):
    a = assess(parse_facts(before), today=TODAY)
    b = assess(parse_facts(after), today=TODAY)
    return compare(a.to_dict("ja"), b.to_dict("ja"), a.to_dict("en"), b.to_dict("en"))


def test_compare_same_facts_no_changes():
    assert _changes(BASE, BASE) == []


def test_compare_no_previous_assessment_no_changes():
    a = assess(parse_facts(BASE), today=TODAY)
    assert compare(None, a.to_dict("ja"), None, a.to_dict("en")) == []


def test_compare_people_past_1000_report_becomes_required():
    changes = _changes(BASE, {**BASE, "people_confirmed": 1001})
    assert [c.code for c in changes] == ["report_required", "final_due_set"]
    assert changes[0].ja == "本人の数が1,000人を超えたため、規則7条4号に該当し報告が必要になりました"
    assert changes[0]("en").startswith("The number of people passed 1,000")


def test_compare_exactly_1000_people_is_no_change():
    assert _changes(BASE, {**BASE, "people_confirmed": 1000}) == []


def test_compare_second_trigger_while_already_required_says_also():
    sensitive = {**BASE, "items": ["person_name", "health"]}
    changes = _changes(sensitive, {**sensitive, "people_confirmed": 5000})
    assert [c.code for c in changes] == ["trigger_added"]
    assert changes[0].ja == ("本人の数が1,000人を超えたため、規則7条4号にも該当するようになりました"
                             "（報告は引き続き必要です）")


def test_compare_malice_found_moves_the_final_deadline_to_60_days():
    sensitive = {**BASE, "items": ["person_name", "health"]}
    changes = _changes(sensitive, {**sensitive, "malicious": True})
    codes = [c.code for c in changes]
    assert codes == ["trigger_added", "final_due_changed"]
    assert changes[1].ja == ("確報の期限が2026年12月23日（水）から2027年1月22日（金）に変わりました"
                             "（60日）")


def test_compare_trigger_gone_report_no_longer_required():
    changes = _changes({**BASE, "people_confirmed": 1500}, BASE)
    assert [c.code for c in changes] == ["report_not_required"]


def test_compare_unknown_fact_makes_the_report_undecided():
    changes = _changes(BASE, {k: v for k, v in BASE.items() if k != "malicious"} | {
        "cause": "other"})
    assert changes[0].code == "report_undecided"
    assert "要確認" in changes[0].ja
