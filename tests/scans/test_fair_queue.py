"""One incident's long scans do not starve another incident's scan, with real `rouei worker`
processes on the database queue (issue 15, finding 1: "other incidents' scans stayed queued").

What the design promises (rouei/scans/jobs.py): at most one scan per incident runs at a time,
and an incident's later scans wait behind other incidents' scans. So incident A queues two
long scans, then incident B a short one:

- with two workers, B's scan finishes before A's first one, and A's second does not start
  until A's first has finished (it does not take the second worker);
- with one worker, the order is A's first, B's, A's second (incidents in turn, not upload
  order);
- a running scan cancelled with the button's action stops within seconds (the worker looks
  once a second).

The two-worker case runs on RQ too (a Redis server on 127.0.0.1:6379, as in
tests/config/test_tasks_backends.py): there the busy incident's scan is deferred through RQ's
scheduler, and there is no priority, so only the two-worker promise is tested.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINES = int(os.environ.get("ROUEI_FAIR_LONG_LINES", "8000"))  # a few seconds of scanning
REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own, emptied before the run

SCRIPT = r"""
import datetime as dt, io, os, signal, subprocess, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.db import connections
call_command("migrate", verbosity=0)
if os.environ.get("ROUEI_TASKS_REDIS_URL"):
    import django_rq
    django_rq.get_connection("default").flushdb()

from rouei.evidence.actions import add_evidence_from_stream
from rouei.incidents.actions import do_create_incident
from rouei.scans.actions import do_cancel_scan, do_start_scan
from rouei.scans.jobs import enqueue_scan
from rouei.scans.models import EvidenceScan

workers, lines = int(sys.argv[1]), int(sys.argv[2])
user = get_user_model().objects.create_user("lead", password="Kiso-gawa 7 tsuki no hashi")

def evidence(incident, name, data):
    add_evidence_from_stream(
        incident, io.BytesIO(data), original_name=name, description="leaked",
        collected_from="server", collected_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        collected_by_user=user, actor=user)

a = do_create_incident(title="A: big leak", actor=user)
b = do_create_incident(title="B: small leak", actor=user)
evidence(a, "memo.txt", "".join(f"{i} 山田様 090-1234-{i % 10000:04d}\n"
                                for i in range(lines)).encode())
evidence(b, "list.csv", "氏名,電話番号\n佐藤 花子,090-1111-2222\n".encode())
scans = {}
for label, incident in (("a1", a), ("a2", a), ("b1", b)):
    scans[label] = do_start_scan(incident, actor=user)
    enqueue_scan(scans[label])
connections.close_all()

log = open(os.environ["WORKER_LOG"], "w")
procs = [subprocess.Popen([sys.executable, "-m", "rouei.cli.main", "worker"], stdout=log,
                          stderr=subprocess.STDOUT) for _ in range(workers)]

def stop_workers():
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=30)

def wait(condition, timeout=300):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False

ids = [s.pk for s in scans.values()]
if not wait(lambda: EvidenceScan.objects.filter(pk__in=ids,
                                                status__in=("done", "failed")).count() == 3):
    stop_workers()
    log.flush()
    sys.exit(f"scans not finished: {list(EvidenceScan.objects.values_list('pk', 'status'))}\n"
             + open(os.environ["WORKER_LOG"]).read()[-2500:])
for label, scan in scans.items():
    scan.refresh_from_db()
    print(label, scan.status, scan.started_at.timestamp(), scan.finished_at.timestamp())

if workers == 1:
    # A scan long enough that it cannot end on its own between the cancel and the worker's
    # next look (once a second), however fast the machine is.
    evidence(a, "memo-long.txt", "".join(f"{i} 山田様 090-1234-{i % 10000:04d}\n"
                                         for i in range(lines * 8)).encode())
    long = do_start_scan(a, actor=user)
    enqueue_scan(long)
    wait(lambda: EvidenceScan.objects.filter(pk=long.pk, status="running").exists())
    time.sleep(1.0)
    asked = time.monotonic()
    do_cancel_scan(EvidenceScan.objects.get(pk=long.pk), actor=user)
    wait(lambda: EvidenceScan.objects.filter(pk=long.pk, status="cancelled").exists(), 30)
    long.refresh_from_db()
    print("cancel", long.status, round(time.monotonic() - asked, 2),
          bool(long.report and long.report["totals"].get("phone")))

stop_workers()
"""


def _run(tmp_path_factory, workers: int, redis: bool = False,
         lines: int = LINES) -> dict[str, list[str]]:
    data = tmp_path_factory.mktemp(f"fair{workers}")
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("ROUEI_", "DATABASE_URL", "DJANGO_"))}
    environ.update(ROUEI_DATA_DIR=str(data), WORKER_LOG=str(data / "worker.log"))
    if redis:
        environ["ROUEI_TASKS_REDIS_URL"] = REDIS_URL
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(workers), str(lines)], cwd=REPO,
                          env=environ, text=True, capture_output=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line}


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    return _run(tmp_path_factory, 2)


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    return _run(tmp_path_factory, 1)


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def two_rq_workers(tmp_path_factory):
    if not _redis_up():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    # On RQ the free worker may first take A's second scan and defer it through RQ's scheduler
    # before it takes B's (2.2 s seen on a quiet machine, when A's first scan took 2.5 s): A's
    # scans are made long enough to outlast that, so the test asserts fairness, not timing.
    return _run(tmp_path_factory, 2, redis=True, lines=LINES * 4)


pytestmark = pytest.mark.slow


def _times(result, label) -> tuple[float, float]:
    return float(result[label][1]), float(result[label][2])


def test_every_scan_finishes(two_workers):
    assert [two_workers[k][0] for k in ("a1", "a2", "b1")] == ["done"] * 3


def test_other_incidents_short_scan_finishes_before_the_long_one(two_workers):
    assert _times(two_workers, "b1")[1] < _times(two_workers, "a1")[1]


def test_an_incident_never_runs_two_scans_at_once(two_workers):
    assert _times(two_workers, "a2")[0] >= _times(two_workers, "a1")[1]


def test_one_worker_takes_the_incidents_in_turn(one_worker):
    starts = sorted(("a1", "a2", "b1"), key=lambda label: _times(one_worker, label)[0])
    assert starts == ["a1", "b1", "a2"]


def test_running_scan_is_cancelled(one_worker):
    assert one_worker["cancel"][0] == "cancelled"


def test_running_scan_stops_within_seconds_of_a_cancel(one_worker):
    # The worker looks once a second; writing what was found and a loaded CI machine (2.8 s
    # seen on PostgreSQL with the whole suite beside it) add the rest.
    assert float(one_worker["cancel"][1]) <= 5.0


def test_cancelled_scan_keeps_what_it_found(one_worker):
    assert one_worker["cancel"][2] == "True"


def test_on_rq_every_scan_finishes(two_rq_workers):
    assert [two_rq_workers[k][0] for k in ("a1", "a2", "b1")] == ["done"] * 3


def test_on_rq_other_incidents_short_scan_finishes_before_the_long_one(two_rq_workers):
    first_long = min(_times(two_rq_workers, k)[1] for k in ("a1", "a2"))
    assert _times(two_rq_workers, "b1")[1] < first_long


def test_on_rq_an_incident_never_runs_two_scans_at_once(two_rq_workers):
    # RQ has no priority: either of A's scans may go first, but never both at once.
    (start1, end1), (start2, end2) = _times(two_rq_workers, "a1"), _times(two_rq_workers, "a2")
    assert start2 >= end1 or start1 >= end2
