"""Peak memory of counting distinct people (``PeopleCounter``) on synthetic rows.

Each measurement runs in its own process (peak RSS sampled with psutil by ``common.run_timed``,
and the child's own ``ru_maxrss``): synthetic batches of 100,000 rows with a name, birth date,
phone, address, e-mail and card number (five identity keys a row; every 50th row repeats the
previous person, so 2% of the rows link) are added to a counter, then ``count()`` runs. A floor
row (the same batches, no counter) shows what the interpreter, polars and the batches take.

    uv run --group bench python bench/people_memory.py                 # 1M and 5M rows
    uv run --group bench python bench/people_memory.py --rows 1000000 --impl HEAD~1
    uv run --group bench python bench/people_memory.py --memory 64M    # a smaller budget

``--impl REV`` measures rouei/scanning/people.py as it was at git revision REV (e.g. the
in-memory counter before the bounded one) next to the working tree's.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, WORK, machine, markdown_table, run_timed, save_json

BATCH = 100_000


def batches(rows: int):
    import numpy as np
    import polars as pl
    for start in range(0, rows, BATCH):
        ids = np.arange(start, min(rows, start + BATCH), dtype=np.int64)
        person = ids - (ids % 50 == 0) * (ids > 0)  # every 50th row is the previous person
        p = pl.Series("p", person)
        s = p.cast(pl.Utf8)
        yield pl.DataFrame({
            "person_name": "山田" + s + "子",
            "birth_date": (19500101 + p % 500000).cast(pl.Utf8),
            "phone": ("090" + (10_000_000 + p).cast(pl.Utf8)),
            "address": ("東京都千代田区" + (p % 9 + 1).cast(pl.Utf8) + "-" + s),
            "email": ("user" + s + "@example.jp"),
            "credit_card": (4_000_000_000_000_000 + p).cast(pl.Utf8),
        })


def child(rows: int, impl: str, memory: str | None, out: str) -> None:
    started = time.perf_counter()
    if impl == "none":
        counter = None
    else:
        if impl == "current":
            from rouei.scanning.people import PeopleCounter
        else:
            spec = importlib.util.spec_from_file_location("people_at_rev", impl)
            module = importlib.util.module_from_spec(spec)
            sys.modules["people_at_rev"] = module
            spec.loader.exec_module(module)
            PeopleCounter = module.PeopleCounter
        counter = PeopleCounter(memory=memory) if memory and impl == "current" else PeopleCounter()
    for batch in batches(rows):
        if counter is not None:
            counter.add(batch)
    added = time.perf_counter()
    result = counter.count().to_dict() if counter is not None else None
    done = time.perf_counter()
    Path(out).write_text(json.dumps({
        "result": result, "add_s": round(added - started, 2), "count_s": round(done - added, 2),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "spilled_runs": getattr(counter, "spilled", None)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 5_000_000])
    parser.add_argument("--impl", action="append", default=[],
                        help="also measure people.py at this git revision")
    parser.add_argument("--memory", help="ROUEI_SCAN_MEMORY for the current counter")
    parser.add_argument("--child", nargs=4, metavar=("ROWS", "IMPL", "MEMORY", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        rows, impl, memory, out = args.child
        child(int(rows), impl, None if memory == "-" else memory, out)
        return
    results_dir = WORK / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    impls = [("floor (batches only)", "none"), ("current", "current")]
    with tempfile.TemporaryDirectory(prefix="rouei-people-bench-") as tmp:
        for rev in args.impl:
            path = Path(tmp) / f"people_{rev.replace('/', '_').replace('~', '_')}.py"
            path.write_text(subprocess.run(["git", "show", f"{rev}:rouei/scanning/people.py"],
                                           cwd=REPO, capture_output=True, text=True,
                                           check=True).stdout, encoding="utf-8")
            impls.append((f"people.py at {rev}", str(path)))
        rows_out = []
        for rows in args.rows:
            for label, impl in impls:
                out = Path(tmp) / "out.json"
                out.unlink(missing_ok=True)
                run = run_timed([sys.executable, __file__, "--child", str(rows), impl,
                                 args.memory or "-", str(out)], timeout=3600, cwd=REPO)
                if run.returncode or not out.exists():
                    print(f"{label} {rows}: failed\n{run.stderr_tail}", file=sys.stderr)
                    continue
                info = json.loads(out.read_text())
                people = info["result"]["people"] if info["result"] else None
                rows_out.append({"rows": rows, "impl": label, "peak_rss_mb": round(run.peak_rss_mb),
                                 "ru_maxrss_mb": info["ru_maxrss_mb"], "wall_s": round(run.seconds, 1),
                                 "add_s": info["add_s"], "count_s": info["count_s"],
                                 "people": people, "spilled_runs": info["spilled_runs"]})
                print(rows_out[-1], flush=True)
    table = markdown_table(
        ["rows", "counter", "peak RSS MB", "count() s", "add s", "people", "spilled runs"],
        [[f"{r['rows']:,}", r["impl"], max(r["peak_rss_mb"], round(r["ru_maxrss_mb"])),
          r["count_s"], r["add_s"], f"{r['people']:,}" if r["people"] is not None else "–",
          r["spilled_runs"] if r["spilled_runs"] is not None else "–"] for r in rows_out])
    print(table)
    save_json({"machine": machine(), "memory": args.memory or os.environ.get("ROUEI_SCAN_MEMORY"),
               "runs": rows_out}, results_dir / "people_memory.json")
    (results_dir / "people_memory.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
