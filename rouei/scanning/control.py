"""What stops a scan before it has read everything: a time budget, a memory budget, and a
cancel request (the scan page's button, ``rouei scan-cancel``).

The readers and the engine call ``Guard.check()`` between members, batches, lines and every
megabyte copied; it is cheap (a clock read) and asks the costlier questions (the process's
memory, the cancel flag, which may be a database query) at most every ``poll_every`` seconds.
A stop is ``ScanStopped``, a ``BaseException`` like ``KeyboardInterrupt``: the readers turn
every ``Exception`` of a bad file into an ``Unreadable``, and a stop must not become one. The
engine catches it and returns what was found so far, marked partial.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MiB = 1024 * 1024

# Reasons a scan was stopped (``ScanReport.stopped["reason"]``).
TIME = "time"
MEMORY = "memory"
CANCELLED = "cancelled"
REASONS = (TIME, MEMORY, CANCELLED)


class ScanStopped(BaseException):  # a signal like KeyboardInterrupt, not an error
    """The scan must stop now: ``reason`` is one of ``REASONS``; ``limit`` the bound that was
    reached (seconds or MiB; None when cancelled)."""

    def __init__(self, reason: str, limit: float | None = None, used: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.limit = limit
        self.used = used

    def to_dict(self) -> dict:
        """The report's ``stopped``: the reason, the numbers, and a sentence, Japanese first."""
        out: dict = {"reason": self.reason}
        if self.limit is not None:
            out["limit"] = self.limit
        if self.used is not None:
            out["used"] = round(self.used, 1)
        out["detail"] = describe(self.reason, self.limit)
        return out


def describe(reason: str, limit: float | None) -> str:
    if reason == TIME:
        return (f"スキャン時間の上限 ({limit:,.0f} 秒) に達したため中断しました / stopped at the "
                f"time limit ({limit:,.0f} s)")
    if reason == MEMORY:
        return (f"メモリ使用量の上限 ({limit:,.0f} MB) に達したため中断しました / stopped at the "
                f"memory limit ({limit:,.0f} MB)")
    return "取り消されました / cancelled"


def resident_bytes() -> int | None:
    """This process's resident memory now (Linux ``/proc``); None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@dataclass(eq=False)
class Guard:
    """The budgets of one scan. ``deadline`` is on ``time.time()`` (wall clock, so that a
    guard sent to another process keeps it); ``max_memory_mb`` bounds the resident memory of
    the process that reads; ``cancelled`` answers whether someone asked to stop (called at most
    every ``poll_every`` seconds, in the coordinating process only: it is not sent along)."""

    deadline: float | None = None
    max_seconds: float | None = None
    max_memory_mb: float | None = None
    cancelled: Callable[[], bool] | None = field(default=None, repr=False)
    poll_every: float = 0.5
    _next_poll: float = field(default=0.0, repr=False)

    @classmethod
    def start(cls, max_seconds: float | None = None, max_memory_mb: float | None = None,
              cancelled: Callable[[], bool] | None = None, poll_every: float = 0.5) -> Guard:
        deadline = time.time() + max_seconds if max_seconds else None
        return cls(deadline, max_seconds or None, max_memory_mb or None, cancelled, poll_every)

    def check(self) -> None:
        """Raise ``ScanStopped`` if the scan is over its time, its memory or was cancelled."""
        now = time.time()
        if self.deadline is not None and now >= self.deadline:
            raise ScanStopped(TIME, self.max_seconds,
                              self.max_seconds + now - self.deadline if self.max_seconds
                              else None)
        if now < self._next_poll:
            return
        self._next_poll = now + self.poll_every
        if self.max_memory_mb is not None:
            rss = resident_bytes()
            if rss is not None and rss > self.max_memory_mb * MiB:
                raise ScanStopped(MEMORY, self.max_memory_mb, rss / MiB)
        if self.cancelled is not None and self.cancelled():
            raise ScanStopped(CANCELLED)

    def portable(self) -> Guard:
        """This guard without the cancel question, for another process (picklable)."""
        return Guard(self.deadline, self.max_seconds, self.max_memory_mb, None, self.poll_every)


NO_GUARD = Guard()
