"""`rouei serve` keeps its worker: a worker that exits or is killed is started again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rouei.workers.supervise import supervise

REPO = Path(__file__).resolve().parents[2]


def test_a_worker_that_exits_is_started_again(tmp_path):
    log = tmp_path / "starts"
    child = [sys.executable, "-c",
             f"open({str(log)!r}, 'a').write('x'); raise SystemExit(3)"]
    status = supervise(child, first_pause=0.01, max_starts=3)
    assert log.read_text() == "xxx"
    assert status == 3


def test_a_killed_worker_is_started_again(tmp_path):
    log = tmp_path / "pids"
    child = [sys.executable, "-c",
             f"import os, signal; open({str(log)!r}, 'a').write(f'{{os.getpid()}}\\n'); "
             "os.kill(os.getpid(), signal.SIGKILL)"]
    supervise(child, first_pause=0.01, max_starts=2)
    pids = log.read_text().split()
    assert len(set(pids)) == 2


def test_the_pause_grows_while_the_worker_keeps_dying(tmp_path, monkeypatch):
    import rouei.workers.supervise as module

    pauses = []
    monkeypatch.setattr(module.time, "sleep", pauses.append)
    supervise([sys.executable, "-c", "raise SystemExit(1)"], first_pause=1, cap=4,
              max_starts=5)
    assert pauses == [1, 2, 4, 4, 4]


# --- the real thing: `rouei worker --supervise`, as `rouei serve` starts it --------------------

SERVE_SCRIPT = r"""
import os, signal, sqlite3, subprocess, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from django.core.management import call_command
from django.db import connections
call_command("migrate", verbosity=0)
db_path = connections["default"].settings_dict["NAME"]
connections.close_all()

def pids():
    db = sqlite3.connect(db_path, timeout=30)
    try:
        return {row[0] for row in db.execute("SELECT pid FROM workers_workerheartbeat")}
    finally:
        db.close()

def wait_for(check, timeout=90):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if (found := check()):
            return found
        time.sleep(0.1)
    return None

supervisor = subprocess.Popen([sys.executable, "-m", "rouei.cli.main", "worker", "--supervise"])
first = wait_for(pids)
print("first worker", bool(first))
os.kill(next(iter(first)), signal.SIGKILL)
second = wait_for(lambda: pids() - first)
print("restarted", bool(second))
supervisor.send_signal(signal.SIGTERM)
print("supervisor exit", supervisor.wait(timeout=30))
"""


@pytest.mark.slow
def test_rouei_worker_supervise_restarts_a_killed_worker(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ["ROUEI_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", SERVE_SCRIPT], cwd=REPO, env=environ,
                          text=True, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "restarted True" in done.stdout
