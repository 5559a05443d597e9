"""Where a people import's time goes, stage by stage (issue 12).

    ROUEI_DATA_KEYS=… ROUEI_INDEX_KEYS=… uv run --group bench python bench/people_import_stages.py \
        --rows 100000 --db s14_imppipe_stages

Runs ``rouei.people.imports.run_import`` in this process on the realistic export of
``bench/people_registry.py`` (the same file, seed 12) into a fresh PostgreSQL database, with
each stage wrapped by a timer: wall time, this process's CPU (``time.process_time``: every
thread's, so with the writer thread the stages' CPU overlaps and the total is the process's)
and the CPU of the import's PostgreSQL backend (for the stages of the writing thread only) (``/proc/<pid>/stat`` read before and after the
stage). Times are exclusive: a stage's figures leave out the stages it calls. ``ROUEI_IMPORT_WORKERS``
applies as in the CLI.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people_registry import NAME_TABLES, in_process_import

_TICK = os.sysconf("SC_CLK_TCK")


class Stages:
    def __init__(self, backend_pid: int):
        self.pid = backend_pid
        self.totals: dict[str, list[float]] = {}
        self.local = threading.local()

    def backend_cpu(self) -> float:
        if threading.current_thread() is not threading.main_thread():
            return 0.0  # the preparing thread: PostgreSQL's CPU meanwhile is the writer's
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK

    def _stack(self) -> list:
        stack = getattr(self.local, "stack", None)
        if stack is None:
            stack = self.local.stack = []
        return stack

    def enter(self) -> None:
        self._stack().append([time.perf_counter(), time.thread_time(), self.backend_cpu(),
                              0.0, 0.0, 0.0])

    def leave(self, name: str) -> None:
        stack = self._stack()
        wall0, cpu0, pg0, cw, cc, cp = stack.pop()
        wall, cpu, pg = (time.perf_counter() - wall0, time.thread_time() - cpu0,
                         self.backend_cpu() - pg0)
        if stack:  # the parent leaves this stage out of its own figures
            stack[-1][3] += wall
            stack[-1][4] += cpu
            stack[-1][5] += pg
        total = self.totals.setdefault(name, [0.0, 0.0, 0.0, 0])
        total[0] += wall - cw
        total[1] += cpu - cc
        total[2] += pg - cp
        total[3] += 1

    def wrap(self, owner, attr: str, name: str | None = None) -> None:
        original = getattr(owner, attr)
        label = name or attr

        def timed(*args, **kwargs):
            self.enter()
            try:
                return original(*args, **kwargs)
            finally:
                self.leave(label)

        setattr(owner, attr, timed)

    def wrap_generator(self, owner, attr: str, name: str | None = None) -> None:
        original = getattr(owner, attr)
        label = name or attr
        stages = self

        def timed(*args, **kwargs):
            inner = original(*args, **kwargs)
            while True:
                stages.enter()
                try:
                    item = next(inner)
                except StopIteration:
                    return
                finally:
                    stages.leave(label)
                yield item

        setattr(owner, attr, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default="127.0.0.1")
    parser.add_argument("--db", default="rouei_bench_stages")
    parser.add_argument("--names", choices=NAME_TABLES, default="wide",
                        help="the export's name tables (narrow: sessions 10-14's file)")
    parser.add_argument("--gc", choices=("on", "freeze", "off"), default="on",
                        help="Python's cyclic garbage collector during the import")
    args = parser.parse_args()
    export, incident, user, backend = in_process_import(args.rows, args.names, args.db, args.pg,
                                                        "stages-data")
    import gc as gc_module

    from django.db import connection

    from rouei.people import bulk, imports, preparing
    from rouei.people.importing import open_source

    stages = Stages(backend)

    stages.wrap_generator(preparing, "_chunks", "read and parse the CSV (csv module)")
    stages.wrap(preparing, "_prepare", "prepare the rows (columnwise + C keys + AES-GCM)")
    stages.wrap(imports, "_write_batch", "writer's per-row Python (_write_batch rest)")
    for name in ("find_keys", "reserve_ids", "insert_people", "insert_keys", "write_key_run"):
        stages.wrap(bulk, name, f"bulk.{name}")
    for name in ("_unique_references", "_merge_into_existing"):
        stages.wrap(imports, name, f"imports.{name}")
    # The import's own collections of the young generations and the whole heap (its module's
    # ``gc`` only: the collections Python would make by itself are off during the import).
    import types

    collector = types.SimpleNamespace(**{n: getattr(gc_module, n) for n in dir(gc_module)
                                         if not n.startswith("__")})
    stages.wrap(collector, "collect", "gc.collect (the import's own)")
    imports.gc = collector
    original_commit = connection.commit

    def commit():
        stages.enter()
        try:
            return original_commit()
        finally:
            stages.leave("COMMIT")

    connection.commit = commit
    source = open_source(export)
    import gc

    if args.gc == "freeze":
        gc.freeze()
    elif args.gc == "off":
        gc.disable()
    stages.enter()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = imports.run_import(incident, source, actor=user, on_error="skip")
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    stages.leave("run_import rest (count, audit, filters)")
    rows = []
    for name, (w, c, p, n) in sorted(stages.totals.items(), key=lambda kv: -kv[1][0]):
        rows.append({"stage": name, "calls": n, "wall_s": round(w, 3), "client_cpu_s": round(c, 3),
                     "postgres_cpu_s": round(p, 3)})
    summary = {"rows": args.rows, "people": result.people, "merged": result.merged,
               "wall_s": round(wall, 2), "process_cpu_s": round(cpu, 2),
               "postgres_cpu_s": round(sum(r["postgres_cpu_s"] for r in rows), 2),
               "people_per_s": round(args.rows / wall),
               "peak_rss_mb": round(__import__("resource").getrusage(
                   __import__("resource").RUSAGE_SELF).ru_maxrss / 1024),
               "workers": os.environ.get(preparing.WORKERS_ENV, "(default)"),
               "load_average": [round(x, 2) for x in os.getloadavg()], "stages": rows}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    print("| stage | calls | wall s | client CPU s | PostgreSQL CPU s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['stage']} | {r['calls']} | {r['wall_s']:.2f} | {r['client_cpu_s']:.2f} | "
              f"{r['postgres_cpu_s']:.2f} |")


if __name__ == "__main__":
    main()
