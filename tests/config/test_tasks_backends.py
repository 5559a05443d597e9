"""The background-task queue: a database table by default, Redis (RQ) when a deployment sets
ROUEI_TASKS_REDIS_URL. The Redis test runs a real scan of the demo incident's evidence through a
real Redis server and `rouei worker`, in a separate process (INSTALLED_APPS differ)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest

from rouei.config import env

REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied before the run


def test_default_queue_is_the_database_table_with_no_extra_apps():
    tasks, apps, queues = env.tasks({})
    assert tasks["default"]["BACKEND"] == env.DATABASE_TASKS
    assert apps == [] and queues == {}


def test_redis_url_selects_rq_with_its_apps_and_queue():
    tasks, apps, queues = env.tasks({"ROUEI_TASKS_REDIS_URL": "redis://q.internal:6379/0"})
    assert tasks["default"] == {"BACKEND": env.REDIS_TASKS, "QUEUES": ["default"]}
    assert apps == ["django_rq", "django_tasks_rq"]
    assert queues == {"default": {"URL": "redis://q.internal:6379/0"}}


def test_redis_url_with_another_backend_is_refused():
    with pytest.raises(ValueError, match="ROUEI_TASKS_BACKEND"):
        env.tasks({"ROUEI_TASKS_REDIS_URL": "redis://q:6379/0",
                   "ROUEI_TASKS_BACKEND": env.DATABASE_TASKS})


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


def _run(args: list[str], environ: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=environ, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


START_SCAN = textwrap.dedent("""
    from rouei.cli.django_setup import setup_django
    setup_django()
    import io
    import django_rq
    from django.utils import timezone
    from rouei.cli.web_commands import prepare_demo
    from rouei.evidence.actions import add_evidence_from_stream
    from rouei.incidents.models import Incident
    from rouei.scans.actions import do_start_scan
    from rouei.scans.jobs import run_scan
    django_rq.get_connection("default").flushdb()
    incident = Incident.objects.get(pk=prepare_demo()["incident_id"])
    table = "氏名,電話番号\\n山田 太郎,090-1234-5678\\n佐藤 花子,03-1234-5678\\n"
    add_evidence_from_stream(
        incident, io.BytesIO(table.encode("cp932")), original_name="顧客.csv",
        description="test", collected_from="db01", collected_at=timezone.now(),
        collected_by_name="test", actor=incident.created_by)
    scan = do_start_scan(incident, actor=incident.created_by)
    result = run_scan.enqueue(scan.pk)
    print(scan.pk, scan.status, django_rq.get_queue("default").count)
""")

READ_SCAN = textwrap.dedent("""
    import sys
    from rouei.cli.django_setup import setup_django
    setup_django()
    from rouei.scans.models import EvidenceScan
    scan = EvidenceScan.objects.get(pk=int(sys.argv[1]))
    print(scan.status, scan.report["people"] if scan.report else None)
""")


@pytest.mark.slow
@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_a_scan_runs_on_redis_through_rouei_worker(tmp_path):
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("ROUEI_", "DATABASE_URL", "DJANGO_"))}
    environ |= {"ROUEI_DATA_DIR": str(tmp_path), "ROUEI_TASKS_REDIS_URL": REDIS_URL}
    rouei = [sys.executable, "-m", "rouei.cli.main"]
    _run([*rouei, "manage", "migrate", "--verbosity", "0"], environ)

    scan_id, status, queued = _run([sys.executable, "-c", START_SCAN], environ).stdout.split()
    assert (status, queued) == ("queued", "1")  # in Redis, not run yet
    assert _run([sys.executable, "-c", READ_SCAN, scan_id], environ).stdout.split()[0] == "queued"

    _run([*rouei, "worker", "--until-empty"], environ)

    status, people = _run([sys.executable, "-c", READ_SCAN, scan_id], environ).stdout.split()
    assert (status, people) == ("done", "2")
