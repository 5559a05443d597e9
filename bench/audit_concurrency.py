"""Audited reads at once: K threads each recording page views (``record_view``, one transaction
each, as a page does), on PostgreSQL or SQLite; events per second and the latency of one
``record_view`` (p50/p99), then ``verify_trail`` over everything written.

    uv run python bench/audit_concurrency.py --threads 1 5 20 50 --events 2000
    uv run python bench/audit_concurrency.py --sqlite

It shows whether the chain head, which every writer locks until its commit, is what limits
audited reads: with one lock holder at a time the commits cannot share a WAL flush, so the
rate is about one over (flush + a few round trips) whatever K is. PostgreSQL database
``--db`` (default ``rouei_bench_audit``) is dropped and created; the data directory (the
checkpoints) is a fresh folder under /tmp.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile_ms, timed_threads

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, nargs="+", default=[1, 5, 20, 50])
parser.add_argument("--events", type=int, default=2000, help="events per step (all threads)")
parser.add_argument("--pg", default="127.0.0.1")
parser.add_argument("--db", default="rouei_bench_audit")
parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead")
args = parser.parse_args()

os.environ["ROUEI_DATA_DIR"] = tempfile.mkdtemp(prefix="rouei-bench-audit-")
os.environ.pop("ROUEI_AUDIT_CHECKPOINTS", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
if args.sqlite:
    os.environ.pop("DATABASE_URL", None)
else:
    for sql in (f"DROP DATABASE IF EXISTS {args.db}", f"CREATE DATABASE {args.db}"):
        subprocess.run(["psql", "-h", args.pg, "-U", "postgres", "-q", "-c", sql], check=True,
                       capture_output=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.pg}:5432/{args.db}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from rouei.core.audit import record_view, verify_trail  # noqa: E402
from rouei.core.models import AuditEvent  # noqa: E402


def step(threads: int, events: int) -> dict:
    per_thread = events // threads

    def reader(n: int, record) -> None:
        try:
            for i in range(per_thread):
                started = time.perf_counter()
                record_view(actor=None, what="notes", incident_id=n, details={"page": i})
                record(time.perf_counter() - started)
        finally:
            connection.close()

    latencies, wall = timed_threads(threads, reader)
    return {"threads": threads, "events": len(latencies),
            "per_s": round(len(latencies) / wall),
            "p50_ms": percentile_ms(latencies, 0.50), "p99_ms": percentile_ms(latencies, 0.99)}


def main() -> None:
    call_command("migrate", verbosity=0)
    record_view(actor=None, what="bench.warm")
    print(f"{connection.vendor}, load {os.getloadavg()[0]:.2f}")
    for threads in args.threads:
        before = AuditEvent.objects.count()
        result = step(threads, args.events)
        written = AuditEvent.objects.count() - before
        print(result, "written", written, f"load {os.getloadavg()[0]:.2f}")
    verification = verify_trail()
    print("verify:", "ok" if verification.ok else verification.broken,
          f"{verification.events} events")


if __name__ == "__main__":
    sys.exit(main())
