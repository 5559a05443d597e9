"""The incident page under load (issue 15): N users at once on loopback, p50/p99.

    uv run --group bench python bench/incident_page.py --users 20 --requests 1000

1. A fresh PostgreSQL database (``--db``, default ``rouei_bench_perf``, dropped and created) with
   the demo incident (``rouei demo``'s: facts, timeline, evidence, tasks, 12,000 people), plus
   ``--timeline`` extra timeline entries (default none; 300 is an incident some weeks old) and one
   signed-in session per user (a member of the incident each).
2. gunicorn as ``rouei serve`` runs it (``--workers`` sync workers, default 2; ``--threads``
   above 1 switches to gthread).
3. ``--users`` threads, each its own session, each asking ``GET /incidents/{id}/`` again as soon
   as the answer has come (closed loop, no think time: the hardest case), ``--requests`` in all
   after a warm-up; every answer must be a 200 with the page's title. Then one request alone,
   the median of 20.
4. The CPU seconds (user + system) the load took: of the gunicorn processes (master and
   workers) and of the PostgreSQL backends serving this database (``/proc``, read before and
   after the closed loop), in all and per page; and per page, this process's own (the users'
   threads, which share the machine's two cores with the server).

Every page view writes audit events (the evidence card's notes view), so the run also shows
whether audited reads queue on the chain head. Results: /tmp/rouei-bench/results/incident_page.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine

REPO = Path(__file__).resolve().parent.parent


def psql(sql: str, pg: str) -> None:
    subprocess.run(["psql", "-h", pg, "-U", "postgres", "-d", "postgres", "-q", "-v",
                    "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


SETUP = """
import datetime as dt, json, sys
import django; django.setup()
from django.core.management import call_command
call_command('migrate', verbosity=0)
call_command('collectstatic', interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from django.test import Client
from rouei.cli.web_commands import prepare_demo
from rouei.core.access import Role
from rouei.incidents import actions
from rouei.incidents.models import Incident
users, extra = int(sys.argv[1]), int(sys.argv[2])
ready = prepare_demo()
incident = Incident.objects.get(pk=ready['incident_id'])
lead = get_user_model().objects.get(username='demo')
start = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
for i in range(extra):
    actions.do_add_timeline_event(incident, kind='action', at=start + dt.timedelta(hours=i),
                                  text=f'対応メモ {i}: 関係部署と状況を確認した', actor=lead)
cookies = []
for n in range(users):
    user, _ = get_user_model().objects.get_or_create(username=f'bench{n}')
    if not incident.memberships.filter(user=user).exists():
        incident = Incident.objects.get(pk=incident.pk)
        actions.do_add_member(incident, user, Role.FORENSICS, actor=lead)
    client = Client()
    client.force_login(user)
    cookies.append(client.cookies['sessionid'].value)
print(json.dumps({'incident': incident.pk, 'sessions': cookies}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--timeline", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--pg", default="127.0.0.1")
    parser.add_argument("--db", default="rouei_bench_perf")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of the last run (no new setup)")
    parser.add_argument("--label", default="", help="a name for this run in the results")
    parser.add_argument("--code", default="",
                        help="run the server from this export of another commit (PYTHONPATH)")
    args = parser.parse_args()

    out = WORK / "incident_page"
    out.mkdir(parents=True, exist_ok=True)
    data_dir = out / "data"
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{args.pg}:5432/{args.db}",
           "ROUEI_DATA_DIR": str(data_dir), "ROUEI_REQUIRE_MFA": "0",
           "DJANGO_SETTINGS_MODULE": "rouei.config.settings"}
    if args.code:
        env["PYTHONPATH"] = args.code
    state = out / "setup.json"
    if not args.reuse or not state.exists():
        psql(f"DROP DATABASE IF EXISTS {args.db}", args.pg)
        psql(f"CREATE DATABASE {args.db}", args.pg)
        subprocess.run(["rm", "-rf", str(data_dir)], check=True)
        done = subprocess.run([sys.executable, "-c", SETUP, str(args.users), str(args.timeline)],
                              env=env, check=True, capture_output=True, text=True, cwd=REPO)
        state.write_text(done.stdout.strip().splitlines()[-1])
    setup = json.loads(state.read_text())
    results = {"label": args.label, "users": args.users, "timeline_extra": args.timeline,
               "workers": args.workers, "threads": args.threads}
    results.update(_load(env, setup, args))
    results["machine"] = machine()
    results["load_average"] = os.getloadavg()
    (WORK / "results").mkdir(parents=True, exist_ok=True)
    (WORK / "results" / "incident_page.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


def _get(url: str, session: str) -> tuple[float, int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310 — http on loopback
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — loopback
        body = response.read()
        status = response.status
    return time.perf_counter() - start, status, body


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def _tree(pid: int) -> list[int]:
    """``pid`` and its children (gunicorn's master and workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        pids += [int(child) for child in children]
    return pids


def _backends(db: str, pg: str) -> list[int]:
    """The PostgreSQL backends connected to ``db`` (the workers' persistent connections)."""
    done = subprocess.run(["psql", "-h", pg, "-U", "postgres", "-d", "postgres", "-Atq", "-c",
                           f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'"],  # noqa: S608
                          check=True, capture_output=True, text=True)
    return [int(line) for line in done.stdout.split()]


def _load(env, setup, args) -> dict:
    worker_args = ["-w", str(args.workers)]
    if args.threads > 1:
        worker_args += ["--threads", str(args.threads), "-k", "gthread"]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rouei.config.wsgi:application", "-b",
         f"127.0.0.1:{args.port}", *worker_args, "--log-level", "warning", "--backlog", "256", "--timeout", "120"],
        env=env, cwd=args.code or REPO)  # `-m` puts the working directory first on the path
    url = f"http://127.0.0.1:{args.port}/incidents/{setup['incident']}/"
    sessions = setup["sessions"]
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/accounts/login/",
                                       timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        _, status, body = _get(url, sessions[0])
        if status != 200 or b"<title>" not in body:
            raise SystemExit(f"the page did not answer 200: {status}")
        size = len(body)
        for i in range(2 * args.workers * max(1, args.threads)):  # warm every worker
            _get(url, sessions[i % len(sessions)])
        alone = sorted(_get(url, sessions[0])[0] for _ in range(20))
        times: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        left = [args.requests]

        def user(session: str) -> None:
            while True:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                try:
                    took, status, _ = _get(url, session)
                except OSError as exc:
                    with lock:
                        errors.append(type(exc).__name__)
                    continue
                with lock:
                    (times.append(took) if status == 200 else errors.append(str(status)))

        threads = [threading.Thread(target=user, args=(sessions[i % len(sessions)],))
                   for i in range(args.users)]
        load_before = os.getloadavg()[0]
        web = _tree(server.pid)
        web_before = sum(_cpu_seconds(p) for p in web)
        # The workers' connections may be closed and opened again (CONN_MAX_AGE): the backends
        # are sampled through the run, each counted from its first sample (0 if new).
        backend_cpu: dict[int, list[float]] = {}
        sampling = threading.Event()

        def sample_backends() -> None:
            while True:
                for pid in _backends(args.db, args.pg):
                    seen = backend_cpu.setdefault(pid, [_cpu_seconds(pid), 0.0])
                    seen[1] = max(seen[1], _cpu_seconds(pid))
                if sampling.wait(0.5):
                    return

        for pid in _backends(args.db, args.pg):
            backend_cpu[pid] = [_cpu_seconds(pid), 0.0]
        first_backends = set(backend_cpu)
        sampler = threading.Thread(target=sample_backends)
        sampler.start()
        start, client_start = time.perf_counter(), time.process_time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        # This process's own CPU (the 20 users' urllib threads): it shares the two cores.
        client_cpu = time.process_time() - client_start
        web_cpu = sum(_cpu_seconds(p) for p in web) - web_before
        sampling.set()
        sampler.join()
        db_cpu = sum(last - (first if pid in first_backends else 0.0)
                     for pid, (first, last) in backend_cpu.items() if last)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait()
    times.sort()
    return {"page_bytes": size, "alone_median_ms": round(statistics.median(alone) * 1000, 1),
            "answered": len(times), "errors": len(errors),
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)] * 1000, 1),
            "max_ms": round(times[-1] * 1000, 1),
            "pages_per_s": round(len(times) / wall, 1), "load_before": load_before,
            "load_after": load_after, "wall_s": round(wall, 2),
            "cpu_s_web": round(web_cpu, 2), "cpu_s_postgres": round(db_cpu, 2),
            "cpu_ms_per_page_web": round(web_cpu / max(1, len(times)) * 1000, 1),
            "cpu_ms_per_page_postgres": round(db_cpu / max(1, len(times)) * 1000, 1),
            "cpu_ms_per_page_client": round(client_cpu / max(1, len(times)) * 1000, 1)}


if __name__ == "__main__":
    main()
