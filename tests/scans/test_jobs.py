"""A scan as a bounded, cancellable, fair job, as the people running an incident see it: the
cancel button and command, the "stopped: limit" result with what was found kept, and one
running scan per incident (issue 15, finding 1)."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from typer.testing import CliRunner

from rouei.core.audit import verify_chain
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.scanning.model import TextPart
from rouei.scanning.readers import text
from rouei.scans import actions
from rouei.scans.jobs import enqueue_scan, run_scan
from rouei.scans.models import EvidenceScan, ScanStatus
from tests.scans.test_scans import _add, _customers_csv

pytestmark = pytest.mark.django_db


def _queued(incident, user) -> EvidenceScan:
    return EvidenceScan.objects.create(incident=incident, created_by=user, bytes_total=10)


def _slow_text(monkeypatch, seconds_per_line: float = 0.02, lines: int = 10_000) -> None:
    """Every text file reads slowly, line by line (a file on a slow share)."""
    def read(path, name, ctx, kind="text"):
        def slow():
            for number in range(1, lines + 1):
                time.sleep(seconds_per_line)
                yield number, f"{number} 山田様 090-1234-{number % 10_000:04d}"
        yield TextPart(name=name, lines=slow(), encoding="utf-8")
    monkeypatch.setattr(text, "read", read)


# --- cancel -----------------------------------------------------------------------------------

def test_cancelling_a_queued_scan_ends_it_at_once(incident, user):
    scan = actions.do_cancel_scan(_queued(incident, user), actor=user)
    assert scan.status == ScanStatus.CANCELLED


def test_cancel_is_audited_with_who_cancelled(incident, user):
    actions.do_cancel_scan(_queued(incident, user), actor=user)
    event = AuditEvent.objects.get(action="scan.cancel")
    assert (event.actor_id, event.incident_id, verify_chain()) == (user.pk, incident.pk, None)


def test_queued_scan_that_was_cancelled_is_not_run(incident, user):
    scan = actions.do_cancel_scan(_queued(incident, user), actor=user)
    run_scan.call(scan.pk)
    scan.refresh_from_db()
    assert (scan.status, scan.report) == (ScanStatus.CANCELLED, None)


def test_cancelling_a_running_scan_asks_its_worker_to_stop(incident, user):
    scan = _queued(incident, user)
    EvidenceScan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING)
    scan = actions.do_cancel_scan(scan, actor=user)
    assert (scan.status, scan.cancel_requested_at is not None) == (ScanStatus.RUNNING, True)


def test_a_finished_scan_cannot_be_cancelled(incident, user):
    scan = _queued(incident, user)
    EvidenceScan.objects.filter(pk=scan.pk).update(status=ScanStatus.DONE)
    with pytest.raises(ActionError):
        actions.do_cancel_scan(scan, actor=user)


def test_a_viewer_cannot_cancel(incident, user, member):
    viewer = member("viewer")
    with pytest.raises(PermissionDenied):
        actions.do_cancel_scan(_queued(incident, user), actor=viewer)
    assert EvidenceScan.objects.get().status == ScanStatus.QUEUED


def test_running_scan_stops_within_two_seconds_of_the_cancel_keeping_what_it_found(
        incident, user, monkeypatch):
    _slow_text(monkeypatch)
    _add(incident, user, "山田様 090-1234-5678\n".encode(), name="memo.txt")
    scan = actions.do_start_scan(incident, actor=user)
    # The cancel arrives while the scan runs: the second time the worker asks (a second in;
    # the first question comes as it starts).
    asked = {"n": 0}
    original = EvidenceScan.objects.filter

    def filter_spy(*args, **kwargs):
        if kwargs.get("cancel_requested_at__isnull") is False:
            asked["n"] += 1
            if asked["n"] == 2:
                actions.do_cancel_scan(EvidenceScan.objects.get(pk=scan.pk), actor=user)
        return original(*args, **kwargs)

    monkeypatch.setattr(EvidenceScan.objects, "filter", filter_spy)
    started = time.monotonic()
    run_scan.call(scan.pk)
    elapsed = time.monotonic() - started
    monkeypatch.undo()
    scan.refresh_from_db()
    assert (scan.status, elapsed < 4, scan.report["partial"], scan.report["totals"]["phone"] > 0,
            scan.report["stopped"]["reason"]) == (ScanStatus.CANCELLED, True, True, True,
                                                  "cancelled")


def test_cancelled_scan_proposes_nothing(incident, user):
    scan = _queued(incident, user)
    EvidenceScan.objects.filter(pk=scan.pk).update(
        status=ScanStatus.CANCELLED, stop_reason="cancelled",
        report={"partial": True, "stopped": {"reason": "cancelled"}, "files": [],
                "unreadable": [], "totals": {"phone": 3}, "rows": 3, "people": 3})
    scan.refresh_from_db()
    assert actions.proposal(scan) is None


# --- the page and the command ----------------------------------------------------------------

def test_scan_page_offers_the_cancel_button_while_it_runs(client, user, incident):
    scan = _queued(incident, user)
    client.force_login(user)
    page = client.get(reverse("scans:detail", args=[incident.pk, scan.pk])).content.decode()
    assert "スキャンを取り消す" in page


def test_viewer_sees_no_cancel_button(client, incident, user, member):
    scan = _queued(incident, user)
    client.force_login(member("viewer"))
    page = client.get(reverse("scans:detail", args=[incident.pk, scan.pk])).content.decode()
    assert "スキャンを取り消す" not in page


def test_cancel_button_cancels(client, user, incident):
    scan = _queued(incident, user)
    client.force_login(user)
    client.post(reverse("scans:cancel", args=[incident.pk, scan.pk]))
    scan.refresh_from_db()
    assert scan.status == ScanStatus.CANCELLED


def test_viewer_cannot_post_a_cancel(client, incident, user, member):
    scan = _queued(incident, user)
    client.force_login(member("viewer"))
    response = client.post(reverse("scans:cancel", args=[incident.pk, scan.pk]))
    scan.refresh_from_db()
    assert (response.status_code, scan.status) == (403, ScanStatus.QUEUED)


def test_non_member_gets_404_on_cancel(client, incident, user, make_user):
    scan = _queued(incident, user)
    client.force_login(make_user("outsider"))
    response = client.post(reverse("scans:cancel", args=[incident.pk, scan.pk]))
    assert response.status_code == 404


def test_scan_cancel_command_cancels_a_queued_scan(incident, user):
    from rouei.cli.main import app

    scan = _queued(incident, user)
    result = CliRunner().invoke(app, ["scan-cancel", str(scan.pk)])
    scan.refresh_from_db()
    assert (result.exit_code, scan.status) == (0, ScanStatus.CANCELLED)


def test_scan_cancel_command_fails_on_a_finished_scan(incident, user):
    from rouei.cli.main import app

    scan = _queued(incident, user)
    EvidenceScan.objects.filter(pk=scan.pk).update(status=ScanStatus.DONE)
    assert CliRunner().invoke(app, ["scan-cancel", str(scan.pk)]).exit_code == 1


# --- the budget ------------------------------------------------------------------------------

@pytest.fixture
def stopped_by_time(settings, incident, user, monkeypatch) -> EvidenceScan:
    settings.ROUEI_SCAN_MAX_SECONDS = 1
    _slow_text(monkeypatch)
    _add(incident, user, "山田様 090-1234-5678\n".encode(), name="memo.txt")
    scan = actions.do_start_scan(incident, actor=user)
    enqueue_scan(scan)  # tests run tasks at once
    scan.refresh_from_db()
    return scan


def test_scan_past_its_time_is_done_and_says_why(stopped_by_time):
    scan = stopped_by_time
    assert (scan.status, scan.stop_reason, scan.report["stopped"]["limit"]) == (
        ScanStatus.DONE, "time", 1)


def test_scan_past_its_time_keeps_what_it_found_and_proposes_it(stopped_by_time):
    assert "phone" in stopped_by_time.proposed["items"]


def test_scan_page_says_stopped_at_the_time_limit_in_japanese(client, user, incident,
                                                              stopped_by_time):
    client.force_login(user)
    page = client.get(reverse("scans:detail", args=[incident.pk, stopped_by_time.pk])
                      ).content.decode()
    assert "中断: 上限に到達（時間 1 秒）" in page and "下限値" in page


def test_scan_page_says_stopped_at_the_time_limit_in_english(client, user, incident,
                                                             stopped_by_time):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("scans:detail", args=[incident.pk, stopped_by_time.pk])
                      ).content.decode()
    assert "Stopped: limit (time: 1 s)" in page


def test_incident_page_marks_the_scan_as_stopped_at_a_limit(client, user, incident,
                                                            stopped_by_time):
    client.force_login(user)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "上限で中断" in page


def test_complete_scan_has_no_stop(client, user, incident):
    _add(incident, user, _customers_csv(20))
    scan = actions.do_start_scan(incident, actor=user)
    enqueue_scan(scan)
    scan.refresh_from_db()
    assert (scan.stop_reason, scan.report["stopped"], scan.report["partial"]) == ("", None, False)


# --- one running scan per incident -----------------------------------------------------------

@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_scan_of_an_incident_with_a_running_scan_waits(database_queue, incident, user):
    running = _queued(incident, user)
    EvidenceScan.objects.filter(pk=running.pk).update(status=ScanStatus.RUNNING)
    waiting = _queued(incident, user)
    run_scan.call(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == ScanStatus.QUEUED


def test_waiting_scan_is_put_back_in_the_queue_for_later(database_queue, incident, user):
    from django_tasks_db.models import DBTaskResult

    running = _queued(incident, user)
    EvidenceScan.objects.filter(pk=running.pk).update(status=ScanStatus.RUNNING)
    run_scan.call(_queued(incident, user).pk)
    (task,) = DBTaskResult.objects.filter(status="READY")
    assert task.run_after > task.enqueued_at


def test_scans_of_other_incidents_do_not_wait(database_queue, incident, user):
    from rouei.incidents.actions import do_create_incident

    running = _queued(incident, user)
    EvidenceScan.objects.filter(pk=running.pk).update(status=ScanStatus.RUNNING)
    other = do_create_incident(title="別の事案", actor=user)
    _add(other, user, _customers_csv(5))
    scan = actions.do_start_scan(other, actor=user)
    run_scan.call(scan.pk)
    scan.refresh_from_db()
    assert scan.status == ScanStatus.DONE


def test_second_scan_of_an_incident_is_queued_behind_other_incidents(database_queue, incident,
                                                                     user):
    from django_tasks_db.models import DBTaskResult

    from rouei.incidents.actions import do_create_incident

    first, second = _queued(incident, user), _queued(incident, user)
    other = _queued(do_create_incident(title="別の事案", actor=user), user)
    for scan in (first, second, other):
        enqueue_scan(scan)
    order = [task.args_kwargs["args"][0] for task in DBTaskResult.objects.ready()]
    assert order == [first.pk, other.pk, second.pk]
