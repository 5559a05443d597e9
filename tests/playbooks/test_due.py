"""Due dates from a rule and the assessment's deadlines (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from rouei.domain.assessment import assess
from rouei.domain.facts import parse_facts
from rouei.playbooks.due import Deadlines, due_date
from tests.playbooks.conftest import FACTS_ACCESS, FACTS_MISSENT

ACCESS = Deadlines.from_assessment(assess(parse_facts(FACTS_ACCESS)))


def test_deadlines_from_assessment_knew_window_and_final():
    assert Deadlines(knew=dt.date(2026, 11, 24),
                               preliminary_first=dt.date(2026, 11, 26),
                               preliminary_last=dt.date(2026, 11, 28),
                               final_report_due=dt.date(2027, 1, 22)) == ACCESS


def test_deadlines_mis_sent_health_data_final_in_30_days():
    missent = Deadlines.from_assessment(assess(parse_facts(FACTS_MISSENT)))
    assert missent.final_report_due == dt.date(2026, 12, 23)


@pytest.mark.parametrize(("rule", "offset", "expected"), [
    ("knew", 0, dt.date(2026, 11, 24)),
    ("knew", 1, dt.date(2026, 11, 25)),
    ("preliminary_first", 0, dt.date(2026, 11, 26)),
    ("preliminary_last", 2, dt.date(2026, 11, 30)),
    ("final_report_due", 0, dt.date(2027, 1, 22)),
    ("final_report_due", -5, dt.date(2027, 1, 17)),
    ("none", 3, None),
])
def test_due_date_counts_from_the_rules_deadline(rule, offset, expected):
    assert due_date(rule, offset, ACCESS) == expected


def test_due_date_without_the_deadline_is_none():
    not_reportable = Deadlines(knew=dt.date(2026, 11, 24))
    assert due_date("final_report_due", 0, not_reportable) is None
    assert due_date("preliminary_last", 0, not_reportable) is None
    assert due_date("knew", 1, Deadlines()) is None


def test_due_date_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        due_date("tomorrow", 0, ACCESS)


def test_deadlines_from_no_assessment_are_all_unknown():
    assert Deadlines.from_assessment(None) == Deadlines()
