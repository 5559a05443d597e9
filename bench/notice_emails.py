"""E-mail notices: how fast a send run goes, and whether it holds the configured rate through
the task queue (issue 12, "e-mail sending at the configured rate through the task queue").

    uv run --group bench python bench/notice_emails.py --people 3000 [--pg 127.0.0.1] [--redis]

Set-up: a realistic customer export (bench/people_registry.py's generator: mixed widths and
formats, duplicates typed differently, ~88 % with an e-mail address) imported into a fresh
registry; the notice settings filled in; an SMTP server (aiosmtpd) in a process of its own that
accepts every message and writes the time it received each one.

1. ``max``: `rouei people notify INCIDENT --now --limit N` with no rate limit to speak of —
   what one send run can do (messages/s, CPU per message).
2. ``rate``: `rouei people notify INCIDENT --limit K` queued, run by real `rouei worker`
   processes (the database queue, and RQ with ``--redis``), at ``--rate`` per minute, the run
   split into ``--parts`` tasks; the achieved rate is measured at the SMTP server, from the
   first message to the last.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, rouei_command, run_timed
from people_registry import write_export

WORK = Path(os.environ.get("ROUEI_BENCH_DIR", "/tmp/rouei-bench"))

SINK = r"""
import asyncio, sys, time
from aiosmtpd.controller import Controller

out = open(sys.argv[2], "a", buffering=1)

class Sink:
    async def handle_DATA(self, server, session, envelope):
        out.write(f"{time.time():.6f}\n")
        return "250 OK"

controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
"""

SETUP = r"""
import sys, django
from pathlib import Path
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from rouei.incidents import actions
from rouei.people import actions as people
user = get_user_model().objects.create_user("bench", password="Kiso-gawa 7 tsuki no hashi")
incident = actions.do_create_incident(
    title="bench", facts={"items": ["person_name", "email"], "knew_at": "2026-11-24"},
    actor=user)
people.do_import_people(user, incident, Path(sys.argv[1]), on_error="skip")
people.do_update_notice_settings(user, incident, {
    "sender_name": "株式会社サンプル商事", "from_address": "notice@sample.example",
    "window_phone": "0120-000-000", "window_hours": "毎日 9:00〜18:00",
    "secondary_damage": "none_confirmed"})
from rouei.people.mailer import eligible
print(incident.pk, eligible(incident).count())
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _received(log: Path) -> list[float]:
    return [float(line) for line in log.read_text().split()] if log.exists() else []


def _wait_for(log: Path, count: int, timeout: float) -> list[float]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        times = _received(log)
        if len(times) >= count:
            return times
        time.sleep(0.2)
    return _received(log)


def _rate_run(rouei, env, incident, args, queue: str) -> dict:
    """A run of ``args.rate_messages`` queued and sent by real workers at ``args.rate``."""
    log = Path(env["BENCH_SINK_LOG"])
    before = len(_received(log))
    workers = [subprocess.Popen([*rouei, "worker"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(args.workers)]
    try:
        subprocess.run([*rouei, "people", "notify", incident, "--email", "--limit",
                        str(args.rate_messages)], env=env, check=True, capture_output=True)
        times = _wait_for(log, before + args.rate_messages,
                          timeout=args.rate_messages * 60 / args.rate * 3 + 60)[before:]
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    return {f"rate_{queue}_sent": len(times),
            f"rate_{queue}_per_minute": round((len(times) - 1) / span * 60, 1) if span else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--max-messages", type=int, default=1500)
    parser.add_argument("--rate", type=int, default=600, help="configured messages a minute")
    parser.add_argument("--rate-messages", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--parts", type=int, default=1,
                        help="ROUEI_NOTICE_SEND_TASKS: tasks a queued run is split into")
    parser.add_argument("--pg", default=None, help="PostgreSQL host (SQLite when absent)")
    parser.add_argument("--redis", action="store_true", help="also through RQ workers")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=WORK, prefix="notices-"))
    export = work / "export.csv"
    write_export(export, args.people)
    port = _free_port()
    sink_log = work / "received.log"
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port), str(sink_log)])
    env = {**os.environ, "ROUEI_DATA_DIR": str(work / "data"), "ROUEI_EMAIL_HOST": "127.0.0.1",
           "ROUEI_EMAIL_PORT": str(port), "BENCH_SINK_LOG": str(sink_log),
           "DJANGO_SETTINGS_MODULE": "rouei.config.settings"}
    env.pop("ROUEI_TASKS_REDIS_URL", None)
    if args.pg:
        db = "rouei_bench_notices"
        for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
            subprocess.run(["psql", "-h", args.pg, "-U", "postgres", "-qc", sql], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@{args.pg}:5432/{db}"
    rouei = rouei_command()
    results: dict = {"people": args.people, "database": "postgresql" if args.pg else "sqlite"}
    try:
        done = subprocess.run([sys.executable, "-c", SETUP, str(export)], env=env, check=False,
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(done.stderr[-3000:])
        incident, eligible = done.stdout.split()
        results["with_email"] = int(eligible)

        fast = {**env, "ROUEI_NOTICE_EMAILS_PER_MINUTE": "1000000"}
        old = dict(os.environ)
        os.environ.update(fast)
        try:
            run = run_timed([*rouei, "people", "notify", incident, "--email", "--now", "--limit",
                             str(args.max_messages)], timeout=3600)
        finally:
            os.environ.clear()
            os.environ.update(old)
        sent = len(_received(sink_log))
        results.update({"max_messages": sent, "max_s": round(run.seconds, 2),
                        "max_per_s": round(sent / run.seconds, 1),
                        "max_cpu_ms_per_message": round(run.cpu_seconds / sent * 1000, 2)
                        if sent else None})

        paced = {**env, "ROUEI_NOTICE_EMAILS_PER_MINUTE": str(args.rate),
                 "ROUEI_NOTICE_SEND_TASKS": str(args.parts)}
        results.update(rate_configured_per_minute=args.rate, parts=args.parts,
                       workers=args.workers)
        results.update(_rate_run(rouei, paced, incident, args, "database"))
        if args.redis:
            paced["ROUEI_TASKS_REDIS_URL"] = "redis://127.0.0.1:6379/11"
            subprocess.run(["redis-cli", "-n", "11", "flushdb"], check=True,
                           capture_output=True)
            results.update(_rate_run(rouei, paced, incident, args, "rq"))
    finally:
        sink.terminate()
        sink.wait(timeout=30)
    results["load_average"] = [round(x, 1) for x in os.getloadavg()]
    results["machine"] = machine()
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
