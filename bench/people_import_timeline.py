"""When a people import's client and its PostgreSQL backend are busy, and where one waits for
the other (issue 12).

    ROUEI_DATA_KEYS=… ROUEI_INDEX_KEYS=… ROUEI_IMPORT_WORKERS=0 uv run --group bench \
        python bench/people_import_timeline.py --rows 100000 --names narrow --db s18_impdb_tl

Runs ``rouei.people.imports.run_import`` in this process on the export of
``bench/people_registry.py`` (the same file, seed 12) into a fresh PostgreSQL database. A
sampling thread reads every ``--every`` seconds (default 0.05) the CPU (user+sys,
``/proc/.../stat``) of the importing thread, of the preparing thread (``rouei-import-prepare``),
of the whole process and of the import's PostgreSQL backend. The import's own calls mark its
phases: the first batch handed to the writer, each batch written, each key run's COPY
(``bulk.write_key_run``), the last call of ``HeldKeys.flush`` (the final key run) and the COMMIT.
Prints each phase's wall and CPU, the time the writer waited for a batch, and the timeline in
bins of ``--bin`` seconds. Works with any checkout that has these names (the figures of a
checkout without one leave its phase out).
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
from people_registry import NAME_TABLES, in_process_import, psql

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu(path: str) -> float | None:
    try:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


class Sampler:
    """CPU seconds of the writer thread, the preparing thread, the process and the backend."""

    def __init__(self, backend_pid: int, every: float):
        self.backend = backend_pid
        self.every = every
        self.writer = threading.get_native_id()
        self.samples: list[tuple[float, float, float, float, float]] = []
        self.prepare_tid: int | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="timeline-sampler")

    def _prepare_cpu(self) -> float:
        if self.prepare_tid is None:
            for t in threading.enumerate():
                if t.name == "rouei-import-prepare" and t.native_id:
                    self.prepare_tid = t.native_id
        if self.prepare_tid is None:
            return 0.0
        found = _cpu(f"/proc/self/task/{self.prepare_tid}/stat")
        if found is None:  # the thread has ended: keep its last figure
            return self.samples[-1][2] if self.samples else 0.0
        return found

    def sample(self) -> None:
        self.samples.append((time.perf_counter(), _cpu(f"/proc/self/task/{self.writer}/stat"),
                             self._prepare_cpu(), _cpu("/proc/self/stat"),
                             _cpu(f"/proc/{self.backend}/stat")))

    def _run(self) -> None:
        while not self.done.is_set():
            self.sample()
            time.sleep(self.every)

    def start(self) -> None:
        self.sample()
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join()
        self.sample()

    def at(self, moment: float) -> tuple[float, float, float, float]:
        """The four CPU figures at ``moment``, interpolated between the samples around it."""
        s = self.samples
        lo, hi = 0, len(s) - 1
        if moment <= s[0][0]:
            return s[0][1:]
        if moment >= s[-1][0]:
            return s[-1][1:]
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if s[mid][0] <= moment:
                lo = mid
            else:
                hi = mid
        a, b = s[lo], s[hi]
        share = (moment - a[0]) / (b[0] - a[0]) if b[0] > a[0] else 0.0
        return tuple(x + (y - x) * share for x, y in zip(a[1:], b[1:], strict=True))


class Marks:
    def __init__(self):
        self.intervals: dict[str, list[tuple[float, float]]] = {}

    def wrap(self, owner, attr: str, name: str) -> bool:
        original = getattr(owner, attr, None)
        if original is None:
            return False
        marks = self

        def marked(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                marks.intervals.setdefault(name, []).append((start, time.perf_counter()))

        setattr(owner, attr, marked)
        return True

    def wrap_iterator(self, owner, attr: str, name: str) -> None:
        """The time the consumer of ``owner.attr``'s iterator waits for each item."""
        original = getattr(owner, attr)
        marks = self

        def marked(self_, *args, **kwargs):
            inner = original(self_, *args, **kwargs)
            while True:
                start = time.perf_counter()
                try:
                    item = next(inner)
                except StopIteration:
                    return
                finally:
                    marks.intervals.setdefault(name, []).append((start, time.perf_counter()))
                yield item

        setattr(owner, attr, marked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default="127.0.0.1")
    parser.add_argument("--db", default="rouei_bench_timeline")
    parser.add_argument("--names", choices=NAME_TABLES, default="wide")
    parser.add_argument("--every", type=float, default=0.05, help="seconds between samples")
    parser.add_argument("--bin", type=float, default=0.5, help="seconds a bin of the timeline")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the database (else dropped)")
    args = parser.parse_args()
    export, incident, user, backend = in_process_import(args.rows, args.names, args.db, args.pg,
                                                        "timeline-data")
    from django.db import connection

    from rouei.people import bulk, imports
    from rouei.people.importing import open_source

    marks = Marks()
    marks.wrap(imports, "_write_batch", "batch written")
    marks.wrap(bulk, "write_key_run", "key COPY")
    marks.wrap(bulk.HeldKeys, "flush", "flush")
    marks.wrap_iterator(imports.Ahead, "__iter__", "writer waits for a batch")
    original_commit = connection.commit

    def commit():
        start = time.perf_counter()
        try:
            return original_commit()
        finally:
            marks.intervals.setdefault("COMMIT", []).append((start, time.perf_counter()))

    connection.commit = commit
    source = open_source(export)
    sampler = Sampler(backend, args.every)
    load_before = os.getloadavg()
    sampler.start()
    began = time.perf_counter()
    result = imports.run_import(incident, source, actor=user, on_error="skip")
    ended = time.perf_counter()
    sampler.stop()
    load_after = os.getloadavg()

    iv = marks.intervals
    waits = iv.get("writer waits for a batch", [])
    first_batch = waits[0][1] if waits else began
    last_batch = iv["batch written"][-1][1] if iv.get("batch written") else first_batch
    final = iv["flush"][-1] if iv.get("flush") else (last_batch, last_batch)
    commit_end = iv["COMMIT"][-1][1] if iv.get("COMMIT") else ended
    phases = [("start: until the first batch reaches the writer", began, first_batch),
              ("the batches: first batch in → last batch written", first_batch, last_batch),
              ("between the last batch and the final key run", last_batch, final[0]),
              ("the final key run (last HeldKeys.flush)", final[0], final[1]),
              ("after it: count, audit event, COMMIT", final[1], max(commit_end, ended))]
    rows = []
    for name, start, end in phases:
        a, b = sampler.at(start), sampler.at(end)
        rows.append({"phase": name, "wall_s": round(end - start, 3),
                     "writer_cpu_s": round(b[0] - a[0], 3),
                     "prepare_cpu_s": round(b[1] - a[1], 3),
                     "process_cpu_s": round(b[2] - a[2], 3),
                     "postgres_cpu_s": round(b[3] - a[3], 3)})
    total_a, total_b = sampler.at(began), sampler.at(max(commit_end, ended))
    key_copies = iv.get("key COPY", [])
    summary = {
        "rows": args.rows, "people": result.people, "merged": result.merged,
        "wall_s": round(max(commit_end, ended) - began, 2),
        "writer_cpu_s": round(total_b[0] - total_a[0], 2),
        "prepare_cpu_s": round(total_b[1] - total_a[1], 2),
        "process_cpu_s": round(total_b[2] - total_a[2], 2),
        "postgres_cpu_s": round(total_b[3] - total_a[3], 2),
        "writer_waited_for_batches_s": round(sum(e - s for s, e in waits), 2),
        "key_copies": len(key_copies),
        "key_copies_wall_s": round(sum(e - s for s, e in key_copies), 2),
        "key_copies_after_last_batch_wall_s": round(
            sum(e - max(s, last_batch) for s, e in key_copies if e > last_batch), 2),
        "batches": len(iv.get("batch written", [])),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "phases": rows,
    }
    bins = []
    t = began
    while t < max(commit_end, ended) - 1e-9:
        end = min(t + args.bin, max(commit_end, ended))
        a, b = sampler.at(t), sampler.at(end)
        span = end - t
        bins.append({"from_s": round(t - began, 2), "to_s": round(end - began, 2),
                     "writer": round((b[0] - a[0]) / span, 2),
                     "prepare": round((b[1] - a[1]) / span, 2),
                     "process": round((b[2] - a[2]) / span, 2),
                     "postgres": round((b[3] - a[3]) / span, 2),
                     "key_copy": any(s < end and e > t for s, e in key_copies)})
        t = end
    summary["timeline"] = bins
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    if args.json:
        args.json.write_text(text)
    print(json.dumps({k: v for k, v in summary.items() if k not in ("phases", "timeline")},
                     ensure_ascii=False))
    print("\n| phase | wall s | writer CPU s | preparing CPU s | process CPU s | PostgreSQL CPU s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['phase']} | {r['wall_s']:.2f} | {r['writer_cpu_s']:.2f} | "
              f"{r['prepare_cpu_s']:.2f} | {r['process_cpu_s']:.2f} | {r['postgres_cpu_s']:.2f} |")
    print("\n| seconds | writer | preparing | process | PostgreSQL | key COPY |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in bins:
        print(f"| {r['from_s']:.1f}–{r['to_s']:.1f} | {r['writer']:.2f} | {r['prepare']:.2f} | "
              f"{r['process']:.2f} | {r['postgres']:.2f} | {'yes' if r['key_copy'] else ''} |")
    if not args.keep:
        connection.close()
        psql(f"DROP DATABASE IF EXISTS {args.db}", pg=args.pg)


if __name__ == "__main__":
    main()
