"""The signal actions: each records exactly one signal.* audit event, checks permissions, and
opening or joining an incident links the signals and writes the incident's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rouei.core.access import Role
from rouei.core.audit import verify_chain
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.incidents import actions as incident_actions
from rouei.incidents.choices import TimelineKind
from rouei.incidents.models import Incident, Membership
from rouei.intake import actions
from rouei.intake.choices import SignalStatus
from rouei.intake.models import Signal
from tests.intake.conftest import T0

pytestmark = pytest.mark.django_db


def _signal_events(action: str | None = None):
    events = AuditEvent.objects.filter(action__startswith="signal.")
    return events.filter(action=action) if action else events


def test_record_signal_writes_one_audit_event_without_personal_data(record):
    signal = record()
    events = list(_signal_events())
    assert [e.action for e in events] == ["signal.create"]
    assert events[0].details == {"signal_id": signal.pk, "kind": "complaint", "channel": "phone"}
    assert "佐藤" not in str(events[0].details)
    assert verify_chain() is None


def test_record_signal_without_add_permission_is_refused(make_user):
    with pytest.raises(PermissionDenied):
        actions.do_record_signal(subject="DM", actor=make_user("nobody"))
    assert not Signal.objects.exists() and not _signal_events().exists()


def test_record_signal_unknown_item_is_refused(record):
    with pytest.raises(ActionError) as caught:
        record(items=["person_name", "shoe_size"])
    assert caught.value.code == "unknown_item"


def test_record_signal_blank_subject_is_refused(record):
    with pytest.raises(ActionError) as caught:
        record(subject="   ")
    assert caught.value.code == "empty_subject"


def test_update_signal_records_changed_fields_once_and_nothing_when_unchanged(record, intake):
    signal = record()
    actions.do_update_signal(signal, {"sender_name": "(株)〇〇", "complainant_name": "佐藤 花"},
                             actor=intake)
    actions.do_update_signal(signal, {"sender_name": "(株)〇〇"}, actor=intake)
    events = list(_signal_events("signal.update"))
    assert len(events) == 1
    assert events[0].details["changed"] == ["sender_name", "complainant_name"]
    signal.refresh_from_db()
    assert signal.complainant_name == "佐藤 花"


def test_change_status_dismissed_needs_a_reason(record, intake):
    signal = record()
    with pytest.raises(ActionError) as caught:
        actions.do_change_signal_status(signal, SignalStatus.DISMISSED, actor=intake)
    assert caught.value.code == "reason_required"
    actions.do_change_signal_status(signal, SignalStatus.DISMISSED, reason="自社と無関係のDM",
                                    actor=intake)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DISMISSED and signal.dismissed_reason
    assert _signal_events("signal.status").count() == 1


def test_change_status_to_incident_by_hand_is_refused(record, intake):
    with pytest.raises(ActionError) as caught:
        actions.do_change_signal_status(record(), SignalStatus.INCIDENT, actor=intake)
    assert caught.value.code == "system_status"


def test_link_signals_merges_groups_with_one_event(record, intake):
    a, b, c, d = (record() for _ in range(4))
    actions.do_link_signals(a, [b], actor=intake)
    actions.do_link_signals(c, [d], actor=intake)
    group = actions.do_link_signals(b, [c], actor=intake)
    assert set(group.signals.values_list("pk", flat=True)) == {a.pk, b.pk, c.pk, d.pk}
    assert _signal_events("signal.link").count() == 3


def test_link_signal_with_itself_is_refused(record, intake):
    signal = record()
    with pytest.raises(ActionError):
        actions.do_link_signals(signal, [signal], actor=intake)


def test_view_and_reveal_are_audited(record, intake):
    signal = record()
    actions.do_view_signal(signal, actor=intake)
    actions.do_view_signal(signal, reveal=True, actor=intake)
    assert [e.action for e in _signal_events().exclude(action="signal.create")] == [
        "signal.view", "signal.reveal"]


def test_open_incident_in_one_step_creates_incident_links_group_and_timeline(record, intake):
    first = record(received_at=T0)
    second = record(received_at=T0 + dt.timedelta(days=1), sender_name="(株)〇〇",
                    items=["person_name", "phone"])
    third = record(received_at=T0 + dt.timedelta(days=2))
    actions.do_link_signals(first, [second], actor=intake)
    incident = actions.do_open_incident([first, third], actor=intake)

    assert Membership.objects.get(incident=incident).user == intake
    assert Membership.objects.get(incident=incident).role == Role.LEAD
    assert incident.title.startswith("見知らぬ会社からのDM") and "3" in incident.title
    assert "株式会社〇〇" in incident.summary and "佐藤" not in incident.summary
    assert incident.latest_facts().facts["items"] == [
        "person_name", "address", "birth_date", "phone"]
    linked = Signal.objects.filter(incident=incident)
    assert set(linked.values_list("pk", flat=True)) == {first.pk, second.pk, third.pk}
    assert set(linked.values_list("status", flat=True)) == {SignalStatus.INCIDENT}
    assert len(set(linked.values_list("group_id", flat=True))) == 1
    entries = list(incident.timeline.filter(kind=TimelineKind.DETECTED))
    assert len(entries) == 3 and entries[0].at == T0
    assert "株式会社〇〇" in entries[0].text and f"#{first.pk}" in entries[0].text
    assert "佐藤" not in entries[0].text
    events = list(_signal_events("signal.open_incident"))
    assert len(events) == 1 and events[0].incident_id == incident.pk
    assert AuditEvent.objects.filter(incident_id=incident.pk, action="timeline.add").count() == 3
    assert verify_chain() is None


def test_open_incident_twice_is_refused(record, intake):
    signal = record()
    actions.do_open_incident([signal], actor=intake)
    with pytest.raises(ActionError) as caught:
        actions.do_open_incident([signal], actor=intake)
    assert caught.value.code == "has_incident"
    assert Incident.objects.count() == 1


def test_open_incident_failure_rolls_everything_back(record, intake, monkeypatch):
    signal = record()

    def broken(*args, **kwargs):
        raise RuntimeError("timeline down")
    monkeypatch.setattr(incident_actions, "do_add_timeline_event", broken)
    with pytest.raises(RuntimeError):
        actions.do_open_incident([signal], actor=intake)
    assert not Incident.objects.exists()
    signal.refresh_from_db()
    assert signal.incident_id is None and signal.status == SignalStatus.RECEIVED


def test_join_incident_needs_edit_role(record, intake, make_user):
    other_lead = make_user("lead2")
    incident = incident_actions.do_create_incident(title="既存の事案", actor=other_lead)
    signal = record()
    with pytest.raises(PermissionDenied):  # not a member
        actions.do_join_incident([signal], incident, actor=intake)
    incident_actions.do_add_member(incident, intake, Role.VIEWER, actor=other_lead)
    with pytest.raises(PermissionDenied):  # a viewer may not edit
        actions.do_join_incident([signal], incident, actor=intake)
    signal.refresh_from_db()
    assert signal.incident_id is None and not _signal_events("signal.join_incident").exists()


def test_join_incident_links_and_adds_timeline(record, intake, make_user):
    other_lead = make_user("lead2")
    incident = incident_actions.do_create_incident(title="既存の事案", actor=other_lead)
    incident_actions.do_add_member(incident, intake, Role.LEGAL, actor=other_lead)
    signal = record()
    actions.do_join_incident([signal], incident, actor=intake)
    signal.refresh_from_db()
    assert signal.incident == incident and signal.status == SignalStatus.INCIDENT
    assert incident.timeline.filter(kind=TimelineKind.DETECTED).count() == 1
    assert _signal_events("signal.join_incident").count() == 1


def test_intake_command_adds_and_removes_a_user_audited(make_user):
    import io

    from django.core.management import call_command

    clerk = make_user("madoguchi")
    out = io.StringIO()
    call_command("intake", "madoguchi", stdout=out)
    call_command("intake", "madoguchi", stdout=out)  # already in: nothing to change
    assert get_user_model().objects.get(pk=clerk.pk).has_perm("signals.add_signal")
    call_command("intake", "madoguchi", "--remove", stdout=out)
    assert not get_user_model().objects.get(pk=clerk.pk).has_perm("signals.view_signal")
    assert list(AuditEvent.objects.filter(action__startswith="signal.intake")
                .order_by("sequence").values_list("action", flat=True)) == [
        "signal.intake_add", "signal.intake_remove"]
    assert "nothing to change" in out.getvalue()


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def test_do_record_signal_received_in_the_future_is_refused(record):
    with pytest.raises(ActionError) as caught:
        record(received_at=timezone.now() + dt.timedelta(days=1))
    assert caught.value.code == "future_date"


def test_do_record_signal_received_within_the_clock_skew_is_recorded(record):
    assert record(received_at=timezone.now() + dt.timedelta(minutes=5)).pk is not None


def test_do_update_signal_received_in_the_future_is_refused(record, intake):
    signal = record()
    with pytest.raises(ActionError):
        actions.do_update_signal(signal, {"received_at": timezone.now() + dt.timedelta(days=1)},
                                 actor=intake)
    signal.refresh_from_db()
    assert signal.received_at == T0
