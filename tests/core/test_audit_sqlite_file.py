"""The production SQLite set-up (a file, BEGIN IMMEDIATE) under parallel writers: the chain
holds. Runs in a child process on its own database file, whatever DATABASE_URL says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import os, threading
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
django.setup()
from django.core.management import call_command
from django.db import connections, transaction
from rouei.core.audit import record_event, verify_chain
from rouei.core.models import AuditEvent

call_command("migrate", verbosity=0)
errors = []
start = threading.Barrier(4)

def write():
    try:
        start.wait()
        for _ in range(15):
            with transaction.atomic():
                record_event(actor=None, action="test.parallel")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=write) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print("errors", errors)
print("count", AuditEvent.objects.count())
print("broken", verify_chain())
"""


def test_record_event_parallel_writers_on_a_sqlite_file_keep_the_chain(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ROUEI_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, env=env, text=True,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "errors []" in done.stdout
    assert "count 60" in done.stdout
    assert "broken None" in done.stdout
