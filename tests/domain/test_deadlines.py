from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.domain import deadlines

D = dt.date


@pytest.mark.parametrize("knew,days,due", [
    (D(2026, 11, 24), 30, D(2026, 12, 23)),  # appi.md §3 worked examples
    (D(2026, 11, 24), 60, D(2027, 1, 22)),
    (D(2026, 12, 2), 30, D(2027, 1, 4)),
    (D(2026, 12, 5), 30, D(2027, 1, 4)),
    (D(2027, 1, 13), 30, D(2027, 2, 12)),
    (D(2026, 12, 31), 60, D(2027, 3, 1)),
    (D(2026, 4, 7), 30, D(2026, 5, 7)),  # day 30 = 2026-05-06 振替休日 → Thu 7 May
])
def test_due_date_worked_example_matches_reference(knew, days, due):
    assert deadlines.due_date(knew, days) == due


def test_due_date_day_of_knowing_counts_as_day_one():
    assert deadlines.nth_day(D(2026, 11, 24), 1) == D(2026, 11, 24)
    assert deadlines.nth_day(D(2026, 11, 24), 30) == D(2026, 12, 23)


@pytest.mark.parametrize("day,closed", [
    (D(2026, 12, 28), False), (D(2026, 12, 29), True), (D(2027, 1, 3), True),
    (D(2027, 1, 4), False), (D(2027, 2, 11), True), (D(2026, 11, 28), True),
    (D(2026, 11, 23), True),  # 勤労感謝の日
])
def test_is_government_holiday_known_days(day, closed):
    assert deadlines.is_government_holiday(day) is closed


def test_holiday_name_says_why_a_day_is_closed():
    assert deadlines.holiday_name(D(2027, 2, 11)) == "建国記念の日"
    assert deadlines.holiday_name(D(2026, 12, 31)) == "年末年始の休日"
    assert deadlines.holiday_name(D(2026, 11, 24)) is None


def test_preliminary_window_is_day_three_to_five():
    assert deadlines.preliminary_window(D(2026, 11, 24)) == (D(2026, 11, 26), D(2026, 11, 28))


@given(st.dates(min_value=D(2022, 1, 1), max_value=D(2040, 12, 31)), st.sampled_from([30, 60]))
def test_due_date_is_an_open_day_no_earlier_than_the_last_day(knew, days):
    due = deadlines.due_date(knew, days)
    assert not deadlines.is_government_holiday(due)
    assert due >= deadlines.nth_day(knew, days)
    # nothing open was skipped on the way
    day = deadlines.nth_day(knew, days)
    while day < due:
        assert deadlines.is_government_holiday(day)
        day += dt.timedelta(days=1)
