"""A task whose worker died is queued again (or failed with a reason), and its scan says so;
the incident page says when no worker has been seen for a while."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from rouei.scans.jobs import run_scan
from rouei.scans.models import EvidenceScan, ScanStatus
from rouei.workers import worker
from rouei.workers.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
LONG_AGO = dt.timedelta(minutes=10)


def _scan(incident, user, status=ScanStatus.RUNNING) -> EvidenceScan:
    return EvidenceScan.objects.create(incident=incident, created_by=user, status=status,
                                       bytes_total=100, bytes_done=40)


def _running(scan_id: int, *, workers=("dead-worker",), started=LONG_AGO) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [scan_id], "kwargs": {}},
        task_path=run_scan.module_path, worker_ids=list(workers), backend_name="default",
        queue_name="default", run_after=get_date_max(), started_at=timezone.now() - started)


def _beat(worker_id: str, ago: dt.timedelta = dt.timedelta()) -> None:
    now = timezone.now() - ago
    WorkerHeartbeat.objects.create(worker_id=worker_id, pid=1, started_at=now, seen_at=now)


def test_task_of_a_silent_worker_is_queued_again(incident, user):
    task = _running(_scan(incident, user).pk)
    worker.requeue_lost_tasks()
    task.refresh_from_db()
    assert task.status == "READY"


def test_its_scan_goes_back_to_queued(incident, user):
    scan = _scan(incident, user)
    _running(scan.pk)
    worker.requeue_lost_tasks()
    scan.refresh_from_db()
    assert scan.status == ScanStatus.QUEUED


def test_task_of_a_worker_with_an_old_heartbeat_is_queued_again(incident, user):
    _beat("dead-worker", ago=LONG_AGO)
    task = _running(_scan(incident, user).pk)
    worker.requeue_lost_tasks()
    task.refresh_from_db()
    assert task.status == "READY"


def test_task_of_a_live_worker_is_left_running(incident, user):
    _beat("live-worker")
    task = _running(_scan(incident, user).pk, workers=("live-worker",))
    worker.requeue_lost_tasks()
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_task_just_claimed_is_left_running(incident, user):
    task = _running(_scan(incident, user).pk, started=dt.timedelta(seconds=1))
    worker.requeue_lost_tasks()
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_task_lost_too_often_is_failed_with_the_reason(incident, user):
    task = _running(_scan(incident, user).pk, workers=("a", "b", "c"))
    worker.requeue_lost_tasks()
    task.refresh_from_db()
    assert (task.status, task.exception_class_path) == (
        "FAILED", "rouei.workers.worker.WorkerLost")


def test_scan_lost_too_often_fails_with_worker_lost(incident, user):
    scan = _scan(incident, user)
    _running(scan.pk, workers=("a", "b", "c"))
    worker.requeue_lost_tasks()
    scan.refresh_from_db()
    assert (scan.status, scan.error) == (ScanStatus.FAILED, "worker_lost")


# --- the incident page ------------------------------------------------------------------------

WARNING = 'id="worker-silence"'


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _page(client, user, incident) -> str:
    client.force_login(user)
    return client.get(f"/incidents/{incident.pk}/").content.decode()


def test_incident_page_warns_when_no_worker_was_ever_seen(client, user, incident,
                                                          database_queue):
    assert "バックグラウンド処理（rouei worker）がまだ動いていません" in _page(client, user, incident)


def test_incident_page_says_how_long_the_worker_has_been_silent(client, user, incident,
                                                                database_queue):
    _beat("w", ago=dt.timedelta(minutes=7))
    assert "7分間応答していません" in _page(client, user, incident)


def test_incident_page_is_quiet_while_a_worker_beats(client, user, incident, database_queue):
    _beat("w", ago=dt.timedelta(seconds=3))
    assert WARNING not in _page(client, user, incident)


def test_incident_page_is_quiet_when_tasks_do_not_use_the_database_queue(client, user,
                                                                         incident):
    assert WARNING not in _page(client, user, incident)


def test_heartbeat_records_this_worker(db):
    started = timezone.now()
    worker.beat("abc", started)
    worker.beat("abc", started)
    assert WorkerHeartbeat.objects.filter(worker_id="abc").count() == 1


def test_the_incident_page_reads_the_heartbeat_once_in_a_few_seconds(client, user, incident,
                                                                      database_queue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _beat("w", ago=dt.timedelta(seconds=3))
    _page(client, user, incident)
    with CaptureQueriesContext(connection) as captured:
        _page(client, user, incident)
    assert not [q for q in captured.captured_queries if "workers_workerheartbeat" in q["sql"]]


def test_a_heartbeat_saved_here_is_seen_at_once(client, user, incident, database_queue):
    _page(client, user, incident)  # no worker yet: the warning, kept for a few seconds
    _beat("w", ago=dt.timedelta(seconds=3))
    assert WARNING not in _page(client, user, incident)
