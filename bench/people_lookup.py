"""The contact window's look-up under its real load: 50 operators on ``rouei serve``.

    uv run --group bench python bench/people_bulkload.py --people 1000000   # the registry
    uv run --group bench python bench/people_lookup.py                       # this

**Open loop** (what the issue's target is about): each operator answers calls and looks the
caller up; look-ups arrive as a Poisson process, ``--interval`` seconds apart on average per
operator, whether or not the server has answered the last one, and each latency is measured
from the moment the look-up was *due* (so a slow answer that delays the next look-up is counted,
not hidden: no coordinated omission). Every operator has their own account and API token
(a CTI integration per seat), so the default rate limit of 120 a minute per token stays on.

Why the default of one look-up every 3 s per operator (≈17 a second for 50): real desks are far
slower. A leak desk's call takes minutes (call centres plan 4–6 min of handling per call;
shorter at an "am I affected?" desk, but the identity check, the items and the script take
time), and an operator looks a caller up once or twice per call: 50 operators make ~0.2–0.5
look-ups a second. The one volume figure in the domain reference (7,000 contacts in the first
week for 49,000 people, notices-and-victims.md §4) scaled to 10 million people is ~6 contacts a
second over a 9:00–18:00 day — a desk of several hundred operators, still one look-up per call.
3 s per operator is 30–80× the 50-operator desk and 3× that whole-population figure: a
pessimistic rate, which also covers a CTI that looks every incoming number up at ring time.

**Closed loop** (``--closed-seconds``): the same operators with no pause (each asks again as
soon as it is answered), on a server started with the rate limit lifted: the most look-ups a
second the set-up gives, and their latency at that load.

The server is ``rouei serve`` itself (migrate, static files, a task worker, gunicorn with its
default two workers), on loopback, against the registry the bulk loader wrote
(``--setup``, default ``$ROUEI_BENCH_DIR/people-large/setup.json``). ``--code DIR`` runs
another checkout's code (e.g. ``git archive`` of the commit before) on the same registry. Each
answer is checked against the person the caller is (``expect`` in the sample): a wrong or
missing match is counted. The load average before and after is part of the result.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine, percentile_ms, timed_threads


def _start(setup: dict, port: int, code: str | None, rate: str | None) -> subprocess.Popen:
    env = {**os.environ, **setup["env"]}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if rate:
        env["ROUEI_PEOPLE_API_RATE"] = rate
    if code:
        env["PYTHONPATH"] = code
    server = subprocess.Popen(  # `rouei serve`, as a deployment runs it
        [sys.executable, "-m", "rouei.cli.main", "serve", "--host", "127.0.0.1", "--port",
         str(port)], env=env, stdout=subprocess.DEVNULL, start_new_session=True,
        # ``python -m`` puts the working directory first on the path: another checkout's
        # code is only run from outside this one.
        cwd=code or None)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise SystemExit("the server did not start")


def _stop(server: subprocess.Popen) -> None:
    # The whole group: gunicorn, its workers and the task worker beside it.
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class Operator:
    def __init__(self, port: int, path: str, token: str):
        self.port, self.path, self.token = port, path, token

    def ask(self, facts: dict) -> tuple[int, list]:
        body = json.dumps({k: v for k, v in facts.items() if k != "expect"})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", self.path, body=body, headers={
                "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        return response.status, (json.loads(data) if response.status == 200 else [])


def _run(setup: dict, port: int, *, seconds: float, interval: float | None,
         seed: int) -> dict:
    path = f"/api/v1/incidents/{setup['incident']}/people/lookup"
    sample = setup["sample"]
    operators = [Operator(port, path, token) for token in setup["tokens"]]
    statuses: dict[str, int] = {}
    wrong = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.5
    end = start + seconds

    def work(number: int, record) -> None:
        nonlocal wrong
        operator = operators[number]
        rng = random.Random(seed * 1000 + number)
        due = start + (rng.expovariate(1 / interval) if interval else 0)
        while due < end:
            facts = rng.choice(sample)
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            try:
                status, matches = operator.ask(facts)
            except OSError as exc:
                status, matches = type(exc).__name__, []
            finished = time.perf_counter()
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status == 200:
                    refs = {m["ref"] for m in matches}
                    if (facts["expect"] == "none") != (not refs) or (
                            facts["expect"] != "none" and facts["expect"] not in refs):
                        wrong += 1
            if status == 200:
                record(finished - due)
            due = (due + rng.expovariate(1 / interval)) if interval else finished

    load_before = os.getloadavg()
    latencies, wall = timed_threads(len(operators), work, start=start)

    return {"operators": len(operators), "seconds": round(wall, 1),
            "mean_interval_s": interval, "lookups": len(latencies),
            "per_s": round(len(latencies) / wall, 1), "statuses": statuses,
            "wrong_answers": wrong,
            "p50_ms": percentile_ms(latencies, 0.50), "p90_ms": percentile_ms(latencies, 0.90),
            "p99_ms": percentile_ms(latencies, 0.99),
            "max_ms": round(latencies[-1] * 1000, 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", type=Path, default=WORK / "people-large" / "setup.json")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--interval", type=float, default=3.0,
                        help="mean seconds between one operator's look-ups (open loop)")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--closed-seconds", type=float, default=30,
                        help="0: no closed-loop run")
    parser.add_argument("--code", help="PYTHONPATH of another checkout to measure")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--without-address", action="store_true",
                        help="leave out the name + address callers (code before they existed)")
    args = parser.parse_args()
    setup = json.loads(args.setup.read_text())
    if args.without_address:
        setup["sample"] = [s for s in setup["sample"] if "address" not in s]
    result: dict = {"registry": setup["load"]["people"], "code": args.code or "this tree",
                    "callers": len(setup["sample"])}
    server = _start(setup, args.port, args.code, None)
    try:
        _run(setup, args.port, seconds=5, interval=1.0, seed=0)  # warm the workers up
        result["open_loop"] = _run(setup, args.port, seconds=args.seconds,
                                   interval=args.interval, seed=args.seed)
    finally:
        _stop(server)
    if args.closed_seconds:
        server = _start(setup, args.port, args.code, "1000000/min")
        try:
            result["closed_loop"] = _run(setup, args.port, seconds=args.closed_seconds,
                                         interval=None, seed=args.seed)
        finally:
            _stop(server)
    result["machine"] = machine()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
