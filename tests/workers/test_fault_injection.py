"""Fault injection: another process holds the SQLite write lock longer than the busy timeout,
first while `rouei worker` is idle, then while it runs a scan. The worker stays up, the scan
finishes with the same result as an undisturbed scan, nothing is lost (issue 15, finding 3:
"a database locked for about 20 s made both idle workers exit").

The issue's 20-second lock against the default 30-second timeout is the same test with
``ROUEI_FAULT_LOCK_SECONDS=20 ROUEI_FAULT_BUSY_TIMEOUT=30``; by default it holds 3 s against a
1-second timeout, so the lock really outlasts the timeout and the retries are exercised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LOCK_SECONDS = float(os.environ.get("ROUEI_FAULT_LOCK_SECONDS", "3"))
BUSY_TIMEOUT = float(os.environ.get("ROUEI_FAULT_BUSY_TIMEOUT", "1"))
ROWS = 300_000  # about 16 MB of CSV: a scan that lasts long enough to be caught running

SCRIPT = r"""
import atexit, datetime as dt, io, os, signal, sqlite3, subprocess, sys, threading, time
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.db import connections
call_command("migrate", verbosity=0)

from django_tasks_db.models import DBTaskResult
from rouei.core.audit import verify_chain
from rouei.evidence import store
from rouei.evidence.actions import add_evidence_from_stream
from rouei.incidents.actions import do_create_incident
from rouei.scanning.engine import ScanOptions, scan_files
from rouei.scans.actions import do_start_scan
from rouei.scans.jobs import run_scan
from rouei.scans.models import EvidenceScan
from rouei.workers.models import WorkerHeartbeat

hold, rows = float(sys.argv[1]), int(sys.argv[2])
SEI = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
lines = ["氏名,電話番号,メールアドレス"] + [
    f"{SEI[i % 10]} 太郎,090-{i // 10000:04d}-{i % 10000:04d},user{i}@example.jp"
    for i in range(rows)]
data = ("\r\n".join(lines) + "\r\n").encode("cp932")
user = get_user_model().objects.create_user("lead", password="Kiso-gawa 7 tsuki no hashi")
incident = do_create_incident(title="fault injection", actor=user)
item = add_evidence_from_stream(
    incident, io.BytesIO(data), original_name="customers.csv", description="leaked",
    collected_from="server", collected_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    collected_by_user=user, actor=user)
expected = scan_files([(store.blob_path(item.sha256), "customers.csv")],
                      ScanOptions(workers=1)).proposed_facts()
db_path = connections["default"].settings_dict["NAME"]
connections.close_all()

with open(os.environ["WORKER_LOG"], "w") as log:  # the worker writes to its own copy
    worker = subprocess.Popen([sys.executable, "-m", "rouei.cli.main", "worker"],
                              stdout=log, stderr=subprocess.STDOUT)

@atexit.register
def stop_worker():  # a step below that fails must not leave the worker running
    if worker.poll() is None:
        worker.kill()
        worker.wait()

def read(sql):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=60)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()

def wait_for(what, sql, timeout=120, every=0.002):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if read(sql):
            return True
        time.sleep(every)
    print("timeout waiting for", what)
    return False

def hold_lock(seconds):
    db = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    time.sleep(seconds)
    db.execute("COMMIT")
    db.close()

wait_for("heartbeat", "SELECT 1 FROM workers_workerheartbeat")
hold_lock(hold)  # the worker is idle and polling
print("alive after idle lock", worker.poll() is None)

scan = do_start_scan(incident, actor=user)
run_scan.enqueue(scan.pk)
connections.close_all()
wait_for("running", f"SELECT 1 FROM scans_evidencescan WHERE id={scan.pk} AND status='running'")
hold_lock(hold)  # the worker is running the scan
print("alive after running lock", worker.poll() is None)
wait_for("finished", f"SELECT 1 FROM scans_evidencescan WHERE id={scan.pk} "
                     "AND status IN ('done', 'failed')", every=0.1)

scan.refresh_from_db()
print("status", scan.status)
print("same result", scan.proposed == expected)
print("people", (scan.proposed or {}).get("people_confirmed"))
print("task", DBTaskResult.objects.get().status)
print("chain", verify_chain())
print("alive at the end", worker.poll() is None)
worker.send_signal(signal.SIGTERM)
print("exit", worker.wait(timeout=30))
"""


@pytest.fixture(scope="module")
def fault(tmp_path_factory):
    data = tmp_path_factory.mktemp("fault")
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update(ROUEI_DATA_DIR=str(data), ROUEI_DB_BUSY_TIMEOUT=str(BUSY_TIMEOUT),
                   WORKER_LOG=str(data / "worker.log"))
    # A session of its own: when the script runs out of time, it and its worker are killed
    # together (killing the script alone would leave the worker running).
    with subprocess.Popen([sys.executable, "-c", SCRIPT, str(LOCK_SECONDS), str(ROWS)],
                          cwd=REPO, env=environ, text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, start_new_session=True) as script:
        try:
            stdout, stderr = script.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
            raise
    assert script.returncode == 0, stderr
    return stdout.splitlines(), (data / "worker.log").read_text()


pytestmark = pytest.mark.slow


def test_idle_worker_survives_a_lock_longer_than_the_busy_timeout(fault):
    assert "alive after idle lock True" in fault[0]


def test_worker_running_a_scan_survives_the_lock(fault):
    assert "alive after running lock True" in fault[0]


def test_scan_finishes(fault):
    assert "status done" in fault[0]


def test_scan_result_is_the_undisturbed_result(fault):
    assert "same result True" in fault[0]


def test_no_person_is_lost(fault):
    assert f"people {ROWS}" in fault[0]


def test_task_is_recorded_as_successful(fault):
    assert "task SUCCESSFUL" in fault[0]


def test_audit_chain_is_intact(fault):
    assert "chain None" in fault[0]


@pytest.mark.skipif(LOCK_SECONDS <= BUSY_TIMEOUT,
                    reason="a lock shorter than the busy timeout is waited out by SQLite alone")
def test_worker_felt_the_lock_and_waited_it_out(fault):
    assert "again in" in fault[1]


def test_worker_stops_cleanly_when_asked(fault):
    assert "exit 0" in fault[0]
