"""RQ workers (tasks on Redis) are seen like the database queue's: they write the same
heartbeat, a job whose worker died is queued again or failed with the reason, its scan says
so, and the incident page's "no worker seen" note covers them. Uses the local Redis,
database 13 (flushed before and after each test; nothing else is touched)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone
from django_tasks_rq.backend import Job as TasksJob

from rouei.scans.jobs import run_scan
from rouei.scans.models import EvidenceScan, ScanStatus
from rouei.workers import rq_worker
from rouei.workers.models import WorkerHeartbeat

redis = pytest.importorskip("redis")
rq = pytest.importorskip("rq")

REDIS_DB = 13
LATER = dt.timedelta(minutes=10)  # "now" for the lost-job check: long after the job started
WARNING = 'id="worker-silence"'


@pytest.fixture
def connection():
    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def queue(connection):
    return rq.Queue("default", connection=connection, job_class=TasksJob)


def _started_by_dead_worker(queue, scan_id: int, worker_name: str = "dead-rq-worker"):
    """A scan job taken by a worker that then died: in the started registry, no heartbeat."""
    queue.enqueue(run_scan.module_path, scan_id)
    worker = rq.Worker([queue], connection=queue.connection, name=worker_name,
                       job_class=TasksJob)
    job, _ = worker.dequeue_job_and_maintain_ttl(timeout=1)
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)
    return job


def _scan(incident, user) -> EvidenceScan:
    return EvidenceScan.objects.create(incident=incident, created_by=user,
                                       status=ScanStatus.RUNNING, bytes_total=100,
                                       bytes_done=40)


def _lost(queue):
    return rq_worker.requeue_lost_jobs([queue], now=timezone.now() + LATER)


@pytest.mark.django_db
def test_a_job_of_a_dead_rq_worker_is_queued_again(queue, incident, user):
    job = _started_by_dead_worker(queue, _scan(incident, user).pk)
    _lost(queue)
    assert queue.get_job_ids() == [job.id]


@pytest.mark.django_db
def test_it_leaves_the_started_registry(queue, incident, user):
    job = _started_by_dead_worker(queue, _scan(incident, user).pk)
    _lost(queue)
    assert job.id not in rq.registry.StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)


@pytest.mark.django_db
def test_its_scan_goes_back_to_queued(queue, incident, user):
    scan = _scan(incident, user)
    _started_by_dead_worker(queue, scan.pk)
    _lost(queue)
    scan.refresh_from_db()
    assert scan.status == ScanStatus.QUEUED


@pytest.mark.django_db
def test_a_job_of_a_live_rq_worker_is_left_running(queue, incident, user):
    _started_by_dead_worker(queue, _scan(incident, user).pk, worker_name="live-rq-worker")
    now = timezone.now() + LATER
    WorkerHeartbeat.objects.create(worker_id="live-rq-worker", pid=1, started_at=now,
                                   seen_at=now)
    assert rq_worker.requeue_lost_jobs([queue], now=now) == []


@pytest.mark.django_db
def test_a_job_just_started_is_left_running(queue, incident, user):
    _started_by_dead_worker(queue, _scan(incident, user).pk)
    assert rq_worker.requeue_lost_jobs([queue]) == []


def _lose_every_run(queue, scan_id: int):
    job = _started_by_dead_worker(queue, scan_id)
    for _ in range(rq_worker.MAX_CLAIMS - 1):
        _lost(queue)  # queued again: a new worker takes it, and dies too
        worker = rq.Worker([queue], connection=queue.connection, name="dead-rq-worker",
                           job_class=TasksJob)
        job, _ = worker.dequeue_job_and_maintain_ttl(timeout=1)
        worker.prepare_execution(job)
        worker.prepare_job_execution(job)
    _lost(queue)
    return TasksJob.fetch(job.id, connection=queue.connection)


@pytest.mark.django_db
def test_a_job_lost_too_often_is_failed(queue, incident, user):
    job = _lose_every_run(queue, _scan(incident, user).pk)
    assert job.get_status() == "failed"


@pytest.mark.django_db
def test_the_failure_names_worker_lost_for_django_tasks(queue, incident, user):
    job = _lose_every_run(queue, _scan(incident, user).pk)
    assert job.meta["_django_tasks_rq_exceptions"] == ["rouei.workers.worker.WorkerLost"]


@pytest.mark.django_db
def test_the_failure_is_in_the_failed_registry_with_the_reason(queue, incident, user):
    job = _lose_every_run(queue, _scan(incident, user).pk)
    assert job.id in rq.registry.FailedJobRegistry(queue=queue).get_job_ids(cleanup=False)
    assert job.latest_result().exc_string.startswith("WorkerLost: worker dead-rq-worker")


@pytest.mark.django_db
def test_its_scan_fails_with_worker_lost(queue, incident, user):
    scan = _scan(incident, user)
    _lose_every_run(queue, scan.pk)
    scan.refresh_from_db()
    assert (scan.status, scan.error) == (ScanStatus.FAILED, "worker_lost")


@pytest.mark.django_db(transaction=True)
def test_an_rq_worker_writes_the_heartbeat(queue):
    worker = rq_worker.RoueiRQWorker([queue], connection=queue.connection,
                                     job_class=TasksJob)
    worker.work(burst=True)
    assert WorkerHeartbeat.objects.filter(worker_id=worker.name).exists()


@pytest.fixture
def redis_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default"]}}


@pytest.mark.django_db
def test_incident_page_warns_when_no_rq_worker_was_seen(client, user, incident, redis_queue):
    client.force_login(user)
    assert WARNING in client.get(f"/incidents/{incident.pk}/").content.decode()


@pytest.mark.django_db
def test_incident_page_is_quiet_while_an_rq_worker_beats(client, user, incident, redis_queue):
    rq_worker.beat("rq-worker", timezone.now())
    client.force_login(user)
    assert WARNING not in client.get(f"/incidents/{incident.pk}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_job_that_meets_a_locked_database_runs_again(queue, incident, user, monkeypatch):
    # On the database queue a transient error runs the task again; on RQ it failed the job and
    # left the scan "queued" for ever (seen in CI: a SQLite lock held past the busy timeout).
    from django.db.utils import OperationalError

    from rouei.scans import jobs

    scan = EvidenceScan.objects.create(incident=incident, created_by=user,
                                       status=ScanStatus.QUEUED, bytes_total=0)
    claim, calls = jobs._claim, []

    def locked_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return claim(*args)

    monkeypatch.setattr(jobs, "_claim", locked_once)
    job = rq_worker.RoueiRQJob.fetch(queue.enqueue(run_scan.module_path, scan.pk).id,
                                    connection=queue.connection)
    job._execute()  # what RQ's perform() runs in the work horse
    scan.refresh_from_db()
    assert scan.status == ScanStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_a_real_failure_is_not_run_again(queue, incident, user, monkeypatch):
    from rouei.scans import jobs

    scan = EvidenceScan.objects.create(incident=incident, created_by=user,
                                       status=ScanStatus.QUEUED, bytes_total=0)
    calls = []

    def broken(*args):
        calls.append(args)
        raise ValueError("not a database error")

    monkeypatch.setattr(jobs, "_claim", broken)
    job = rq_worker.RoueiRQJob.fetch(queue.enqueue(run_scan.module_path, scan.pk).id,
                                    connection=queue.connection)
    with pytest.raises(ValueError):
        job._execute()
    assert len(calls) == 1


def _forking_worker(queue, monkeypatch):
    worker = rq_worker.RoueiRQWorker([queue], connection=queue.connection, job_class=TasksJob)
    forked = threading.Event()
    monkeypatch.setattr(rq.Worker, "fork_work_horse", lambda self, job, q: forked.set())
    return worker, forked


def test_no_horse_is_forked_while_the_heartbeat_uses_the_database(queue, monkeypatch):
    # SQLite forbids a connection or a lock across fork(): a horse forked mid-heartbeat waited
    # the whole busy timeout for a lock nobody held.
    worker, forked = _forking_worker(queue, monkeypatch)
    with worker._database_in_use:  # the heartbeat thread is writing
        threading.Thread(target=worker.fork_work_horse, args=(None, queue), daemon=True).start()
        assert not forked.wait(0.3)


def test_the_horse_is_forked_once_the_heartbeat_is_done(queue, monkeypatch):
    worker, forked = _forking_worker(queue, monkeypatch)
    with worker._database_in_use:
        threading.Thread(target=worker.fork_work_horse, args=(None, queue), daemon=True).start()
    assert forked.wait(5)


def test_the_worker_closes_its_connections_before_a_fork(queue, monkeypatch):
    worker, forked = _forking_worker(queue, monkeypatch)
    closed_before_fork = []
    monkeypatch.setattr(rq_worker.connections, "close_all",
                        lambda: closed_before_fork.append(not forked.is_set()))
    worker.fork_work_horse(None, queue)
    assert closed_before_fork == [True]
