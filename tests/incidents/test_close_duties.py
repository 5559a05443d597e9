"""Closing a case while legal duties are open (issue 11, guard rail 1): refused through the
action and the page with the list, unless the lead ticks each duty and gives a reason; the close
and its reason are on the timeline and in the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.core.errors import Conflict
from rouei.core.models import AuditEvent
from rouei.incidents import actions
from rouei.incidents.models import Incident, TimelineEvent
from rouei.playbooks import actions as task_actions
from tests.filing import file_report
from tests.incidents.conftest import FACTS_900

REPORTABLE = {**FACTS_900, "people_confirmed": 2000}
BOTH = ["preliminary_report", "final_report"]


@pytest.fixture
def reportable(user):
    return actions.do_create_incident(title="顧客情報の漏えい", facts=REPORTABLE, actor=user)


def _codes(refused) -> list[str]:
    return [d["code"] for d in refused.value.extra["open_duties"]]


def test_close_with_unfiled_reports_is_refused_with_the_list(reportable, user):
    with pytest.raises(Conflict) as refused:
        actions.do_change_status(reportable, "closed", actor=user)
    assert refused.value.code == "open_duties" and _codes(refused)[:2] == BOTH


def test_close_refused_leaves_the_status(reportable, user):
    with pytest.raises(Conflict):
        actions.do_change_status(reportable, "closed", actor=user)
    assert Incident.objects.get(pk=reportable.pk).status == "detected"


def test_close_with_a_reason_but_a_duty_not_ticked_is_refused(reportable, user):
    with pytest.raises(Conflict):
        actions.do_change_status(reportable, "closed", actor=user, close_reason="別案件で対応",
                                 acknowledged_duties=["final_report"])


def test_close_with_every_duty_ticked_but_no_reason_is_refused(reportable, user):
    codes = _open_codes(reportable, user)
    with pytest.raises(Conflict):
        actions.do_change_status(reportable, "closed", actor=user, close_reason="  ",
                                 acknowledged_duties=codes)


def _open_codes(incident, user) -> list[str]:
    try:
        actions.do_change_status(incident, "closed", actor=user)
    except Conflict as exc:
        return [d["code"] for d in exc.extra["open_duties"]]
    raise AssertionError("the close was not refused")


def test_close_with_every_duty_ticked_and_a_reason_is_accepted(reportable, user):
    codes = _open_codes(reportable, user)
    actions.do_change_status(reportable, "closed", actor=user, close_reason="委員会と協議済み",
                             acknowledged_duties=codes)
    assert Incident.objects.get(pk=reportable.pk).status == "closed"


def test_close_over_duties_puts_the_duties_and_reason_on_the_timeline(reportable, user):
    codes = _open_codes(reportable, user)
    actions.do_change_status(reportable, "closed", actor=user, close_reason="委員会と協議済み",
                             acknowledged_duties=codes)
    entry = TimelineEvent.objects.get(incident=reportable, kind="status_change")
    assert "速報の提出が記録されていません" in entry.text and "理由：委員会と協議済み" in entry.text


def test_close_over_duties_audits_the_codes_not_the_reason(reportable, user):
    codes = _open_codes(reportable, user)
    actions.do_change_status(reportable, "closed", actor=user, close_reason="委員会と協議済み",
                             acknowledged_duties=codes)
    event = AuditEvent.objects.get(action="status.change")
    assert event.details == {"from": "detected", "to": "closed", "open_duties": codes}


def test_close_with_no_open_duty_needs_no_reason(user):
    unreportable = actions.do_create_incident(title="報告不要", facts=FACTS_900, actor=user)
    for task in unreportable.tasks.all():
        task_actions.do_update_task(task, status="not_needed", actor=user)
    actions.do_change_status(unreportable, "closed", actor=user)
    assert Incident.objects.get(pk=unreportable.pk).status == "closed"


def test_close_with_open_tasks_lists_them(user):
    unreportable = actions.do_create_incident(title="報告不要", facts=FACTS_900, actor=user)
    assert _open_codes_or_none(unreportable, user) == ["open_tasks"]


def _open_codes_or_none(incident, user) -> list[str]:
    try:
        actions.do_change_status(incident, "closed", actor=user)
    except Conflict as exc:
        return [d["code"] for d in exc.extra["open_duties"]]
    return []


def test_close_after_both_reports_filed_lists_no_report_duty(reportable, user):
    file_report(reportable, "preliminary", user)
    file_report(reportable, "final", user)
    assert not set(_open_codes_or_none(reportable, user)) & set(BOTH)


def test_reopen_needs_no_reason(reportable, user):
    codes = _open_codes(reportable, user)
    actions.do_change_status(reportable, "closed", actor=user, close_reason="委員会と協議済み",
                             acknowledged_duties=codes)
    actions.do_change_status(reportable, "prevention", actor=user)
    assert Incident.objects.get(pk=reportable.pk).status == "prevention"


# --- the page -------------------------------------------------------------------------------------

def _status(client, incident, **data):
    return client.post(reverse("incidents:status", args=[incident.pk]),
                       {"status": "closed", **data})


def test_page_close_with_open_duties_is_refused_with_the_list(logged_in_client, reportable):
    response = _status(logged_in_client, reportable)
    html = response.content.decode()
    assert response.status_code == 409 and "速報の提出が記録されていません" in html


def test_page_close_refusal_offers_a_box_per_duty(logged_in_client, reportable):
    html = _status(logged_in_client, reportable).content.decode()
    assert html.count('name="acknowledged_duties"') == html.count("<li data-code=")


def test_page_close_with_every_box_and_a_reason_closes(logged_in_client, reportable, user):
    codes = _open_codes(reportable, user)
    response = _status(logged_in_client, reportable, close_reason="委員会と協議済み",
                       acknowledged_duties=codes)
    assert response.status_code == 302
    assert Incident.objects.get(pk=reportable.pk).status == "closed"


def test_page_close_with_a_box_missing_is_refused_again(logged_in_client, reportable):
    response = _status(logged_in_client, reportable, close_reason="委員会と協議済み",
                       acknowledged_duties=["final_report"])
    assert response.status_code == 409
    assert Incident.objects.get(pk=reportable.pk).status == "detected"


def test_close_notice_task_open_lists_the_notice(reportable, user):
    assert "notice_to_individuals" in _open_codes(reportable, user)


def test_close_notice_task_done_closes_the_notice_duty(reportable, user):
    # Until issue 12 gives notices a register, the 本人通知 task stands for the notice.
    task = reportable.tasks.get(key="notify_individuals")
    task_actions.do_update_task(task, status="done", actor=user)
    assert "notice_to_individuals" not in _open_codes(reportable, user)
