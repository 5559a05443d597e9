"""Memory of a people import over the file's size (issue 12: "memory that does not grow with
the file").

    uv run --group bench python bench/people_import_memory.py --rows 300000 --tracemalloc-every 5
    uv run --group bench python bench/people_import_memory.py --rows 1000000
    uv run --group bench python bench/people_import_memory.py --rows 10000000 --cli

The export is ``bench/people_registry.py``'s (seed 12; ``--names wide``, the default, or
``narrow``, the 22 × 20 names of sessions 10-14), written once per size under
``$ROUEI_BENCH_DIR/people``. It is imported into a fresh PostgreSQL database ``--db`` (dropped
and created; ``--keep-db`` leaves it) with ``--on-error skip``:

- in this process (the default), through ``rouei.people.imports.run_import``, sampling after
  every batch (its progress call): the resident set (``/proc/self/status`` VmRSS) and its peak
  (VmHWM), glibc's heap (``mallinfo2``: bytes in use by ``malloc`` against bytes it holds,
  which tells objects kept from memory only fragmented), the wall and the CPU so far;
  ``--tracemalloc-every K`` also snapshots Python's allocations every K batches (tracemalloc
  slows the import several times over: its timings are not the import's) and prints what grew
  most since the first snapshot, by traceback; ``--trim`` calls ``malloc_trim(0)`` after
  every batch (to tell fragmentation apart);
- with ``--cli``, as ``rouei people import`` in a process of its own, whose resident set, CPU
  and how far into the file it has read (its descriptor's offset in ``/proc/<pid>/fdinfo``) are sampled every
  ``--every`` seconds.

Prints the curve (every ``--print-every`` rows) and the growth of the resident set from a
fifth of the file to its end in MB per million rows; writes the JSON to
``$ROUEI_BENCH_DIR/results/people_import_memory_<rows>_<names>[_cli].json``.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine, rouei_command
from people_registry import (
    HEADER,
    NAME_TABLES,
    _BackendCpu,
    export_path,
    export_rows,
    psql,
    write_export,
)

MB = 1 << 20


def status_kb(pid: str = "self") -> dict[str, int]:
    """VmRSS, VmHWM (and the rest of ``/proc/<pid>/status``'s sizes) in kB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name.startswith(("Vm", "Rss")):
            found[name] = int(value.split()[0])
    return found


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


_libc = ctypes.CDLL("libc.so.6")
_libc.mallinfo2.restype = _Mallinfo2


def heap() -> dict[str, float]:
    """glibc's heap in MB: ``in_use`` (allocated by malloc and not freed, mmapped blocks
    included), ``free_held`` (freed but kept in its arenas: fragmentation, given back only by
    a trim) and ``mmapped``. Summed over every arena (mallinfo2)."""
    info = _libc.mallinfo2()
    return {"in_use_mb": round((info.uordblks + info.hblkhd) / MB, 1),
            "free_held_mb": round(info.fordblks / MB, 1),
            "mmapped_mb": round(info.hblkhd / MB, 1)}


def create_database(db: str, pg: str) -> dict[str, str]:
    psql(f"DROP DATABASE IF EXISTS {db}", pg=pg)
    psql(f"CREATE DATABASE {db}", pg=pg)
    data_dir = WORK / "people" / f"{db}-data"
    subprocess.run(["rm", "-rf", str(data_dir)], check=True)
    data_dir.mkdir(parents=True)
    return {"DATABASE_URL": f"postgres://postgres@{pg}:5432/{db}",
            "ROUEI_DATA_DIR": str(data_dir), "ROUEI_REQUIRE_MFA": "0",
            "DJANGO_SETTINGS_MODULE": "rouei.config.settings"}


SETUP = ("import django; django.setup()\n"
         "from django.core.management import call_command\n"
         "call_command('migrate', verbosity=0)\n"
         "from django.contrib.auth import get_user_model\n"
         "from rouei.incidents import actions\n"
         "u = get_user_model().objects.create_user('bench', password='x' * 20)\n"
         "i = actions.do_create_incident(title='bench', facts={}, actor=u)\n"
         "print(i.pk)\n")


def slope_mb_per_million(points: list[tuple[int, float]], start_fraction: float = 0.2) -> float:
    """Least-squares growth (MB per million rows) of (rows, MB) from ``start_fraction`` of the
    rows on: the start-up and the first batches (interpreter, caches filling) left out."""
    last = max(r for r, _ in points)
    kept = [(r, m) for r, m in points if r >= last * start_fraction]
    if len(kept) < 2:
        return 0.0
    n = len(kept)
    mean_r = sum(r for r, _ in kept) / n
    mean_m = sum(m for _, m in kept) / n
    var = sum((r - mean_r) ** 2 for r, _ in kept)
    if not var:
        return 0.0
    cov = sum((r - mean_r) * (m - mean_m) for r, m in kept)
    return round(cov / var * 1e6, 1)


def pymalloc() -> dict[str, float]:
    """Python's own allocator (``sys._debugmallocstats``, which writes to the C stderr): MB of
    its arenas held (1 MiB each, given back only when wholly free) and MB of blocks in use in
    them. Arenas growing while the blocks in use do not: fragmentation."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read()
    found = {}
    for line in text.splitlines():
        name, _, value = line.partition("=")
        name = name.strip()
        if name in ("# arenas allocated current", "# bytes in allocated blocks"):
            found[name] = int(value.strip().replace(",", ""))
    return {"pymalloc_arenas_mb": round(found.get("# arenas allocated current", 0)
                                        * (1 << 20) / MB, 1),
            "pymalloc_in_use_mb": round(found.get("# bytes in allocated blocks", 0) / MB, 1)}


def cache_entries() -> dict[str, int]:
    """Entries held by each of the import's caches of normalised values (each bounded by its
    size)."""
    from rouei.people import bulk, columnwise, importing, registry
    from rouei.scanning import identity

    caches = {"name_key": registry.name_key, "kana_key": registry.kana_key,
              "registry_birth": registry._birth_date, "birth_cell": columnwise._birth_cell,
              "importing_birth": importing._birth_date,
              "importing_postal": importing._postal_code, "address": identity.address,
              "items_json": bulk._items_json}
    return {name: c.cache_info().currsize for name, c in caches.items()
            if hasattr(c, "cache_info")}


def type_counts(limit: int) -> dict[str, int]:
    """Live objects the collector tracks, by type, the ``limit`` most numerous."""
    import gc
    from collections import Counter

    counts = Counter(type(o).__name__ for o in gc.get_objects())
    return dict(counts.most_common(limit))


def _filled(function, size: int):
    """``function`` cached in a dict that takes new values until it holds ``size`` and then only
    answers from what it holds (no eviction): an experiment against ``lru_cache``'s churn."""
    held: dict = {}

    def cached(value):
        found = held.get(value, held)
        if found is held:
            found = function(value)
            if len(held) < size:
                held[value] = found
        return found

    return cached


