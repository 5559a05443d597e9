"""CPU cost of the prose model: `rouei scan --workers 1` on call notes, inquiries and letters,
this checkout against another one, alternated on the same file.

    uv run --group bench python bench/prose_cost.py --base DIR [--lines 20000] [--repeat 3]

The text is the development sets' notes (``corpus.py``'s memos, ``corpus_prose3.py``'s call
notes, inquiries and letters) repeated to ``--lines`` lines, written once under
$ROUEI_BENCH_DIR/prose_cost/. ``--base DIR`` is a plain copy of another revision (``git archive
REV | tar -x -C DIR``, the compiled kernels copied in): it runs first on ``PYTHONPATH``, so the
same interpreter and packages scan with that revision's code and lexicon. Each run reports CPU
seconds (user + sys of the scan process) and wall seconds, with the 1-minute load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORK

HERE = Path(__file__).resolve().parent.parent


def build(lines: int) -> Path:
    out = WORK / "prose_cost"
    target = out / "data" / f"notes_{lines}.txt"
    if target.exists():
        return target
    import corpus
    import corpus_prose3
    corpus.main([str(out / "corpus")])
    corpus_prose3.generate(out / "prose3")
    texts = []
    for p in [*sorted((out / "corpus/data/text").glob("memo_*.txt")),
              *sorted((out / "prose3/data/notes").glob("*.txt"))]:
        try:
            texts.append(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:  # the CP932 memo: the others say the same
            continue
    pool = [line for text in texts for line in text.splitlines()]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(pool[i % len(pool)] for i in range(lines)) + "\n",
                      encoding="utf-8")
    return target


def run(code: Path | None, path: Path) -> tuple[float, float]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rouei.cli.main", "scan", str(path.parent), "--workers",
                    "1", "--json", str(WORK / "prose_cost" / "report.json")],
                   check=True, env=env, cwd=code or HERE, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = build(args.lines)
    print(f"{path}: {args.lines} lines, {path.stat().st_size / 1e6:.2f} MB")
    for i in range(args.repeat):
        for label, code in (("base", args.base), ("this", None)):
            cpu, wall = run(code, path)
            print(f"run {i + 1} {label}: CPU {cpu:.2f} s, wall {wall:.2f} s, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
