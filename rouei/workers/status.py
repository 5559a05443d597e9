"""What the pages and the apps need from the worker, without loading the worker itself
(importing django-tasks-db's worker at start-up would fix the tasks backend too early)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from rouei.workers.models import WorkerHeartbeat

STALE_AFTER = dt.timedelta(seconds=60)  # no heartbeat for this long: the worker is gone

# (task_path, args, requeued) for every lost task; apps register in their AppConfig.ready.
_LOST_HANDLERS: list[Callable[[str, list, bool], None]] = []


def on_task_lost(handler: Callable[[str, list, bool], None]) -> None:
    _LOST_HANDLERS.append(handler)


def last_seen() -> dt.datetime | None:
    """When any worker last beat (``None``: never)."""
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return latest.seen_at if latest else None


def silence(now: dt.datetime | None = None) -> dict | None:
    """For the pages: ``{"minutes": …, "never": bool}`` when the tasks run on the database
    queue and no worker has beaten for ``STALE_AFTER`` (scans then stay queued); ``None`` when
    a worker is alive or the queue is elsewhere (Redis workers, tests' immediate backend)."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    now = now or timezone.now()
    seen = last_seen()
    if seen is not None and now - seen < STALE_AFTER:
        return None
    minutes = int((now - seen).total_seconds() // 60) if seen else 0
    return {"never": seen is None, "minutes": max(minutes, 1)}