class _Tracer:
    """tracemalloc over an import, for ``--tracemalloc-every K``: started with the import, or
    at the first batch past ``--tracemalloc-from ROWS`` (what is allocated before it is not
    traced, and the import runs at full speed until then); a snapshot every K batches from
    then on, the first listing what is alive, each later one what grew since the first, by
    traceback. Each snapshot's top is also written to ``live`` as it is taken (a run stopped
    before its end still shows it)."""

    def __init__(self, args, live=None):
        import tracemalloc

        self._tm = tracemalloc
        self.every, self.start_rows = args.tracemalloc_every, args.tracemalloc_from
        self.frames, self.top = args.frames, args.top
        self.live = live
        self.first = None
        self.growth: list[dict] = []
        self._batches = 0
        if self.every and not self.start_rows:
            tracemalloc.start(self.frames)

    def sample(self, rows: int, point: dict) -> None:
        tm = self._tm
        if not self.every:
            return
        if not tm.is_tracing():
            if rows < self.start_rows:
                return
            tm.start(self.frames)
            self._batches = -1  # a snapshot at once: the baseline
        self._batches += 1
        if self._batches % self.every:
            return
        snapshot = tm.take_snapshot().filter_traces([tm.Filter(False, tm.__file__)])
        traced, peak = tm.get_traced_memory()
        point["traced_mb"] = round(traced / MB, 1)
        point["traced_peak_mb"] = round(peak / MB, 1)  # since the last snapshot
        tm.reset_peak()
        if self.first is None:
            self.first = snapshot
            entry = {"rows": rows, "alive": True, "top": [
                _stat(s.size, s.count, s.traceback)
                for s in snapshot.statistics("traceback")[:self.top]]}
        else:
            entry = {"rows": rows, "traced_mb": point["traced_mb"], "top": [
                _stat(s.size_diff, s.count_diff, s.traceback)
                for s in snapshot.compare_to(self.first, "traceback")[:self.top]]}
        self.growth.append(entry)
        if self.live is not None:
            self.live.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.live.flush()


