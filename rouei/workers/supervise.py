"""Keep a child process running: `rouei serve` runs `rouei worker` under this, so a worker that
dies (a crash, a kill, an error that is not transient) is started again, after a pause that
doubles while it keeps dying quickly (1 s … ``cap``). No Django: it only starts processes."""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

logger = logging.getLogger("rouei.workers")

HEALTHY_AFTER = 60.0  # a child that ran this long resets the pause to the first step


def die_with_parent() -> None:
    """Linux: SIGTERM to this process when its parent exits (no orphaned workers)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def supervise(argv: Sequence[str], *, first_pause: float = 1.0, cap: float = 60.0,
              healthy_after: float = HEALTHY_AFTER, max_starts: int | None = None,
              on_start: Callable[[subprocess.Popen], None] | None = None) -> int:
    """Run ``argv`` again whenever it exits, until this process is told to stop (SIGTERM,
    SIGINT: passed on to the child) or ``max_starts`` runs are over; the last exit status."""
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pause = first_pause
    starts = 0
    status = 0
    while not stopping and (max_starts is None or starts < max_starts):
        started = time.monotonic()
        child = subprocess.Popen(list(argv), preexec_fn=die_with_parent)  # noqa: PLW1509, S603
        starts += 1
        if on_start is not None:
            on_start(child)
        status = child.wait()
        if stopping:
            break
        if time.monotonic() - started >= healthy_after:
            pause = first_pause
        logger.warning("worker exited with status %s; starting it again in %.0f s", status,
                       pause)
        print(f"rouei: worker exited with status {status}; restarting in {pause:.0f} s",
              file=sys.stderr, flush=True)
        time.sleep(pause)
        pause = min(pause * 2, cap)
    return status
