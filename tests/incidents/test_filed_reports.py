"""Filed reports (issue 11, guard rail 3): recording a filing closes that deadline on the
incident page and its next deadline; a filed report is never overdue; one record per filing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.incidents import actions
from rouei.incidents.models import FiledReport, TimelineEvent
from rouei.incidents.services import next_deadline
from tests.filing import file_report
from tests.incidents.conftest import FACTS_900

REPORTABLE = {**FACTS_900, "people_confirmed": 2000}  # knew 2026-11-24: 速報 long overdue


@pytest.fixture
def reportable(user):
    return actions.do_create_incident(title="顧客情報の漏えい", facts=REPORTABLE, actor=user)


def _record(incident, actor, **fields):
    data = {"kind": "preliminary", "filed_at": timezone.now() - dt.timedelta(hours=2),
            "channel": "ppc_form", "receipt_number": "R-0001", "filed_by": actor, **fields}
    return actions.do_record_filed_report(incident, **data, actor=actor)


# --- the action ---------------------------------------------------------------------------------

def test_record_filed_report_keeps_one_record_per_filing(reportable, user):
    _record(reportable, user)
    _record(reportable, user, kind="supplement", receipt_number="R-0002")
    assert list(reportable.filed_reports.values_list("kind", flat=True)) == [
        "preliminary", "supplement"]


def test_record_filed_report_writes_one_audit_event_with_codes(reportable, user):
    report = _record(reportable, user)
    event = AuditEvent.objects.get(action="report.file")
    assert event.details == {"report_id": report.pk, "kind": "preliminary",
                             "channel": "ppc_form"}


def test_record_filed_report_goes_on_the_timeline_with_the_receipt_number(reportable, user):
    _record(reportable, user)
    entry = TimelineEvent.objects.get(incident=reportable, kind="report_filed")
    assert "受付番号：R-0001" in entry.text


def test_record_filed_report_in_the_future_is_refused(reportable, user):
    with pytest.raises(ActionError) as refused:
        _record(reportable, user, filed_at=timezone.now() + dt.timedelta(hours=3))
    assert refused.value.code == "future_date"


def test_record_filed_report_by_someone_outside_the_incident_is_refused(reportable, user,
                                                                       make_user):
    with pytest.raises(ActionError) as refused:
        _record(reportable, user, filed_by=make_user("stranger"))
    assert refused.value.code == "not_a_member"


@pytest.mark.parametrize("role", ["legal", "pr"])
def test_record_filed_report_roles_that_publish_may_record(reportable, user, make_user, role):
    other = make_user(f"{role}-user")
    actions.do_add_member(reportable, other, role, actor=user)
    _record(reportable, other)
    assert FiledReport.objects.filter(recorded_by=other).count() == 1


@pytest.mark.parametrize("role", ["forensics", "call_centre", "viewer"])
def test_record_filed_report_other_roles_are_refused(reportable, user, make_user, role):
    other = make_user(f"{role}-user")
    actions.do_add_member(reportable, other, role, actor=user)
    with pytest.raises(PermissionDenied):
        _record(reportable, other)
    assert not FiledReport.objects.exists()


# --- the next deadline ----------------------------------------------------------------------------

def test_next_deadline_without_a_filing_is_the_preliminary_report(reportable):
    found = next_deadline(reportable.latest_snapshot(), reportable.filed_kinds(), "ja")
    assert found.kind == "preliminary"


def test_next_deadline_after_the_preliminary_filing_is_the_final_report(reportable, user):
    file_report(reportable, "preliminary", user)
    found = next_deadline(reportable.latest_snapshot(), reportable.filed_kinds(), "ja")
    assert found.kind == "final"


def test_next_deadline_status_alone_does_not_close_a_report(reportable, user):
    actions.do_change_status(reportable, "final_reported", actor=user)
    found = next_deadline(reportable.latest_snapshot(), reportable.filed_kinds(), "ja")
    assert found.kind == "preliminary"


def test_next_deadline_both_filed_is_none(reportable, user):
    file_report(reportable, "preliminary", user)
    file_report(reportable, "final", user)
    assert next_deadline(reportable.latest_snapshot(), reportable.filed_kinds(), "ja") is None


# --- the pages ------------------------------------------------------------------------------------

def _detail(client, incident) -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()


def test_detail_unfiled_preliminary_report_shows_overdue(logged_in_client, reportable):
    assert "超過" in _detail(logged_in_client, reportable)


def test_detail_filed_preliminary_report_shows_filed_with_the_receipt_number(
        logged_in_client, reportable, user):
    _record(reportable, user)
    html = _detail(logged_in_client, reportable)
    assert '<span class="filed">提出済（' in html and "受付番号 R-0001）" in html


def test_detail_filed_preliminary_report_is_not_overdue(logged_in_client, reportable, user):
    _record(reportable, user)
    html = _detail(logged_in_client, reportable)
    preliminary = html.split("速報（委員会の目安）", 1)[-1].split("deadline-final", 1)[0]
    assert "超過" not in preliminary


def test_record_page_saves_the_filing_and_returns_to_the_reports(logged_in_client, reportable,
                                                                 user):
    response = logged_in_client.post(reverse("incidents:report_add", args=[reportable.pk]), {
        "kind": "preliminary", "channel": "email", "receipt_number": "R-9",
        "filed_by": str(user.pk),
        "filed_at": timezone.localtime().replace(second=0, microsecond=0).strftime(
            "%Y-%m-%dT%H:%M")})
    assert response.status_code == 302 and response["Location"].endswith("#reports")
    assert reportable.filed_reports.get().receipt_number == "R-9"


def test_record_page_future_time_is_refused_on_the_form(logged_in_client, reportable, user):
    later = timezone.localtime() + dt.timedelta(days=1)
    response = logged_in_client.post(reverse("incidents:report_add", args=[reportable.pk]), {
        "kind": "preliminary", "channel": "email", "filed_by": str(user.pk),
        "filed_at": later.strftime("%Y-%m-%dT%H:%M")})
    assert "未来" in response.content.decode()
    assert not reportable.filed_reports.exists()


def test_record_page_is_refused_to_a_role_that_does_not_publish(client, reportable, user,
                                                                make_user):
    forensics = make_user("forensics-user")
    actions.do_add_member(reportable, forensics, "forensics", actor=user)
    client.force_login(forensics)
    response = client.get(reverse("incidents:report_add", args=[reportable.pk]))
    assert response.status_code == 403


def test_audit_page_names_the_filed_report(logged_in_client, reportable, user):
    _record(reportable, user)
    html = logged_in_client.get(reverse("incidents:audit", args=[reportable.pk])).content.decode()
    assert "報告の提出を記録" in html and "速報 (個人情報保護委員会の報告フォーム)" in html
