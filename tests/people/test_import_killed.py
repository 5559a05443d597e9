"""An import killed for real (SIGKILL, as the OOM killer or a lost machine does) in the middle
of writing leaves nothing: no person, no look-up key (issue 12: "an import killed midway leaves
no trace"). The in-process test (test_imports.py) stops between two batches by an exception;
here the process dies with its transaction open, and another process reads the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROWS = 3_000

SETUP = r"""
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
call_command("migrate", verbosity=0)
from rouei.incidents.actions import do_create_incident
rows = int(sys.argv[1])
lines = ["氏名,電話番号,メールアドレス"] + [
    f"山田 太郎{i},090-{i // 10000:04d}-{i % 10000:04d},user{i}@example.jp" for i in range(rows)]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
user = get_user_model().objects.create_user("lead", password="Kiso-gawa 7 tsuki no hashi")
print(do_create_incident(title="killed import", actor=user).pk)
"""

# The import, told to stop after its second batch is written (inside its transaction) and
# wait there to be killed.
IMPORT = r"""
import os, sys, time
from pathlib import Path
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from rouei.incidents.models import Incident
from rouei.people import actions, imports
imports.BATCH_ROWS = 1_000
def written(rows, done):
    if rows >= 2_000:
        print("written", rows, flush=True)
        time.sleep(600)
actions.do_import_people(None, Incident.objects.get(pk=int(sys.argv[1])), Path(sys.argv[2]),
                         progress=written)
"""

COUNT = r"""
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from rouei.people.models import Person, PersonKey
print(Person.objects.count(), PersonKey.objects.count())
"""

pytestmark = pytest.mark.slow


def _python(script: str, *args, environ) -> str:
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], cwd=REPO,
                          env=environ, text=True, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    data = tmp_path_factory.mktemp("killed")
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ["ROUEI_DATA_DIR"] = str(data)
    people = data / "people.csv"
    incident = int(_python(SETUP, ROWS, people, environ=environ).split()[-1])
    importing = subprocess.Popen([sys.executable, "-c", IMPORT, str(incident), str(people)],
                                 cwd=REPO, env=environ, text=True, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
    try:
        said = importing.stdout.readline()
    finally:
        importing.send_signal(signal.SIGKILL)
        importing.wait(timeout=60)
    assert said.startswith("written"), importing.stderr.read()[-2000:]
    return said, _python(COUNT, environ=environ).split()


def test_the_import_was_killed_after_writing_people(killed):
    assert killed[0].split()[1] == "2000"


def test_an_import_killed_midway_leaves_no_person(killed):
    assert killed[1][0] == "0"


def test_an_import_killed_midway_leaves_no_look_up_key(killed):
    assert killed[1][1] == "0"
