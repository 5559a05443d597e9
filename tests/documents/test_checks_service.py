"""The mistake check on real incidents: the snapshot the service builds, the card on the
incident page, and a reason recorded from it (audited, on the timeline) answering a warning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rouei.core.models import AuditEvent
from rouei.documents import actions, services
from rouei.documents.checks import numbers_changed_since_filing, public_notice_silence
from rouei.incidents import actions as incident_actions

pytestmark = pytest.mark.django_db
CHANGED = numbers_changed_since_filing.CODE


def codes(incident) -> set[str]:
    return {f["code"] for f in services.check(incident)}


@pytest.fixture
def grown(incident, user):
    """A 速報 filed for 900 people, then 1,500 confirmed."""
    incident_actions.do_record_filed_report(
        incident, kind="preliminary", filed_at=timezone.now() - dt.timedelta(minutes=1),
        channel="ppc_form", receipt_number="", filed_by=user, note="", actor=user)
    facts = {**incident.latest_facts().facts, "people_confirmed": 1500}
    incident_actions.do_update_facts(incident, facts, expected_version=incident.version,
                                     actor=user)
    return incident


def test_snapshot_has_the_numbers_as_filed(grown):
    assert services.check_input(grown).filings[0].numbers.people_confirmed == 900


def test_snapshot_has_the_numbers_now(grown):
    assert services.check_input(grown).current.people_confirmed == 1500


def test_snapshot_has_no_published_notice_yet(incident):
    assert services.check_input(incident).published_notices == ()


def test_snapshot_has_the_published_notice(incident, user):
    from rouei.people import actions as people_actions

    people_actions.do_update_notice_settings(user, incident, {
        "window_phone": "0120-000-000", "window_hours": "平日 9:00〜18:00"})
    actions.do_publish_notice(incident, actor=user)
    assert len(services.check_input(incident).published_notices) == 1


def test_a_second_notice_with_another_count_is_warned(incident, user):
    from rouei.documents.checks import notice_figures_unexplained
    from rouei.people import actions as people_actions

    people_actions.do_update_notice_settings(user, incident, {
        "window_phone": "0120-000-000", "window_hours": "平日 9:00〜18:00"})
    actions.do_publish_notice(incident, actor=user)
    incident.refresh_from_db()
    facts = {**incident.latest_facts().facts, "people_confirmed": 1500}
    incident_actions.do_update_facts(incident, facts, expected_version=incident.version,
                                     actor=user)
    actions.do_publish_notice(incident, actor=user)
    assert notice_figures_unexplained.CODE in codes(incident)


def test_snapshot_has_a_measure_without_owner(incident, user):
    from rouei.prevention.actions import do_add_measure

    do_add_measure(incident, group="technical", title="多要素認証の導入", actor=user)
    promise = next(p for p in services.check_input(incident).promises if p.section == "measure")
    assert promise.has_owner is False


def test_snapshot_takes_the_near_days_from_settings(incident, settings):
    settings.ROUEI_CHECK_NEAR_DAYS = 9
    assert services.check_input(incident).near_days == 9


def test_the_grown_count_is_warned(grown):
    assert CHANGED in codes(grown)


def test_a_new_incident_has_no_numbers_warning(incident):
    assert CHANGED not in codes(incident)


def test_the_demo_warns_of_silence_after_knowing(demo):
    assert public_notice_silence.CODE in codes(demo)


def test_a_final_report_due_soon_and_incomplete_is_warned(grown):
    # 1,500 people: reportable (規則7条4号); knew 2026-11-24 → 確報 due 2026-12-23 (30 days);
    # two days before it, with the cause's details still unknown.
    now = dt.datetime(2026, 12, 21, 10, tzinfo=dt.UTC)
    deadlines = {f["details"]["deadline"] for f in services.check(grown, now=now)
                 if f["code"] == "check.report_deadline_incomplete"}
    assert "final" in deadlines


def test_a_recorded_reason_answers_the_warning(grown, user):
    actions.do_record_check_reason(grown, CHANGED, "調査で対象の範囲が広がったため", actor=user)
    assert CHANGED not in codes(grown)


def test_a_recorded_reason_goes_on_the_timeline(grown, user):
    actions.do_record_check_reason(grown, CHANGED, "調査で対象の範囲が広がったため", actor=user)
    assert grown.timeline.filter(kind="action").last().text == "調査で対象の範囲が広がったため"


def test_a_recorded_reason_is_one_audit_event_without_the_text(grown, user):
    actions.do_record_check_reason(grown, CHANGED, "調査で対象の範囲が広がったため", actor=user)
    event = AuditEvent.objects.get(action="document.check_reason")
    assert event.details["code"] == CHANGED and "調査" not in str(event.details)


def test_an_empty_reason_is_refused(grown, user):
    from rouei.core.errors import ActionError

    with pytest.raises(ActionError) as refused:
        actions.do_record_check_reason(grown, CHANGED, "  ", actor=user)
    assert refused.value.code == "reason_required"


def test_a_reason_for_a_rule_that_takes_none_is_refused(grown, user):
    from rouei.core.errors import ActionError

    with pytest.raises(ActionError):
        actions.do_record_check_reason(grown, "check.promise_without_owner", "…", actor=user)


def test_the_card_shows_the_warning_on_the_incident_page(logged_in_client, grown):
    page = logged_in_client.get(f"/incidents/{grown.pk}/").content.decode()
    assert f'data-code="{CHANGED}"' in page


def test_the_card_links_to_where_to_fix_it(logged_in_client, grown):
    page = logged_in_client.get(f"/incidents/{grown.pk}/").content.decode()
    assert f"/incidents/{grown.pk}/documents/ppc-report/#changes" in page


def test_a_reason_posted_from_the_card_removes_the_warning(logged_in_client, grown):
    logged_in_client.post(f"/incidents/{grown.pk}/documents/check/reason/",
                          {"code": CHANGED, "reason": "調査で対象の範囲が広がったため"})
    page = logged_in_client.get(f"/incidents/{grown.pk}/").content.decode()
    assert f'data-code="{CHANGED}"' not in page


def test_a_viewer_cannot_record_a_reason(client, grown, member):
    client.force_login(member("viewer"))
    response = client.post(f"/incidents/{grown.pk}/documents/check/reason/",
                           {"code": CHANGED, "reason": "…"})
    assert response.status_code == 403


# --- the notice against the report, and promises nobody carries ---------------------------------

def _window(incident, user):
    from rouei.people import actions as people_actions

    people_actions.do_update_notice_settings(user, incident, {
        "window_phone": "0120-000-000", "window_hours": "平日 9:00〜18:00"})


def test_a_notice_behind_the_report_filed_is_warned(incident, user):
    from rouei.documents.checks import notice_contradicts_report

    _window(incident, user)
    actions.do_publish_notice(incident, actor=user)  # 900 people
    incident.refresh_from_db()
    facts = {**incident.latest_facts().facts, "people_confirmed": 1500}
    incident_actions.do_update_facts(incident, facts, expected_version=incident.version,
                                     actor=user)
    incident_actions.do_record_filed_report(
        incident, kind="preliminary", filed_at=timezone.now(), channel="ppc_form",
        receipt_number="", filed_by=user, note="", actor=user)
    assert notice_contradicts_report.CODE in codes(incident)


def test_a_notice_agreeing_with_the_report_draft_is_not_warned(incident, user):
    from rouei.documents.checks import notice_contradicts_report

    _window(incident, user)
    actions.do_publish_notice(incident, actor=user)
    assert notice_contradicts_report.CODE not in codes(incident)


def test_a_dedicated_window_promised_with_its_task_not_needed_is_warned(incident, user):
    from rouei.documents.checks import notice_promise_uncarried
    from rouei.documents.kinds.public_notice import context
    from rouei.playbooks import actions as task_actions

    _window(incident, user)
    task_actions.do_update_task(incident.tasks.get(key="contact_window"), status="not_needed",
                                actor=user)
    sections = context.drafted_sections(incident)
    sections["contact"] = "本件に関する専用窓口を設置いたしました。\n" + sections["contact"]
    actions.do_save_notice_draft(incident, sections=sections, actor=user)
    assert notice_promise_uncarried.CODE in codes(incident)


def test_the_drafted_notice_promises_nothing_uncarried(incident, user):
    from rouei.documents.checks import notice_promise_uncarried

    _window(incident, user)
    assert notice_promise_uncarried.CODE not in codes(incident)


def test_the_demo_incidents_promises_are_all_carried(demo):
    from rouei.documents.checks import notice_promise_uncarried

    assert notice_promise_uncarried.CODE not in codes(demo)


@pytest.fixture
def window_promised(incident, user):
    """The notice draft promises a dedicated window; the window's task is marked 不要."""
    from rouei.documents.kinds.public_notice import context
    from rouei.playbooks import actions as task_actions

    _window(incident, user)
    task_actions.do_update_task(incident.tasks.get(key="contact_window"), status="not_needed",
                                actor=user)
    sections = context.drafted_sections(incident)
    sections["contact"] = "本件に関する専用窓口を設置いたしました。\n" + sections["contact"]
    actions.do_save_notice_draft(incident, sections=sections, actor=user)
    return incident


def test_the_card_shows_an_uncarried_promise(logged_in_client, window_promised):
    from rouei.documents.checks import notice_promise_uncarried

    page = logged_in_client.get(f"/incidents/{window_promised.pk}/").content.decode()
    assert f'data-code="{notice_promise_uncarried.CODE}"' in page


def test_the_check_command_lists_an_uncarried_promise(window_promised):
    from typer.testing import CliRunner

    from rouei.cli.main import app
    from rouei.documents.checks import notice_promise_uncarried

    result = CliRunner().invoke(app, ["documents", "check", str(window_promised.pk), "--json"])
    assert notice_promise_uncarried.CODE in result.stdout
