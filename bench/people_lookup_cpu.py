"""What one API look-up costs, whatever the machine's load: CPU and database round trips.

    uv run --group bench python bench/people_lookup_cpu.py [--code DIR] [--requests 300]

In one process, the Django test client posts ``--requests`` look-ups of the bulk loader's
sample (``bench/people_bulkload.py``) to ``POST /api/v1/incidents/{id}/people/lookup`` through
the whole stack (middleware, token, rate limit, access, search, decryption, audit event and its
durability barrier) and reports the web process's CPU milliseconds per look-up, the round
trips per look-up (Django's query log: one entry per message sent; the health check of the
connection is not in it) and the SQL statements they held. ``--profile N`` runs the same
look-ups again under cProfile (a CPU clock) and prints the N largest cumulative entries.
Wall time is reported too but follows the load: CPU and round trips are the figures that
compare two versions of the code on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine

MEASURE = """
import json, os, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
setup = json.loads(open(sys.argv[1]).read())
count = int(sys.argv[2])
sample = [{k: v for k, v in s.items() if k != "expect"} for s in setup["sample"]
          if "address" not in s]
client = Client(HTTP_HOST="127.0.0.1")
url = f"/api/v1/incidents/{setup['incident']}/people/lookup"
tokens = setup["tokens"]
def ask(n):
    return client.post(url, data=json.dumps(sample[n % len(sample)]),
                       content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {tokens[n % len(tokens)]}")
for n in range(50):
    ask(n)
cpu, wall = time.process_time(), time.perf_counter()
with CaptureQueriesContext(connection) as queries:
    codes = [ask(n).status_code for n in range(50, 50 + count)]
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
statements = sum(len([s for s in q["sql"].split("; ") if s.strip()]) for q in queries)
trips = len(queries)  # now: the profiled run's requests reset the query log
profile_top = int(sys.argv[3])
if profile_top:
    import cProfile, pstats
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(50, 50 + count):
        ask(n)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(profile_top)
print(json.dumps({"requests": count, "ok": codes.count(200),
                  "cpu_ms_per_lookup": round(cpu / count * 1000, 2),
                  "wall_ms_per_lookup": round(wall / count * 1000, 2),
                  "round_trips_per_lookup": round(trips / count, 2),
                  "sql_statements_per_lookup": round(statements / count, 2)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", type=Path, default=WORK / "people-large" / "setup.json")
    parser.add_argument("--code", help="PYTHONPATH of another checkout to measure")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N largest cumulative entries of a cProfile run")
    args = parser.parse_args()
    setup = json.loads(args.setup.read_text())
    env = {**os.environ, **setup["env"], "ROUEI_PEOPLE_API_RATE": "1000000/min"}
    if args.code:
        env["PYTHONPATH"] = args.code
    load_before = os.getloadavg()
    done = subprocess.run([sys.executable, "-c", MEASURE, str(args.setup), str(args.requests),
                           str(args.profile)],
                          env=env, check=True, capture_output=True, text=True,
                          cwd=args.code or None)  # this checkout would shadow PYTHONPATH
    if args.profile:
        print(done.stderr, file=sys.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update({"code": args.code or "this tree", "registry": setup["load"]["people"],
                   "load_average_before": [round(x, 2) for x in load_before],
                   "load_average_after": [round(x, 2) for x in os.getloadavg()],
                   "machine": machine()})
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
