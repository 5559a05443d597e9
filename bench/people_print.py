"""``rouei people print-data`` for a whole large registry (issue 12: 1 million people < 30 s).

    uv run --group bench python bench/people_bulkload.py --people 1000000
    uv run --group bench python bench/people_print.py [--code DIR]

Runs the command on the registry the bulk loader wrote (``--setup``), with ``--code DIR``
another checkout's code on the same registry (before/after), and reports the seconds, the CPU
seconds of the command and its workers, the peak resident memory of its largest process, the
rows and bytes written, and the load average before and after (other work on the machine).
The CSV is checked: CP932, one header, one row per person with a postal address.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, machine, run_timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", type=Path, default=WORK / "people-large" / "setup.json")
    parser.add_argument("--code", help="PYTHONPATH of another checkout to measure")
    parser.add_argument("--out", type=Path, default=WORK / "people-large" / "print.csv")
    args = parser.parse_args()
    setup = json.loads(args.setup.read_text())
    os.environ.update(setup["env"])
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    if args.code:
        os.environ["PYTHONPATH"] = args.code
    load_before = os.getloadavg()
    run = run_timed([sys.executable, "-m", "rouei.cli.main", "people", "print-data",
                     str(setup["incident"]), "--out", str(args.out)], timeout=3600,
                    cwd=Path(args.code) if args.code else None)  # else this checkout wins
    load_after = os.getloadavg()
    rows = 0
    with args.out.open("rb") as handle:
        for line in handle:
            line.decode("cp932")
            rows += 1
    print(json.dumps({
        "registry": setup["load"]["people"], "code": args.code or "this tree",
        "seconds": round(run.seconds, 1), "cpu_seconds": round(run.cpu_seconds, 1),
        "peak_rss_mb": round(run.peak_rss_mb), "returncode": run.returncode,
        "rows": rows - 1, "mb": round(args.out.stat().st_size / 1e6, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "stderr": run.stderr_tail[-300:], "machine": machine()}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
