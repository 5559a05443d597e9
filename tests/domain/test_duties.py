"""Open duties before closing a case (issue 11, guard rail 1): the pure rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.duties import (
    OPEN_FINAL,
    OPEN_MY_NUMBER,
    OPEN_NOTICE,
    OPEN_PRELIMINARY,
    OPEN_TASKS,
    REPORT_KINDS,
    open_duties,
    unacknowledged,
)

NOTHING_OWED = {"report_required": False, "notify_required": False, "filed": ()}


def test_open_duties_reportable_case_nothing_filed_lists_both_reports():
    found = open_duties(report_required=True, notify_required=False, filed=())
    assert found == [OPEN_PRELIMINARY, OPEN_FINAL]


def test_open_duties_preliminary_filed_leaves_the_final():
    found = open_duties(report_required=True, notify_required=False, filed={"preliminary"})
    assert found == [OPEN_FINAL]


def test_open_duties_both_reports_filed_lists_no_report():
    found = open_duties(report_required=True, notify_required=False,
                        filed={"preliminary", "final"})
    assert found == []


def test_open_duties_supplement_closes_no_report():
    found = open_duties(report_required=True, notify_required=False, filed={"supplement"})
    assert found == [OPEN_PRELIMINARY, OPEN_FINAL]


def test_open_duties_report_to_be_confirmed_is_owed():
    found = open_duties(report_required=None, notify_required=False, filed=())
    assert found == [OPEN_PRELIMINARY, OPEN_FINAL]


def test_open_duties_report_not_required_lists_none():
    assert open_duties(**NOTHING_OWED) == []


def test_open_duties_notice_required_and_not_done_is_open():
    assert open_duties(report_required=False, notify_required=True, filed=()) == [OPEN_NOTICE]


def test_open_duties_notice_done_is_closed():
    assert open_duties(report_required=False, notify_required=True, filed=(),
                       notice_done=True) == []


def test_open_duties_open_tasks_are_one_duty():
    assert open_duties(**NOTHING_OWED, open_tasks=10) == [OPEN_TASKS]


def test_open_duties_my_number_report_unfiled_is_open():
    assert open_duties(**NOTHING_OWED, my_number_report_required=True) == [OPEN_MY_NUMBER]


def test_open_duties_my_number_report_filed_is_closed():
    assert open_duties(report_required=False, notify_required=False, filed={"my_number"},
                       my_number_report_required=True) == []


REQUIRED = st.sampled_from([True, False, None])


@given(report=REQUIRED, notify=REQUIRED, mn=REQUIRED,
       filed=st.sets(st.sampled_from(REPORT_KINDS)), notice_done=st.booleans(),
       tasks=st.integers(min_value=0, max_value=50))
def test_open_duties_a_report_is_open_exactly_when_owed_and_unfiled(report, notify, mn, filed,
                                                                   notice_done, tasks):
    found = open_duties(report_required=report, notify_required=notify, filed=filed,
                        my_number_report_required=mn, notice_done=notice_done, open_tasks=tasks)
    assert (OPEN_PRELIMINARY in found) == (report is not False and "preliminary" not in filed)
    assert (OPEN_FINAL in found) == (report is not False and "final" not in filed)
    assert (OPEN_TASKS in found) == (tasks > 0)
    assert len(found) == len(set(found))


@given(report=REQUIRED, notify=REQUIRED, tasks=st.integers(min_value=0, max_value=5))
def test_open_duties_filing_everything_never_adds_a_duty(report, notify, tasks):
    before = open_duties(report_required=report, notify_required=notify, filed=(),
                         open_tasks=tasks)
    after = open_duties(report_required=report, notify_required=notify, filed=REPORT_KINDS,
                        open_tasks=tasks)
    assert set(after) <= set(before)


def test_unacknowledged_lists_the_duties_not_ticked():
    assert unacknowledged([OPEN_PRELIMINARY, OPEN_TASKS], [OPEN_TASKS]) == [OPEN_PRELIMINARY]


def test_unacknowledged_all_ticked_is_empty():
    assert unacknowledged([OPEN_PRELIMINARY, OPEN_TASKS], [OPEN_TASKS, OPEN_PRELIMINARY]) == []