def _stat(size: int, count: int, traceback) -> dict:
    return {"size_diff_kb": round(size / 1024), "count_diff": count,
            "traceback": [f"{f.filename.split('site-packages/')[-1]}:{f.lineno}"
                          for f in traceback]}


def stages(args, export: Path) -> dict:
    """The import's work up to the database, no database: ``read`` (the CSV's rows),
    ``prepare`` (``preparing.prepared_batches`` through the import's reading thread, as
    ``run_import`` takes them) or ``write`` (and ``imports._write_batch`` on each batch, its
    merging, Bloom filter and COPY data built, with ``bulk``'s calls to PostgreSQL answered
    here: no key found, ids counted, the COPY data dropped). Sampled as ``in_process`` does,
    with ``sys.getallocatedblocks`` (Python's objects alive) beside the resident set."""
    from types import SimpleNamespace

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rouei.config.settings")
    os.environ.setdefault("ROUEI_DATA_DIR", str(WORK / "people" / "stages-data"))
    Path(os.environ["ROUEI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    django.setup()
    from rouei.people import bulk, imports, preparing
    from rouei.people.importing import open_source

    if args.caches == "fill":
        from rouei.people import columnwise, registry
        from rouei.scanning import identity

        registry.name_key = _filled(identity.name, 1 << 16)
        registry.kana_key = _filled(identity.kana, 1 << 16)
        columnwise._birth_cell = _filled(identity.birth_date, 1 << 16)
        columnwise._birth_key = _filled(identity.birth_date, 1 << 16)
    source = open_source(export)
    curve: list[dict] = []
    types: list[dict] = []
    if args.stages == "read":
        def batches():
            for rows, (_number, _cells, read) in enumerate(source.rows(), start=1):
                if rows % imports.BATCH_ROWS == 0:
                    yield [], [], imports.BATCH_ROWS, read
    else:
        def batches():
            yield from imports.Ahead(preparing.prepared_batches(source, imports.BATCH_ROWS))
    if args.stages == "write":
        ids = iter(range(1, 1 << 62))
        # The held keys are searched as the import does, but nothing is found (a person of
        # an earlier batch would be read from the database to merge into).
        bulk.find_keys = lambda incident_id, wanted, held=None: (
            held is not None and held.find(wanted)) and []
        bulk.reserve_ids = lambda count: [next(ids) for _ in range(count)]
        bulk._copy = _copy_dropped
        bulk._bigint_keys = lambda: True
        bulk.connection = SimpleNamespace(vendor="postgresql")
    incident = SimpleNamespace(pk=1)
    seen = preparing.SeenDigests.for_size(source.size)
    held = bulk.HeldKeys(incident.pk, imports.key_run_rows())
    result = imports.ImportResult()
    # The curve as it is sampled, a line each: a run stopped before its end still shows it.
    results = WORK / "results"
    results.mkdir(parents=True, exist_ok=True)
    stem = f"people_import_memory_{args.rows}_stages_{args.stages}_{args.caches}{args.label}"
    live = (results / f"{stem}.curve.jsonl").open("w")
    tracer = _Tracer(args, (results / f"{stem}.tracemalloc.jsonl").open("w"))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    imports._pause_collector()
    import gc
    for done, (keyed, errors, rows, read) in enumerate(batches(), start=1):
        for number, error in errors:
            result.rejected.add(number, error.reason)
        result.rows += rows
        if args.stages == "write":
            imports._write_batch(incident, keyed, result, None, seen, held)
            if held.full:
                held.flush()
        del keyed, errors
        if done % imports.FULL_COLLECTION_BATCHES == 0:
            gc.collect()
        vm = status_kb()
        point = {"rows": result.rows, "bytes": read, "rss_mb": round(vm["VmRSS"] / 1024, 1),
                 "anon_mb": round(vm["RssAnon"] / 1024, 1), **heap(),
                 "py_blocks": sys.getallocatedblocks(),
                 "wall_s": round(time.perf_counter() - wall0, 2),
                 "cpu_s": round(time.process_time() - cpu0, 2)}
        if args.type_counts_every and done % args.type_counts_every == 0:
            point.update(pymalloc())
            point["cache_entries"] = cache_entries()
            types.append({"rows": result.rows, "types": type_counts(args.top)})
        tracer.sample(result.rows, point)
        curve.append(point)
        live.write(json.dumps(point) + "\n")
        live.flush()
        if args.max_rows and result.rows >= args.max_rows:
            break
    imports._resume_collector()
    live.close()
    return {"mode": f"stages without a database: {args.stages}",
            "wall_s": round(time.perf_counter() - wall0, 1),
            "cpu_s": round(time.process_time() - cpu0, 1),
            "result": {"rows": result.rows, "imported": result.imported,
                       "merged": result.merged, "rejected": len(result.rejected)},
            "peak_rss_mb": round(status_kb()["VmHWM"] / 1024, 1),
            "curve": curve, "tracemalloc_growth": tracer.growth, "type_counts": types}


def _copy_dropped(model, columns, data, binary=False) -> None:
    """``bulk._copy`` without a database: the data made (a generator run to its end) and
    dropped, so that its memory is allocated and freed as the real COPY's is."""
    for _part in ([data] if isinstance(data, str | bytes) else data):
        pass


class _Stopped(Exception):
    """``--max-rows`` reached: the import is stopped (and rolled back)."""


def in_process(args, export: Path, env: dict[str, str]) -> dict:
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from rouei.incidents import actions
    from rouei.people import imports
    from rouei.people.importing import open_source

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="x" * 20)
    incident = actions.do_create_incident(title="bench", facts={}, actor=user)
    if args.count_statements:  # as before session 16: psycopg keeps the statements it counts
        import contextlib

        imports._statements_not_counted = contextlib.nullcontext
    from django.db import connection

    backends = _BackendCpu(env["DATABASE_URL"])
    curve: list[dict] = []
    types: list[dict] = []
    state = {"batches": 0, "released": 0, "release_cpu_s": 0.0}
    release = getattr(imports, "release_freed_memory", None)
    if release is not None:  # the time the import spends giving memory back, counted
        def timed_release() -> None:
            started = time.process_time()
            release()
            state["released"] += 1
            state["release_cpu_s"] += time.process_time() - started

        imports.release_freed_memory = timed_release
    results = WORK / "results"
    results.mkdir(parents=True, exist_ok=True)
    stem = f"people_import_memory_{args.rows}_{args.names}_in_process{args.label}"
    live = (results / f"{stem}.curve.jsonl").open("w")
    tracer = _Tracer(args, (results / f"{stem}.tracemalloc.jsonl").open("w"))
    wall0, cpu0 = time.perf_counter(), time.process_time()

    def progress(rows: int, done: int) -> None:
        state["batches"] += 1
        if args.trim:
            _libc.malloc_trim(0)
        vm = status_kb()
        counted = connection.connection._prepared._counts  # psycopg's statements counted
        point = {"rows": rows, "bytes": done, "rss_mb": round(vm["VmRSS"] / 1024, 1),
                 "hwm_mb": round(vm["VmHWM"] / 1024, 1),
                 "statements_counted_kb": round(sum(len(k[0]) for k in counted) / 1024),
                 "anon_mb": round(vm["RssAnon"] / 1024, 1),
                 "file_mb": round(vm["RssFile"] / 1024, 1), **heap(),
                 "wall_s": round(time.perf_counter() - wall0, 2),
                 "cpu_s": round(time.process_time() - cpu0, 2)}
        point["py_blocks"] = sys.getallocatedblocks()
        if args.type_counts_every and state["batches"] % args.type_counts_every == 0:
            point.update(pymalloc())
            point["cache_entries"] = cache_entries()
            types.append({"rows": rows, "types": type_counts(args.top)})
        tracer.sample(rows, point)
        curve.append(point)
        live.write(json.dumps(point) + "\n")
        live.flush()
        if args.max_rows and rows >= args.max_rows:
            raise _Stopped  # the transaction rolls back

    try:
        result = imports.run_import(incident, open_source(export), actor=user,
                                    on_error="skip", progress=progress)
    except _Stopped:
        result = imports.ImportResult(rows=curve[-1]["rows"])
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    backends.stop()
    return {"mode": "in-process run_import", "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "postgres_backend_cpu_s": round(backends.seconds, 1),
            "people_per_s": round(args.rows / wall),
            "memory_released": state["released"],
            "release_cpu_s": round(state["release_cpu_s"], 3),
            "result": {k: v for k, v in result.to_dict().items() if k != "rejected"}
            | {"rejected": len(result.rejected)},
            "peak_rss_mb": round(status_kb()["VmHWM"] / 1024, 1),
            "curve": curve, "tracemalloc_growth": tracer.growth, "type_counts": types}


def cli(args, export: Path, env: dict[str, str]) -> dict:
    import psutil

    full_env = {**os.environ, **env}
    incident_id = subprocess.run([sys.executable, "-c", SETUP], env=full_env, check=True,
                                 capture_output=True, text=True).stdout.split()[-1]
    out = WORK / "results" / f"people_import_memory_{args.rows}_{args.names}_cli.out.json"
    out.parent.mkdir(parents=True, exist_ok=True)  # a fresh bench folder has none yet
    old = dict(os.environ)
    os.environ.update(env)
    backends = _BackendCpu(env["DATABASE_URL"])
    os.environ.clear()
    os.environ.update(old)
    size = export.stat().st_size
    curve: list[dict] = []
    # The curve as it is sampled, a line each: a run stopped before its end still shows it.
    live = out.with_name(out.name.replace(".out.json", ".curve.jsonl")).open("w")
    wall0 = time.perf_counter()
    with out.open("w") as handle, live:
        child = subprocess.Popen([*rouei_command(), "people", "import", incident_id,
                                  str(export), "--on-error", "skip", "--json"],
                                 env=full_env, stdout=handle)
        process = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            try:
                # the largest process of the tree (``rouei`` may run the import in a child)
                tree = [process, *process.children(recursive=True)]
                biggest = max(tree, key=lambda p: p.memory_info().rss)
                rss = biggest.memory_info().rss
                cpu = sum(sum(p.cpu_times()[:2]) for p in tree)
                read = _file_position(biggest.pid, export)
            except (psutil.Error, OSError, StopIteration):
                time.sleep(args.every)
                continue
            peak = max(peak, rss)
            curve.append({"wall_s": round(time.perf_counter() - wall0, 1),
                          "rss_mb": round(rss / MB, 1), "cpu_s": round(cpu, 1),
                          "read_fraction": round(min(read / size, 1.0), 4),
                          "rows_estimate": int(args.rows * min(read / size, 1.0))})
            live.write(json.dumps(curve[-1]) + "\n")
            live.flush()
            time.sleep(args.every)
    wall = time.perf_counter() - wall0
    backends.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    answer = json.loads(out.read_text() or "{}")
    return {"mode": "rouei people import (CLI)", "returncode": child.returncode,
            "wall_s": round(wall, 1),
            "cpu_s": round(children.ru_utime + children.ru_stime, 1),
            "postgres_backend_cpu_s": round(backends.seconds, 1),
            "people_per_s": round(args.rows / wall),
            "peak_rss_mb_sampled": round(peak / MB, 1),
            "peak_rss_mb_children_maxrss": round(children.ru_maxrss / 1024, 1),
            "result": {k: v for k, v in answer.items() if k != "rejected"}
            | {"rejected": len(answer.get("rejected", []))},
            "curve": curve}


def write_bad_export(path: Path, rows: int, names: str, every: int) -> None:
    """The export with every ``every``-th row's e-mail cell unreadable (the import skips the
    row, ``bad_email``): a file whose rejected rows grow with it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for at, row in enumerate(export_rows(rows, names=names), start=1):
            if at % every == 0:
                row[HEADER.index("メールアドレス")] = "no-at-sign.example"
            writer.writerow(row)


def _file_position(pid: int, path: Path) -> int:
    """How far process ``pid`` has read into ``path`` (its descriptor's offset)."""
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) == str(path):
                text = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
                return int(text.split("pos:")[1].split()[0])
        except OSError:
            continue
    raise StopIteration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--names", choices=NAME_TABLES, default="wide")
    parser.add_argument("--pg", default="127.0.0.1")
    parser.add_argument("--db", default="s15_impmem_memory")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--cli", action="store_true", help="rouei people import, sampled")
    parser.add_argument("--every", type=float, default=1.0, help="--cli: seconds per sample")
    parser.add_argument("--tracemalloc-every", type=int, default=0, metavar="K")
    parser.add_argument("--tracemalloc-from", type=int, default=0, metavar="ROWS",
                        help="start tracemalloc at the first batch past ROWS (0: at once)")
    parser.add_argument("--frames", type=int, default=6, help="tracemalloc's traceback depth")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--trim", action="store_true", help="malloc_trim(0) after every batch")
    parser.add_argument("--bad-every", type=int, default=0, metavar="N",
                        help="every N-th row with an unreadable e-mail (rejected rows)")
    parser.add_argument("--print-every", type=int, default=0, metavar="ROWS")
    parser.add_argument("--count-statements", action="store_true",
                        help="let psycopg count (and keep) the import's statements, as "
                             "before session 16")
    parser.add_argument("--stages", choices=("read", "prepare", "write"),
                        help="no database: the import's work up to it (see ``stages``)")
    parser.add_argument("--type-counts-every", type=int, default=0, metavar="K",
                        help="count live objects by type (and Python's arenas) every K "
                             "batches")
    parser.add_argument("--caches", choices=("lru", "fill"), default="lru",
                        help="--stages: the normalisation caches as they are (lru) or filled "
                             "once and never evicted (fill: an experiment)")
    parser.add_argument("--max-rows", type=int, default=0,
                        help="stop after this many rows of the file (in process or --stages)")
    parser.add_argument("--label", default="",
                        help="a suffix for the result files (runs of one size side by side)")
    parser.add_argument("--export", type=Path,
                        help="this file instead of the generated export (--rows: its rows)")
    args = parser.parse_args()

    export = args.export or export_path(args.rows, args.names)
    if args.bad_every:
        export = export.with_name(f"{export.stem}_bad{args.bad_every}.csv")
    if not export.exists():
        export.parent.mkdir(parents=True, exist_ok=True)
        partial = export.with_suffix(".partial")
        if args.bad_every:
            write_bad_export(partial, args.rows, args.names, args.bad_every)
        else:
            write_export(partial, args.rows, names=args.names)
        partial.rename(export)
    load_before = [round(x, 2) for x in os.getloadavg()]
    if args.stages:
        run = stages(args, export)
    else:
        run = measured_import(args, export)
    run.update({"rows": args.rows, "names": args.names, "file_mb": round(export.stat().st_size
                                                                           / 1e6, 1),
                "load_average_before": load_before,
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "env": {k: os.environ[k] for k in ("MALLOC_ARENA_MAX", "ROUEI_IMPORT_WORKERS")
                        if k in os.environ},
                "trim": args.trim, "machine": machine()})
    report(args, run)


def measured_import(args, export: Path) -> dict:
    env = create_database(args.db, args.pg)
    try:
        return cli(args, export, env) if args.cli else in_process(args, export, env)
    finally:
        if not args.keep_db:
            if not args.cli:
                from django.db import connections

                connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)", pg=args.pg)


