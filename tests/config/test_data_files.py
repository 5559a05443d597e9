"""The data directory and what is in it are private (0700 / 0600), and SQLite waits for a
lock instead of failing: WAL, a busy timeout (ROUEI_DB_BUSY_TIMEOUT, default 30 s)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from rouei.config import env

REPO = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --- modes ------------------------------------------------------------------------------------

def test_private_dir_is_created_0700_with_a_lax_umask(tmp_path):
    old = os.umask(0o022)
    try:
        directory = env.private_dir(tmp_path / "new" / "data")
    finally:
        os.umask(old)
    assert _mode(directory) == 0o700


def test_private_dir_tightens_an_existing_world_readable_one(tmp_path):
    directory = tmp_path / "data"
    directory.mkdir()
    directory.chmod(0o755)
    env.private_dir(directory)
    assert _mode(directory) == 0o700


def test_sqlite_file_is_created_0600_before_sqlite_opens_it(tmp_path):
    old = os.umask(0o022)
    try:
        name = env.databases({}, tmp_path / "data")["default"]["NAME"]
    finally:
        os.umask(old)
    assert _mode(Path(name)) == 0o600


def test_sqlite_wal_and_shm_files_are_0600(tmp_path):
    old = os.umask(0o022)
    try:
        name = env.databases({}, tmp_path)["default"]["NAME"]
        db = sqlite3.connect(name)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
        db.commit()
        modes = {suffix: _mode(Path(name + suffix)) for suffix in ("-wal", "-shm")}
        db.close()
    finally:
        os.umask(old)
    assert modes == {"-wal": 0o600, "-shm": 0o600}


def test_existing_world_readable_database_and_wal_are_tightened(tmp_path):
    for suffix in ("", "-wal"):
        (tmp_path / f"db.sqlite3{suffix}").touch(mode=0o644)
        (tmp_path / f"db.sqlite3{suffix}").chmod(0o644)
    env.databases({}, tmp_path)
    assert [_mode(tmp_path / f"db.sqlite3{s}") for s in ("", "-wal")] == [0o600, 0o600]


def test_data_keys_file_is_0600(tmp_path):
    env.data_keys({}, tmp_path)
    assert _mode(tmp_path / "data_keys") == 0o600


# --- the settings as a deployment loads them (a child process, umask 022) --------------------

SETTINGS_SCRIPT = """
import os
os.umask(0o022)
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x)")
    cursor.execute("INSERT INTO probe VALUES (1)")
    print("journal", cursor.execute("PRAGMA journal_mode").fetchone()[0])
    print("busy", cursor.execute("PRAGMA busy_timeout").fetchone()[0])
data = os.environ["ROUEI_DATA_DIR"]
for name in ("", "db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "secret_key", "data_keys"):
    print("mode", name or ".", oct(os.stat(os.path.join(data, name)).st_mode & 0o777))
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    data = tmp_path_factory.mktemp("deploy") / "var"
    environ = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "ROUEI_SECRET_KEY", "ROUEI_DATA_KEYS")}
    environ["ROUEI_DATA_DIR"] = str(data)
    done = subprocess.run([sys.executable, "-c", SETTINGS_SCRIPT], cwd=REPO, env=environ,
                          text=True, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize(("name", "mode"), [(".", "0o700"), ("db.sqlite3", "0o600"),
                                            ("db.sqlite3-wal", "0o600"),
                                            ("db.sqlite3-shm", "0o600"),
                                            ("secret_key", "0o600"), ("data_keys", "0o600")])
def test_deployed_data_directory_modes(deployed, name, mode):
    assert f"mode {name} {mode}" in deployed


def test_deployed_sqlite_is_in_wal_mode(deployed):
    assert "journal wal" in deployed


def test_deployed_sqlite_busy_timeout_is_thirty_seconds(deployed):
    assert "busy 30000" in deployed


def test_busy_timeout_from_the_environment():
    assert env.busy_timeout({"ROUEI_DB_BUSY_TIMEOUT": "2.5"}) == 2.5


def test_busy_timeout_must_be_positive():
    with pytest.raises(ValueError):
        env.busy_timeout({"ROUEI_DB_BUSY_TIMEOUT": "0"})


# --- a held lock delays a page and an action instead of failing them -------------------------

LOCK_SCRIPT = """
import os, sqlite3, sys, threading, time
os.environ["DJANGO_SETTINGS_MODULE"] = "rouei.config.settings"
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from django.conf import settings
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # no collectstatic
call_command("migrate", verbosity=0)
from rouei.incidents.actions import do_create_incident
from rouei.incidents.models import Incident

user = get_user_model().objects.create_user("lead", password="Kiso-gawa 7 tsuki no hashi")
incident = do_create_incident(title="lock test", actor=user)
connections.close_all()
hold = float(sys.argv[1])
held = threading.Event()
releasing = []

def hold_lock():
    db = sqlite3.connect(connections["default"].settings_dict["NAME"], timeout=60,
                         isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(hold)
    releasing.append(time.monotonic())  # before the commit: whoever waits ends after this
    db.execute("COMMIT")
    db.close()

def run(what):
    locker = threading.Thread(target=hold_lock)
    locker.start()
    held.wait()
    start = time.monotonic()
    try:
        outcome = what()
    except Exception as exc:
        outcome = type(exc).__name__ + ": " + str(exc)
    done = time.monotonic()
    print(f"waited {done - start:.1f}")
    locker.join()
    print(f"answered_after_release {done >= releasing.pop()}")
    held.clear()
    connections.close_all()
    return outcome

client = Client()
client.force_login(user)
connections.close_all()
# The case's audit page: reading it is itself recorded (a write under the lock); the incident
# page may answer from what it read without writing at all.
page = run(lambda: client.get(f"/incidents/{incident.pk}/audit/").status_code)
print("page", page)
action = run(lambda: do_create_incident(title="during the lock", actor=user).title)
print("action", action)
print("incidents", Incident.objects.count())
"""


def _under_lock(tmp_path, hold: float, busy_timeout: float) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update(ROUEI_DATA_DIR=str(tmp_path), ROUEI_DB_BUSY_TIMEOUT=str(busy_timeout),
                   ROUEI_ALLOWED_HOSTS="testserver", ROUEI_REQUIRE_MFA="0")
    done = subprocess.run([sys.executable, "-c", LOCK_SCRIPT, str(hold)], cwd=REPO,
                          env=environ, text=True, capture_output=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def two_second_lock(tmp_path_factory):
    return _under_lock(tmp_path_factory.mktemp("lock"), hold=2, busy_timeout=30)


def test_page_waits_for_a_two_second_lock_and_answers(two_second_lock):
    assert "page 200" in two_second_lock


def test_action_waits_for_a_two_second_lock_and_succeeds(two_second_lock):
    assert "action during the lock" in two_second_lock


def test_nothing_is_lost_under_the_lock(two_second_lock):
    assert "incidents 2" in two_second_lock


def test_the_page_really_waited_for_the_lock(two_second_lock):
    # Each answer came after the lock was let go (not a duration: on a loaded machine this
    # thread may wake late from ``held.wait()`` and time less than the lock's two seconds).
    answered = [line.split()[1] for line in two_second_lock
                if line.startswith("answered_after_release")]
    assert answered == ["True", "True"]


def test_a_busy_timeout_shorter_than_the_lock_fails_the_action(tmp_path):
    """The control: the same lock with a 0.5 s timeout is the issue's "database is locked"."""
    lines = _under_lock(tmp_path, hold=2, busy_timeout=0.5)
    assert any(line.startswith("action OperationalError") for line in lines)
