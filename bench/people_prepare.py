"""The import's per-row client work alone (issue 12): ``rouei.people.preparing._prepare`` —
each row parsed, normalised, its blind indexes computed and its record sealed — without the
database, in µs of CPU per row.

    uv run --group bench python bench/people_prepare.py [--rows 20000] [--rounds 3] [--python PY]
        [--row-by-row]

The export is ``people_registry.write_export``'s (seed 12). Each round runs in a fresh
interpreter (the caches cold, as in an import) and times ``_prepare`` on every chunk of
``preparing.CHUNK_ROWS`` rows with ``time.process_time``; it prints the min and the median of
the chunks. ``--python PY``: the interpreter of another checkout's virtualenv (``git archive REV
| tar -x -C DIR && cd DIR && uv sync --frozen --group bench``; ``PYTHONPATH`` does not do: the
editable install's finder comes first), for a before/after pair in the same minutes.
``--row-by-row``: ``preparing._prepare_each``, the row-by-row path the column-wise one
(``rouei.people.columnwise``, session 13) is tested against; a checkout before session 13 has
only ``_prepare``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people_registry import NAME_TABLES, export_path, write_export

# Fixed keys: the same digests and sealing for every run (values of no secret).
DATA_KEY = "mJ8Ue3oYc6hG2Xq5bM8z7Yl2wR0vN4kQ1tA9sD3fH6E="
INDEX_KEY = "aW5kZXgta2V5LWZvci10aGUtcHJlcGFyZS1iZW5jaC0xMjM0NTY3ODkwYWJjZGVm"

ROUND = """
import json, statistics, sys, time
import django; django.setup()
from pathlib import Path
from rouei.people import preparing
from rouei.people.importing import open_source
from rouei.core.crypto import aeads, index_keys
source = open_source(Path(sys.argv[1]))
options = preparing._Options(source.columns, True, "")
keys, cipher = index_keys(), aeads()[0]
chunks = [chunk for chunk, _ in preparing._chunks(source)]
prepare = getattr(preparing, sys.argv[2])
per_row = []
for chunk in chunks:
    start = time.process_time()
    prepare(options, chunk, keys, cipher)
    per_row.append((time.process_time() - start) / len(chunk) * 1e6)
print(json.dumps({"chunks": len(chunks), "code": preparing.__file__, "min_us": min(per_row),
                  "median_us": statistics.median(per_row)}))
"""


def one_round(export: Path, python: str, data_dir: str, function: str = "_prepare") -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rouei.config.settings",
           "ROUEI_DATA_KEYS": DATA_KEY, "ROUEI_INDEX_KEYS": INDEX_KEY,
           "ROUEI_DATA_DIR": data_dir}
    # Not in this checkout's directory: ``python -c`` puts the working directory first on the
    # path, and another interpreter would run this checkout's rouei.
    done = subprocess.run([python, "-c", ROUND, str(export), function], env=env, check=True,
                          cwd=data_dir, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter (another checkout's virtualenv) to run")
    parser.add_argument("--names", choices=NAME_TABLES, default="wide",
                        help="the export's name tables (narrow: sessions 10-14's file)")
    parser.add_argument("--row-by-row", action="store_true",
                        help="time preparing._prepare_each (the row-by-row path)")
    args = parser.parse_args()
    # the same file as people_registry.py's for these rows and names (one name per kind of
    # export, so that a narrow file is never taken for a wide one)
    export = export_path(args.rows, args.names)
    if not export.exists():
        export.parent.mkdir(parents=True, exist_ok=True)
        write_export(export, args.rows, names=args.names)
    with tempfile.TemporaryDirectory() as data_dir:
        for _ in range(args.rounds):
            load = os.getloadavg()[0]
            result = one_round(export, args.python, data_dir,
                               "_prepare_each" if args.row_by_row else "_prepare")
            print(json.dumps({"load": round(load, 2), "python": args.python,
                              "min_us": round(result["min_us"], 1),
                              "median_us": round(result["median_us"], 1),
                              "chunks": result["chunks"], "code": result["code"]}), flush=True)


if __name__ == "__main__":
    main()
