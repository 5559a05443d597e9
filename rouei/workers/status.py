"""What the pages and the apps need from the worker, without loading the worker itself
(importing django-tasks-db's worker at start-up would fix the tasks backend too early)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections.abc import Callable

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from rouei.core.fingerprints import Remembered
from rouei.workers.models import WorkerHeartbeat

STALE_AFTER = dt.timedelta(seconds=60)  # no heartbeat for this long: the worker is gone
# The pages ask on every view; the answer may be this many seconds old (a worker counts as
# gone only after STALE_AFTER): one query per web process every few seconds, not per view.
SEEN_FOR_SECONDS = 5
_seen = Remembered(size=1)

# (task_path, args, requeued) for every lost task; apps register in their AppConfig.ready.
_LOST_HANDLERS: list[Callable[[str, list, bool], None]] = []


def on_task_lost(handler: Callable[[str, list, bool], None]) -> None:
    _LOST_HANDLERS.append(handler)


def beat(worker_id: str, started_at: dt.datetime) -> None:
    """A worker's sign of life (both kinds: the database queue's and RQ's)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "pid": os.getpid(),
                  "host": socket.gethostname()[:255], "started_at": started_at})


HOUSEKEEPING_EVERY = 600.0  # seconds between a process's rounds of upkeep
_housekeeping_due = [0.0]  # this process's next round (time.monotonic)


def housekeeping(now: float | None = None) -> bool:
    """The database's upkeep that any worker does now and then from its heartbeat: the
    registry's change rows compacted (``rouei.core.changes.compact``). Whether it ran."""
    from rouei.core import changes

    now = time.monotonic() if now is None else now
    if now < _housekeeping_due[0]:
        return False
    _housekeeping_due[0] = now + HOUSEKEEPING_EVERY
    changes.compact()
    return True


def last_seen() -> dt.datetime | None:
    """When any worker last beat (``None``: never)."""
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return latest.seen_at if latest else None


def recently_seen() -> dt.datetime | None:
    """``last_seen``, read at most once every ``SEEN_FOR_SECONDS`` in this process (and again
    at once after a heartbeat is saved or deleted here)."""
    return _seen.get(0, int(time.monotonic() // SEEN_FOR_SECONDS), last_seen)


def _forget_seen(**kwargs) -> None:
    _seen.clear()


post_save.connect(_forget_seen, sender=WorkerHeartbeat, dispatch_uid="rouei.workers.seen")
post_delete.connect(_forget_seen, sender=WorkerHeartbeat, dispatch_uid="rouei.workers.seen")


def silence(now: dt.datetime | None = None) -> dict | None:
    """For the pages: ``{"minutes": …, "never": bool}`` when the tasks run on the database
    queue or on Redis (RQ workers beat the same way, ``rq_worker``) and no worker has beaten
    for ``STALE_AFTER`` (scans then stay queued); ``None`` when a worker is alive or the queue
    runs elsewhere (tests' immediate backend, another backend)."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] not in {"django_tasks_db.DatabaseBackend",
                                                    "django_tasks_rq.RQBackend"}:
        return None
    now = now or timezone.now()
    seen = recently_seen()
    if seen is not None and now - seen < STALE_AFTER:
        return None
    minutes = int((now - seen).total_seconds() // 60) if seen else 0
    return {"never": seen is None, "minutes": max(minutes, 1)}


