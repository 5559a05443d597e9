"""The cost of the audit trail's writer: 1,000 ``record_event`` calls on a SQLite file, each in
its own transaction as a page view's ``record_view`` is, three runs; wall and CPU time, the
checkpoints written, and the cost of one checkpoint append (lock, HMAC, write, fsync).

    uv run python bench/audit_events.py

Runs on a fresh data directory under /tmp (``ROUEI_DATA_DIR`` is set here), never the repository's.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ["ROUEI_DATA_DIR"] = tempfile.mkdtemp(prefix="rouei-bench-audit-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("ROUEI_AUDIT_CHECKPOINTS", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from rouei.core import checkpoints  # noqa: E402
from rouei.core.audit import record_event  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    for _ in range(20):  # warm-up
        with transaction.atomic():
            record_event(actor=None, action="bench.warm", incident_id=1)
    wall, cpu = [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(1000):
            with transaction.atomic():
                record_event(actor=None, action="notes.view", incident_id=7,
                             details={"page": i})
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    lines = checkpoints.path().read_text(encoding="utf-8").splitlines()
    print(f"1,000 record_event: wall {statistics.median(wall):.2f} s (runs "
          f"{', '.join(f'{w:.2f}' for w in wall)}), CPU {statistics.median(cpu):.2f} s; "
          f"{len(lines)} checkpoints for 3,020 events")
    appends = []
    for i in range(50):
        started = time.perf_counter()
        checkpoints.write(10_000 + i, "a" * 64, reason="verify")
        appends.append(time.perf_counter() - started)
    print(f"one checkpoint append: {statistics.median(appends) * 1000:.2f} ms (median of 50)")


if __name__ == "__main__":
    main()
