"""`rouei worker` on Redis (``ROUEI_TASKS_REDIS_URL``): an RQ worker that is seen and whose
lost jobs come back, as the database queue's worker (``rouei.workers.worker``).

- A heartbeat thread writes the same ``WorkerHeartbeat`` row (``worker_id`` = the RQ worker's
  name) every ``HEARTBEAT_EVERY`` seconds, so the incident page's "no worker seen" note
  (``status.silence``) covers RQ workers too.
- The same thread looks for lost jobs: in a queue's started-job registry under a worker whose
  heartbeat is older than ``STALE_AFTER`` (the process and its work horse died, the machine
  rebooted). A lost job is queued again, at most ``MAX_CLAIMS`` runs in all, then failed with
  the reason ``WorkerLost``; the apps hear of it through ``status.on_task_lost``, as for the
  database queue. RQ would otherwise notice only when the job's execution expires, and then
  fail it without telling the apps (a scan would stay "running").
- A job that fails with a transient database error (a lock held past the busy timeout, a lost
  connection) runs again after a back-off, as on the database queue (``RoueiRQJob``).
- No database connection crosses a fork: RQ runs each job in a forked work horse, and SQLite
  forbids using a connection (or holding a lock) across fork(). The heartbeat thread does its
  database work under a lock that the worker takes around the fork, and closes its connection
  before releasing it; the parent's own connections are closed before each fork. (A horse forked
  while the heartbeat held a transaction inherited SQLite's record of that lock and waited the
  whole busy timeout for a lock nobody held: "database is locked", a scan left queued.)
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import connections
from django.utils import timezone
from django_tasks_rq import Job as TaskJob
from rq import Queue, Worker
from rq.job import JobStatus
from rq.job_lifecycle import record_job_failure
from rq.registry import StartedJobRegistry

from rouei.workers.models import WorkerHeartbeat
from rouei.workers.status import _LOST_HANDLERS, STALE_AFTER, beat, housekeeping
from rouei.workers.transient import TASK_ATTEMPTS, reset_connections, retry_transient

logger = logging.getLogger("rouei.workers")

HEARTBEAT_EVERY = 5.0  # seconds
MAX_CLAIMS = 3  # runs of one job lost with their worker before it is failed
RUNS_META = "rouei_runs_lost"  # in job.meta: how many runs of the job were lost so far
WORKER_LOST = "rouei.workers.worker.WorkerLost"  # the error class django-tasks reports


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=dt.UTC)  # RQ keeps UTC
    return moment


def requeue_lost_jobs(queues: list[Queue], now: dt.datetime | None = None) -> list[str]:
    """Queue again (or fail) the jobs started under RQ workers gone silent; their ids."""
    now = now or timezone.now()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gt=now - STALE_AFTER)
                .values_list("worker_id", flat=True))
    lost = []
    for queue in queues:
        registry = StartedJobRegistry(queue=queue)
        for job_id in registry.get_job_ids(cleanup=False):
            job = queue.fetch_job(job_id)
            if job is None or job.get_status() != JobStatus.STARTED:
                continue
            owner = job.worker_name
            started = _aware(job.started_at)
            if owner in alive or (started is not None and started > now - STALE_AFTER):
                continue  # alive, or just started (its worker may not have beaten yet)
            runs = int(job.meta.get(RUNS_META, 0)) + 1
            job.meta[RUNS_META] = runs
            requeue = runs < MAX_CLAIMS
            with queue.connection.pipeline() as pipeline:
                registry.remove_executions(job, pipeline=pipeline)
                if not requeue:
                    job.meta.setdefault("_django_tasks_rq_exceptions", []).append(WORKER_LOST)
                    record_job_failure(job, f"WorkerLost: worker {owner} stopped; the job "
                                            f"was lost with its worker {runs} times",
                                       pipeline)
                job.save_meta()
                pipeline.execute()
            if requeue:
                queue.enqueue_job(job)
            args = list(job.args or ())
            for handler in _LOST_HANDLERS:
                handler(job.func_name, args, requeue)
            logger.warning("job %s (%s) lost with worker %s: %s", job.id, job.func_name, owner,
                           "queued again" if requeue else "failed")
            lost.append(job.id)
    return lost


class RoueiRQJob(TaskJob):
    """django-tasks' RQ job whose task runs again after a transient database error (tasks here
    are idempotent: a scan rewrites its own result), up to ``TASK_ATTEMPTS`` runs."""

    def _execute(self):
        return retry_transient(super()._execute, attempts=TASK_ATTEMPTS, what=f"job {self.id}")


class RoueiRQWorker(Worker):
    """RQ's worker with a heartbeat in the database and lost jobs brought back."""

    heartbeat_every = HEARTBEAT_EVERY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Held while the heartbeat thread has a database connection, and around each fork.
        self._database_in_use = threading.Lock()

    def _rouei_heartbeat_loop(self, stop: threading.Event, started_at: dt.datetime) -> None:
        while not stop.is_set():
            with self._database_in_use:
                try:
                    beat(self.name, started_at)
                    requeue_lost_jobs(list(self.queues))
                    housekeeping()
                except Exception as exc:  # a heartbeat must never kill the worker
                    logger.warning("heartbeat: %s", type(exc).__name__)
                finally:
                    reset_connections()
            stop.wait(self.heartbeat_every)

    def fork_work_horse(self, job, queue):
        with self._database_in_use:
            connections.close_all()
            super().fork_work_horse(job, queue)

    def work(self, *args, **kwargs):
        stop = threading.Event()
        thread = threading.Thread(target=self._rouei_heartbeat_loop,
                                  args=(stop, timezone.now()), name="rouei-heartbeat",
                                  daemon=True)
        thread.start()
        try:
            return super().work(*args, **kwargs)
        finally:
            stop.set()
            thread.join(timeout=5)
