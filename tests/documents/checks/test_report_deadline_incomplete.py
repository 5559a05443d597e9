from __future__ import annotations

import datetime as dt

from rouei.documents.checks import Deadline, MissingItem
from rouei.documents.checks import report_deadline_incomplete as rule
from tests.documents.checks.conftest import TODAY, make


def final_in(days: int) -> Deadline:
    return Deadline("final", "確報", "final report", TODAY + dt.timedelta(days=days))


def missing_for(deadline: Deadline, *labels: str) -> tuple:
    return tuple(MissingItem(label, deadline.due) for label in labels)


def test_fires_when_the_deadline_is_near_and_items_are_missing():
    due = final_in(2)
    assert rule.check(make(deadlines=(due,), report_missing=missing_for(due, "原因の詳細")))


def test_names_the_deadline():
    due = final_in(2)
    found = rule.check(make(deadlines=(due,), report_missing=missing_for(due, "原因の詳細")))
    assert "確報の期限" in found[0].message


def test_names_the_missing_items():
    due = final_in(2)
    found = rule.check(make(deadlines=(due,),
                            report_missing=missing_for(due, "原因の詳細", "本人の種類")))
    assert "原因の詳細、本人の種類" in found[0].message


def test_says_how_many_days_are_left():
    due = final_in(2)
    found = rule.check(make(deadlines=(due,), report_missing=missing_for(due, "原因")))
    assert "あと2日" in found[0].message


def test_says_a_deadline_has_passed():
    due = final_in(-1)
    found = rule.check(make(deadlines=(due,), report_missing=missing_for(due, "原因")))
    assert "1日過ぎています" in found[0].message


def test_a_deadline_tomorrow_is_high():
    due = final_in(1)
    found = rule.check(make(deadlines=(due,), report_missing=missing_for(due, "原因")))
    assert found[0].severity == "high"


def test_quiet_when_the_deadline_is_far():
    due = final_in(10)
    assert rule.check(make(deadlines=(due,), report_missing=missing_for(due, "原因"))) == []


def test_near_is_configurable():
    due = final_in(10)
    data = make(deadlines=(due,), report_missing=missing_for(due, "原因"), near_days=14)
    assert rule.check(data)


def test_quiet_when_the_report_is_complete():
    assert rule.check(make(deadlines=(final_in(1),))) == []


def test_items_missing_for_a_later_deadline_do_not_count():
    preliminary = Deadline("preliminary", "速報（目安）", "preliminary report",
                           TODAY + dt.timedelta(days=1))
    later = final_in(25)
    data = make(deadlines=(preliminary, later), report_missing=missing_for(later, "原因"))
    assert rule.check(data) == []
