"""Which database errors pass (a lock held by another process, a dropped connection) and how
long to wait before trying again."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import connections
from django.db.utils import InterfaceError, OperationalError

logger = logging.getLogger("rouei.workers")
T = TypeVar("T")

TASK_ATTEMPTS = 5  # runs of one task that hit a transient database error (both queues)

# Lower-case fragments of SQLite's and PostgreSQL's (psycopg) messages for errors that a retry
# can outlast. Anything else (a missing table, a syntax error) is a real failure.
TRANSIENT_MESSAGES = (
    "database is locked", "database table is locked", "database is busy",
    "server closed the connection", "connection already closed", "connection is closed",
    "connection refused", "could not connect", "terminating connection", "connection reset",
    "connection timed out", "the database system is starting up",
    "the database system is shutting down", "ssl connection has been closed",
    "consuming input failed", "server conn crashed", "disk i/o error",
)


def is_transient(exc: BaseException) -> bool:
    """A database error that waiting can cure (locked, busy, connection lost)."""
    if isinstance(exc, InterfaceError):
        return True  # the connection object is unusable: a new one will do
    if not isinstance(exc, OperationalError):
        return False
    message = str(exc).lower()
    return any(fragment in message for fragment in TRANSIENT_MESSAGES)


def backoff(attempt: int, *, base: float = 0.5, cap: float = 30.0) -> float:
    """Seconds to wait before try ``attempt + 1``: 0.5, 1, 2, 4 … at most ``cap``."""
    return min(base * 2 ** max(attempt - 1, 0), cap)


def reset_connections() -> None:
    """Drop this thread's database connections (a lost one cannot be reused)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def retry_transient(fn: Callable[[], T], *, attempts: int = 8, what: str = "database",
                    sleep: Callable[[float], None] = time.sleep) -> T:
    """``fn()``, tried again after a back-off while it fails with a transient database error
    (``attempts`` tries in all; the last error is raised)."""
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except (OperationalError, InterfaceError) as exc:
            if not is_transient(exc) or attempt == attempts:
                raise
            delay = backoff(attempt)
            logger.warning("%s: %s; trying again in %.1f s (%d/%d)", what, exc, delay,
                           attempt, attempts)
            reset_connections()
            sleep(delay)
    raise AssertionError("unreachable")