def report(args, run: dict) -> None:
    rows_key = "rows" if not args.cli else "rows_estimate"
    points = [(p[rows_key], p["rss_mb"]) for p in run["curve"]]
    run["rss_growth_mb_per_million_rows"] = slope_mb_per_million(points) if points else None
    if not args.cli:
        if run["curve"] and "py_blocks" in run["curve"][-1]:
            run["python_blocks_growth_per_million_rows"] = round(slope_mb_per_million(
                [(p["rows"], p["py_blocks"] / 1e3) for p in run["curve"]]) * 1e3)
        run["heap_in_use_growth_mb_per_million_rows"] = slope_mb_per_million(
            [(p["rows"], p["in_use_mb"]) for p in run["curve"]])
    results = WORK / "results"
    results.mkdir(parents=True, exist_ok=True)
    name = (f"people_import_memory_{args.rows}_{args.names}"
            f"{f'_bad{args.bad_every}' if args.bad_every else ''}{'_cli' if args.cli else ''}"
            f"{f'_stages_{args.stages}_{args.caches}' if args.stages else ''}{args.label}"
            ".json")
    (results / name).write_text(json.dumps(run, indent=1, ensure_ascii=False))
    every = args.print_every or max(args.rows // 20, 1)
    shown, next_at = [], 0
    for point in run["curve"]:
        if point[rows_key] >= next_at:
            shown.append(point)
            next_at = point[rows_key] + every
    summary = {k: v for k, v in run.items()
               if k not in ("curve", "tracemalloc_growth", "type_counts")}
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    for point in shown + run["curve"][-1:]:
        print(json.dumps(point))
    types = run.get("type_counts", [])
    if len(types) > 1:
        first, last = types[0], types[-1]
        print(f"-- objects by type, {first['rows']:,} → {last['rows']:,} rows: "
              + ", ".join(f"{name} {first['types'].get(name, 0):,} → {count:,}"
                          for name, count in last["types"].items()))
    growth = run.get("tracemalloc_growth", [])
    for entry in growth[:1] + growth[1:][-1:]:
        print(f"-- tracemalloc at {entry['rows']:,} rows: "
              + ("alive" if entry.get("alive") else "grown since the first snapshot"))
        for top in entry["top"]:
            print(f"{top['size_diff_kb']:>8} kB {top['count_diff']:>+8}  "
                  + " <- ".join(reversed(top["traceback"][-4:])))
    print(f"→ {results / name}")


if __name__ == "__main__":
    main()
