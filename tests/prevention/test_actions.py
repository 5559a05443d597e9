"""The prevention plan's writes: each audited once, guarded by the version the form was loaded
at, and refusing what would make a vague or unaccountable plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.incidents import actions as incident_actions
from rouei.prevention import actions
from rouei.prevention.models import Measure

pytestmark = pytest.mark.django_db


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def test_adding_a_measure_is_one_audit_event(measure):
    assert events("measure.add").count() == 1


def test_the_audit_event_names_the_incident(measure):
    assert events("measure.add").get().incident_id == measure.incident_id


def test_update_changes_the_measure(measure, user):
    actions.do_update_measure(measure, expected_version=measure.version, kpi="設定率100%",
                              actor=user)
    assert Measure.objects.get(pk=measure.pk).kpi == "設定率100%"


def test_update_is_one_audit_event_naming_what_changed(measure, user):
    actions.do_update_measure(measure, expected_version=measure.version, kpi="設定率100%",
                              actor=user)
    assert events("measure.update").get().details["changed"] == ["kpi"]


def test_update_raises_the_version(measure, user):
    updated = actions.do_update_measure(measure, expected_version=measure.version,
                                        title="MFA", actor=user)
    assert updated.version == measure.version + 1


def test_a_stale_form_is_refused(measure, user):
    loaded_at = measure.version
    actions.do_update_measure(measure, expected_version=loaded_at, title="一人目", actor=user)
    with pytest.raises(actions.MeasureConflict):
        actions.do_update_measure(measure, expected_version=loaded_at, title="二人目",
                                  actor=user)


def test_a_stale_form_changes_nothing(measure, user):
    loaded_at = measure.version
    actions.do_update_measure(measure, expected_version=loaded_at, title="一人目", actor=user)
    with pytest.raises(actions.MeasureConflict):
        actions.do_update_measure(measure, expected_version=loaded_at, title="二人目",
                                  actor=user)
    assert Measure.objects.get(pk=measure.pk).title == "一人目"


def test_the_same_values_record_nothing(measure, user):
    actions.do_update_measure(measure, expected_version=measure.version, title=measure.title,
                              actor=user)
    assert events("measure.update").count() == 0


def test_a_status_change_leaves_a_dated_entry(measure, user):
    actions.do_update_measure(measure, expected_version=measure.version, status="in_progress",
                              actor=user)
    entry = measure.progress.get()
    assert (entry.from_status, entry.to_status) == ("planned", "in_progress")


def test_dropping_needs_a_reason(measure, user):
    with pytest.raises(ActionError) as refused:
        actions.do_update_measure(measure, expected_version=measure.version, status="dropped",
                                  actor=user)
    assert refused.value.field == "drop_reason"


def test_done_without_a_day_is_done_today(measure, user):
    done = actions.do_update_measure(measure, expected_version=measure.version, status="done",
                                     actor=user)
    assert done.done_on == timezone.localdate()


def test_the_owner_must_be_a_member(incident, user, outsider):
    with pytest.raises(ActionError) as refused:
        actions.do_add_measure(incident, group="technical", title="EDR導入", owner=outsider,
                               actor=user)
    assert refused.value.code == "owner_not_member"


def test_an_unknown_group_is_refused(incident, user):
    with pytest.raises(ActionError) as refused:
        actions.do_add_measure(incident, group="luck", title="EDR導入", actor=user)
    assert refused.value.field == "group"


def test_progress_is_recorded_with_its_day(measure, user):
    entry = actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1),
                                               note="12件中8件で設定", actor=user)
    assert (entry.on, entry.note) == (dt.date(2026, 12, 1), "12件中8件で設定")


def test_progress_is_one_audit_event(measure, user):
    actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1), note="8件で設定",
                                       actor=user)
    assert events("measure.progress").count() == 1


def test_progress_can_complete_the_measure(measure, user):
    actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1), note="全件設定",
                                       status="done", actor=user)
    assert Measure.objects.get(pk=measure.pk).done_on == dt.date(2026, 12, 1)


def test_progress_on_a_stale_version_is_refused(measure, user):
    loaded_at = measure.version
    actions.do_update_measure(measure, expected_version=loaded_at, title="MFA", actor=user)
    with pytest.raises(actions.MeasureConflict):
        actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1), note="x",
                                           status="done", expected_version=loaded_at,
                                           actor=user)


def test_progress_in_the_future_is_refused(measure, user):
    with pytest.raises(ActionError) as refused:
        actions.do_record_measure_progress(
            measure, on=timezone.localdate() + dt.timedelta(days=2), note="予定", actor=user)
    assert refused.value.code == "future_date"


def test_empty_progress_is_refused(measure, user):
    with pytest.raises(ActionError) as refused:
        actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1), note=" ",
                                           actor=user)
    assert refused.value.code == "progress_empty"


def test_a_viewer_cannot_add(incident, member):
    viewer = member("viewer")
    with pytest.raises(PermissionDenied):
        actions.do_add_measure(incident, group="technical", title="EDR導入", actor=viewer)


def test_a_viewer_cannot_record_progress(measure, member):
    viewer = member("viewer")
    with pytest.raises(PermissionDenied):
        actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1), note="x",
                                           actor=viewer)


def test_removing_the_owner_leaves_the_measure_without_owner(incident, measure, member, user):
    owner = member("forensics", "owner-user")
    measure = actions.do_update_measure(measure, expected_version=measure.version,
                                        owner=owner, actor=user)
    incident_actions.do_remove_member(incident.memberships.get(user=owner), actor=user)
    assert Measure.objects.get(pk=measure.pk).owner is None
