"""`rouei worker` on the database queue: django-tasks-db's worker made to survive faults.

- The polling loop outlasts transient database errors (a lock held longer than the busy
  timeout, a lost connection): it waits with a growing back-off (``transient.backoff``) and goes
  on, instead of exiting as django-tasks-db's ``db_worker`` does. Only a real failure (any other
  error) ends the process, with a non-zero status.
- A task that fails with a transient database error is run again (tasks here are idempotent: a
  scan rewrites its own result), up to ``TASK_ATTEMPTS`` times, before it is recorded as failed.
- A heartbeat thread writes ``WorkerHeartbeat.seen_at`` every ``HEARTBEAT_EVERY`` seconds, and
  looks for lost tasks: "running" under a worker whose heartbeat is older than ``STALE_AFTER``
  (the process died, the machine rebooted). A lost task is queued again, at most
  ``MAX_CLAIMS`` runs in all, then failed with the reason ``WorkerLost``; the apps hear of it
  through ``on_task_lost`` (the scans app puts its scan back to "queued" or "failed").
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from rouei.workers.models import WorkerHeartbeat
from rouei.workers.status import _LOST_HANDLERS, STALE_AFTER, beat, housekeeping
from rouei.workers.transient import (
    TASK_ATTEMPTS,
    backoff,
    is_transient,
    reset_connections,
    retry_transient,
)

logger = logging.getLogger("rouei.workers")

HEARTBEAT_EVERY = 5.0  # seconds
MAX_CLAIMS = 3  # a task lost this many times is failed, not queued again
LOOP_BACKOFF_CAP = 30.0

class WorkerLost(Exception):
    """The worker running this task stopped sending heartbeats (the process died)."""


def requeue_lost_tasks(now: dt.datetime | None = None) -> list[str]:
    """Queue again (or fail) the tasks running under workers gone silent; their ids."""
    now = now or timezone.now()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gt=now - STALE_AFTER)
                .values_list("worker_id", flat=True))
    lost = []
    for result in DBTaskResult.objects.running().order_by("started_at"):
        owner = result.worker_ids[-1] if result.worker_ids else None
        if owner in alive or (result.started_at and result.started_at > now - STALE_AFTER):
            continue  # alive, or just claimed (its worker may not have beaten yet)
        with transaction.atomic():
            fresh = (DBTaskResult.objects.select_for_update().filter(pk=result.pk,
                                                                     status="RUNNING")
                     .first())
            if fresh is None:
                continue
            requeue = len(fresh.worker_ids) < MAX_CLAIMS
            if requeue:
                fresh.status = "READY"
                fresh.started_at = None
                fresh.save(update_fields=["status", "started_at"])
            else:
                fresh.set_failed(WorkerLost(f"worker {owner} stopped after "
                                            f"{len(fresh.worker_ids)} runs"))
            args = list(fresh.args_kwargs.get("args", []))
            for handler in _LOST_HANDLERS:
                handler(fresh.task_path, args, requeue)
        logger.warning("task %s (%s) lost with worker %s: %s", result.pk, result.task_path,
                       owner, "queued again" if requeue else "failed")
        lost.append(str(result.pk))
    return lost


class RoueiWorker(Worker):
    def __init__(self, *, heartbeat_every: float = HEARTBEAT_EVERY, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat_every = heartbeat_every
        self.started_at = timezone.now()
        self._stop = threading.Event()

    # --- heartbeat ----------------------------------------------------------------------------
    def _heartbeat_loop(self) -> None:
        while not self._stop.is_set():
            try:
                beat(self.worker_id, self.started_at)
                requeue_lost_tasks()
                housekeeping()
            except Exception as exc:  # a heartbeat must never kill the worker
                logger.warning("heartbeat: %s", exc)
            finally:
                reset_connections()
            self._stop.wait(self.heartbeat_every)

    def start_heartbeat(self) -> threading.Thread:
        thread = threading.Thread(target=self._heartbeat_loop, name="rouei-heartbeat",
                                  daemon=True)
        thread.start()
        return thread

    # --- the loop -----------------------------------------------------------------------------
    def run(self) -> None:
        heartbeat = self.start_heartbeat()
        failures = 0
        try:
            while self.running:
                started = time.monotonic()
                try:
                    super().run()
                    return  # --batch found the queue empty, or --max-tasks reached
                except Exception as exc:
                    if not is_transient(exc):
                        raise
                    if time.monotonic() - started > 2 * LOOP_BACKOFF_CAP:
                        failures = 0  # it ran well for a while: start the back-off afresh
                    failures += 1
                    delay = backoff(failures, cap=LOOP_BACKOFF_CAP)
                    logger.warning("worker %s: %s; polling again in %.1f s", self.worker_id,
                                   exc, delay)
                    reset_connections()
                    time.sleep(delay)
        finally:
            self._stop.set()
            heartbeat.join(timeout=5)

    # --- one task -----------------------------------------------------------------------------
    def run_task(self, db_task_result: DBTaskResult) -> None:
        """As django-tasks-db's, but a transient database error runs the task again (after a
        back-off) instead of failing it, and recording the outcome is retried too."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                context = TaskContext(task_result=task_result)
                value = retry_transient(
                    lambda: task.call(context, *task_result.args, **task_result.kwargs),
                    attempts=TASK_ATTEMPTS, what=f"task {db_task_result.id}")
            else:
                value = retry_transient(lambda: task.call(*task_result.args, **task_result.kwargs),
                                        attempts=TASK_ATTEMPTS, what=f"task {db_task_result.id}")
            retry_transient(lambda: db_task_result.set_successful(value),
                            what=f"task {db_task_result.id}")
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as exc:
            failure = exc
            retry_transient(lambda: db_task_result.set_failed(failure),
                            what=f"task {db_task_result.id}")
            logger.warning("task %s failed: %s", db_task_result.id, type(exc).__name__)
            try:
                task_finished.send(sender=type(db_task_result.task.get_backend()),
                                   task_result=db_task_result.task_result)
            except Exception:
                logger.exception("task %s failed unexpectedly", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1
