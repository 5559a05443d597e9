"""The audited actions: one audit event each, roles enforced, facts versioned, duties compared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rouei.core.access import RoleForbidden
from rouei.core.audit import verify_chain
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.domain.facts import FactsError
from rouei.incidents import actions
from rouei.incidents.models import AssessmentSnapshot, FactsVersion, Incident, TimelineEvent
from tests.filing import close_over_open_duties
from tests.incidents.conftest import FACTS_900

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def _audit(incident) -> list[str]:
    return list(AuditEvent.objects.filter(incident_id=incident.pk)
                .order_by("sequence").values_list("action", flat=True))


def test_do_create_incident_makes_the_creator_lead_with_facts_and_assessment(incident, user):
    assert incident.memberships.get().role == "lead"
    assert incident.memberships.get().user == user
    version = incident.facts_versions.get()
    assert version.number == 1 and version.facts["people_confirmed"] == 900
    snapshot = incident.snapshots.get()
    assert snapshot.facts_version == version
    assert snapshot.report_required is False and snapshot.triggers == []
    assert snapshot.assessment.to_dict("ja")["trigger_details"][0]["label"].endswith(
        "（規則7条1号）")
    assert snapshot.assessment.to_dict("en")["trigger_details"][0]["label"].endswith(
        "(Rules 7(i))")
    assert incident.status == "detected" and incident.version == 1
    assert _audit(incident) == ["incident.create"]


def test_do_create_incident_bad_facts_create_nothing(user):
    with pytest.raises(FactsError):
        actions.do_create_incident(title="x", facts={"people_confirmed": -1}, actor=user)
    assert not Incident.objects.exists() and not AuditEvent.objects.exists()


def test_do_create_incident_audit_failure_rolls_everything_back(user, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit store unavailable")
    monkeypatch.setattr(actions, "record_event", fail)
    with pytest.raises(RuntimeError):
        actions.do_create_incident(title="x", actor=user)
    assert not Incident.objects.exists() and not FactsVersion.objects.exists()


@pytest.mark.parametrize("name", ["update_facts", "add_member", "change_status",
                                  "add_timeline_event", "edit_timeline_event"])
def test_each_action_records_exactly_one_audit_event(incident, user, make_user, name):
    entry = actions.do_add_timeline_event(incident, kind="action", at=AT, text="隔離", actor=user)
    before = AuditEvent.objects.count()
    expected = {
        "update_facts": lambda: actions.do_update_facts(
            incident, {**FACTS_900, "people_confirmed": 950}, expected_version=1, actor=user),
        "add_member": lambda: actions.do_add_member(incident, make_user("sato"), "legal",
                                                    actor=user),
        "change_status": lambda: actions.do_change_status(incident, "investigating",
                                                          actor=user),
        "add_timeline_event": lambda: actions.do_add_timeline_event(
            incident, kind="detected", at=AT, text="検知", actor=user),
        "edit_timeline_event": lambda: actions.do_edit_timeline_event(
            entry, kind="action", at=AT, text="隔離（修正）", reason="誤記", actor=user),
    }[name]
    expected()
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert len(events) == 1
    assert events[0].incident_id == incident.pk and events[0].actor == user
    assert events[0].action == {"update_facts": "facts.update", "add_member": "member.add",
                                "change_status": "status.change",
                                "add_timeline_event": "timeline.add",
                                "edit_timeline_event": "timeline.edit"}[name]
    assert events[0].after_digest
    assert verify_chain() is None


def test_do_update_facts_keeps_a_version_with_the_changes_and_a_new_snapshot(incident, user):
    result = actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 950},
                                     expected_version=1, actor=user)
    assert result.saved and result.version.number == 2
    assert result.changes == [{"key": "people_confirmed", "before": 900, "after": 950}]
    assert result.version.changes == result.changes
    assert incident.snapshots.count() == 2 and result.snapshot.facts_version == result.version
    assert result.duty_changes == []  # 950 is still not more than 1,000
    incident.refresh_from_db()
    assert incident.version == 2


def test_do_update_facts_without_changes_saves_nothing(incident, user):
    result = actions.do_update_facts(incident, FACTS_900, expected_version=1, actor=user)
    assert not result.saved
    assert incident.facts_versions.count() == 1 and _audit(incident) == ["incident.create"]


def test_do_update_facts_two_saves_from_the_same_version_second_is_refused(incident, user,
                                                                           member):
    legal = member("legal")
    actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 950},
                            expected_version=1, actor=user)
    with pytest.raises(actions.VersionConflict) as conflict:
        actions.do_update_facts(incident, {**FACTS_900, "people_estimated": 2000},
                                expected_version=1, actor=legal)
    assert conflict.value.code == "version_conflict" and conflict.value.current == 2
    assert "再読み込み" in conflict.value.message
    latest = incident.latest_facts()
    assert latest.number == 2 and latest.author == user
    assert latest.facts["people_confirmed"] == 950 and "people_estimated" not in latest.facts
    assert incident.snapshots.count() == 2


def test_do_update_facts_past_1000_people_adds_a_duty_change_to_the_timeline(incident, user):
    result = actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 1001},
                                     expected_version=1, actor=user)
    messages = [c.ja for c in result.duty_changes]
    assert messages[0] == "本人の数が1,000人を超えたため、規則7条4号に該当し報告が必要になりました"
    assert "確報の期限は2026年12月23日（水）です（30日）" in messages
    entry = TimelineEvent.objects.get(incident=incident, kind="duty_change")
    assert entry.text.splitlines()[0] == messages[0]
    assert entry.text_in("en").startswith("The number of people passed 1,000, so PPC Rules "
                                          "Art. 7(iv) applies")
    snapshot = AssessmentSnapshot.objects.filter(incident=incident).latest("id")
    assert snapshot.report_required is True and snapshot.triggers == ["over_1000"]
    assert snapshot.final_report_due == dt.date(2026, 12, 23)
    audit = AuditEvent.objects.filter(incident_id=incident.pk).latest("sequence")
    assert audit.details["duty_changes"] == ["report_required", "final_due_set"]


def test_do_update_facts_by_a_viewer_is_refused(incident, member):
    viewer = member("viewer")
    with pytest.raises(RoleForbidden):
        actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 1}, expected_version=1,
                                actor=viewer)
    assert incident.facts_versions.count() == 1


def test_do_update_facts_by_a_non_member_is_refused(incident, outsider):
    with pytest.raises(PermissionDenied):
        actions.do_update_facts(incident, FACTS_900, expected_version=1, actor=outsider)


def test_do_change_status_only_the_lead_can_close(incident, user, member):
    legal = member("legal")
    actions.do_change_status(incident, "investigating", actor=legal)
    with pytest.raises(RoleForbidden):
        actions.do_change_status(incident, "closed", actor=legal)
    incident.refresh_from_db()
    assert incident.status == "investigating"
    close_over_open_duties(incident, user)
    incident.refresh_from_db()
    assert incident.status == "closed"
    with pytest.raises(RoleForbidden):  # reopening is the lead's too
        actions.do_change_status(incident, "prevention", actor=legal)


def test_do_change_status_writes_the_change_to_the_timeline(incident, user):
    actions.do_change_status(incident, "investigating", actor=user, note="調査会社に依頼")
    entry = TimelineEvent.objects.get(incident=incident, kind="status_change")
    assert entry.text == "対応状況を「検知」から「調査中」に変更しました。調査会社に依頼"
    assert entry.text_in("en").startswith("Status changed from “Detected” to “Investigating”.")


def test_do_change_status_same_status_is_refused(incident, user):
    with pytest.raises(ActionError) as refused:
        actions.do_change_status(incident, "detected", actor=user)
    assert refused.value.code == "same_status"


def test_do_add_member_only_lead_and_once(incident, user, member, make_user):
    legal = member("legal")
    with pytest.raises(RoleForbidden):
        actions.do_add_member(incident, make_user("yamada"), "viewer", actor=legal)
    with pytest.raises(ActionError) as twice:
        actions.do_add_member(incident, legal, "viewer", actor=user)
    assert twice.value.code == "already_member"


def test_do_edit_timeline_event_needs_a_reason_and_keeps_the_old_text(incident, user):
    entry = actions.do_add_timeline_event(incident, kind="knew", at=AT, text="判明", actor=user)
    with pytest.raises(ActionError) as no_reason:
        actions.do_edit_timeline_event(entry, kind="knew", at=AT, text="判明（訂正）",
                                       reason="  ", actor=user)
    assert no_reason.value.code == "reason_required"
    later = AT + dt.timedelta(hours=2)
    edited = actions.do_edit_timeline_event(entry, kind="knew", at=later, text="判明（訂正）",
                                            reason="時刻の誤り", actor=user)
    assert (edited.text, edited.at, edited.edited_reason) == ("判明（訂正）", later, "時刻の誤り")
    assert edited.revisions[0]["text"] == "判明" and edited.revisions[0]["reason"] == "時刻の誤り"


def test_do_add_timeline_event_rejects_system_kinds_and_naive_times(incident, user):
    with pytest.raises(ActionError):
        actions.do_add_timeline_event(incident, kind="duty_change", at=AT, text="x", actor=user)
    with pytest.raises(ActionError):
        actions.do_add_timeline_event(incident, kind="action", at=AT.replace(tzinfo=None),
                                      text="x", actor=user)
    assert not TimelineEvent.objects.filter(incident=incident).exists()


def test_timeline_is_in_order_of_when_it_happened(incident, user):
    late = actions.do_add_timeline_event(incident, kind="knew", at=AT, text="判明", actor=user)
    early = actions.do_add_timeline_event(incident, kind="occurred", at=AT - dt.timedelta(days=9),
                                          text="発生", actor=user)
    assert list(incident.timeline.all()) == [early, late]
    assert timezone.is_aware(early.at)


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_do_update_facts_knew_at_in_the_future_is_refused_naming_it(incident, user):
    with pytest.raises(FactsError) as caught:
        actions.do_update_facts(incident, {**FACTS_900, "knew_at": _in_days(2)},
                                expected_version=1, actor=user)
    assert (caught.value.code, caught.value.field) == ("future_date", "knew_at")


def test_do_update_facts_knew_at_in_the_future_saves_nothing(incident, user):
    with pytest.raises(FactsError):
        actions.do_update_facts(incident, {**FACTS_900, "knew_at": _in_days(2)},
                                expected_version=1, actor=user)
    assert _audit(incident) == ["incident.create"]


def test_do_update_facts_knew_at_today_is_saved(incident, user):
    update = actions.do_update_facts(incident, {**FACTS_900, "knew_at": _in_days(0)},
                                     expected_version=1, actor=user)
    assert update.version.facts["knew_at"].startswith(_in_days(0))


def test_do_create_incident_detected_in_the_future_is_refused(user):
    with pytest.raises(FactsError) as caught:
        actions.do_create_incident(title="x", facts={"detected_at": _in_days(2)}, actor=user)
    assert (caught.value.code, caught.value.field) == ("future_date", "detected_at")


def test_do_add_timeline_event_in_the_future_is_refused(incident, user):
    with pytest.raises(ActionError) as caught:
        actions.do_add_timeline_event(incident, kind="action", actor=user, text="隔離",
                                      at=timezone.now() + dt.timedelta(hours=1))
    assert caught.value.code == "future_date"


def test_do_add_timeline_event_within_the_clock_skew_is_added(incident, user):
    entry = actions.do_add_timeline_event(incident, kind="action", actor=user, text="隔離",
                                          at=timezone.now() + dt.timedelta(minutes=5))
    assert entry.pk is not None


def test_do_edit_timeline_event_into_the_future_is_refused_and_keeps_the_entry(incident, user):
    entry = actions.do_add_timeline_event(incident, kind="knew", at=AT, text="判明", actor=user)
    with pytest.raises(ActionError):
        actions.do_edit_timeline_event(entry, kind="knew", text="判明", reason="誤記",
                                       at=timezone.now() + dt.timedelta(days=1), actor=user)
    entry.refresh_from_db()
    assert entry.at == AT


# --- the day the company knew as one fact ---------------------------------------------------------

def test_do_accept_knew_date_a_day_no_entry_proposes_is_refused(incident, user):
    actions.do_add_timeline_event(incident, kind="knew", at=AT, text="判明", actor=user)
    with pytest.raises(ActionError) as caught:
        actions.do_accept_knew_date(incident, dt.date(2026, 11, 20), expected_version=1,
                                    actor=user)
    assert caught.value.code == "not_proposed"


def test_do_accept_knew_date_saves_the_day_through_the_facts_update(incident, user):
    actions.do_add_timeline_event(incident, kind="knew", text="判明", actor=user,
                                  at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
    actions.do_accept_knew_date(incident, dt.date(2026, 11, 20), expected_version=1, actor=user)
    assert _audit(incident) == ["incident.create", "timeline.add", "facts.update"]


def test_do_accept_knew_date_viewer_is_refused(incident, user, member):
    actions.do_add_timeline_event(incident, kind="knew", text="判明", actor=user,
                                  at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
    with pytest.raises(RoleForbidden):
        actions.do_accept_knew_date(incident, dt.date(2026, 11, 20), expected_version=1,
                                    actor=member("viewer"))
