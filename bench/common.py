"""Shared by the benchmark scripts: the truth, the scoring, running ``rouei scan`` with a time
limit and a peak-memory measure, timing operations in threads at once, the machine
description, markdown tables."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("ROUEI_BENCH_DIR", "/tmp/rouei-bench"))
BASELINES = REPO / "bench" / "baselines"

# Items with a fixed shape (and where one exists a checksum): target F1 ≥ 0.97 everywhere.
SHAPED = ("phone", "postal_code", "email", "birth_date", "credit_card", "my_number")
# Items without a shape: names, readings, addresses; target F1 ≥ 0.90 in free text.
SHAPELESS = ("person_name", "name_kana", "address")
TARGET_SHAPED = 0.97
TARGET_TEXT_NAMES = 0.90


# --- operations timed in threads at once ---------------------------------------------------------


def timed_threads(count: int, work: Callable[[int, Callable[[float], None]], None], *,
                  start: float | None = None) -> tuple[list[float], float]:
    """``work(n, record)`` in ``count`` threads at once, each calling ``record(seconds)`` for
    every operation it timed: (the latencies sorted, the wall seconds from ``start``, by
    default from when the threads are started)."""
    latencies: list[float] = []
    lock = threading.Lock()

    def record(seconds: float) -> None:
        with lock:
            latencies.append(seconds)

    threads = [threading.Thread(target=work, args=(n, record)) for n in range(count)]
    started = time.perf_counter() if start is None else start
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return latencies, wall


def percentile_ms(latencies: list[float], p: float) -> float:
    """The ``p`` quantile (0–1) of sorted latencies in seconds, in milliseconds."""
    return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 2)


# --- running the scanner ------------------------------------------------------------------------


def rouei_command() -> list[str]:
    exe = Path(sys.executable).with_name("rouei")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("rouei")
    if found:
        return [found]
    return [sys.executable, "-m", "rouei.cli.main"]


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # the largest resident set of the process tree's largest process
    returncode: int
    timed_out: bool
    stderr_tail: str = ""
    cpu_seconds: float = 0.0  # user + system time of the process and all it waited for


def run_timed(cmd: list[str], timeout: float, cwd: Path | None = None) -> Run:
    """Run ``cmd``; wall time and the peak RSS of its largest process (parent or a worker),
    sampled with psutil every 50 ms and checked against the kernel's own maximum for the
    children (``RUSAGE_CHILDREN``) when available."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in the bench group
        psutil = None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "COLUMNS": "120"})
    peak = 0
    timed_out = False
    if psutil is not None:
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                for p in [ps, *ps.children(recursive=True)]:
                    peak = max(peak, p.memory_info().rss)
            except psutil.Error:
                pass
            if time.perf_counter() - started > timeout:
                timed_out = True
                proc.kill()
                break
            time.sleep(0.05)
    try:
        _, err = proc.communicate(timeout=max(1.0, timeout - (time.perf_counter() - started)))
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        _, err = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    kernel_peak = after.ru_maxrss * 1024
    return Run(seconds, max(peak, 0) / 2**20 if peak else kernel_peak / 2**20,
               proc.returncode, timed_out,
               (err or b"").decode("utf-8", "replace")[-2000:], cpu)


def scan(paths: list[Path], *, json_out: Path | None = None, findings: Path | None = None,
         workers: int | None = None, show_values: bool = False, timeout: float = 600) -> Run:
    cmd = [*rouei_command(), "scan", *map(str, paths)]
    if json_out:
        cmd += ["--json", str(json_out)]
    if findings:
        cmd += ["--findings", str(findings)]
    if workers:
        cmd += ["--workers", str(workers)]
    if show_values:
        cmd += ["--show-values"]
    run = run_timed(cmd, timeout)
    if run.returncode != 0 or run.timed_out:
        raise RuntimeError(f"{' '.join(cmd)} failed (rc={run.returncode}, "
                           f"timed out={run.timed_out}):\n{run.stderr_tail}")
    return run


# --- truth and scoring --------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": r(self.precision),
                "recall": r(self.recall), "f1": r(self.f1)}


@dataclass
class Evaluation:
    """Scores per (domain, category), domain "table" or "text"; examples of misses."""

    scores: dict[tuple[str, str], Score] = field(default_factory=lambda: defaultdict(Score))
    missed: list[dict] = field(default_factory=list)  # truth rows not found
    false: list[dict] = field(default_factory=list)  # findings not in the truth

    def by_category(self, domain: str | None = None) -> dict[str, Score]:
        out: dict[str, Score] = defaultdict(Score)
        for (d, category), score in self.scores.items():
            if domain is None or d == domain:
                out[category].add(score)
        return dict(sorted(out.items()))

    def macro_f1(self, categories: list[str] | None = None, domain: str | None = None) -> float:
        scores = self.by_category(domain)
        cats = categories or list(scores)
        return sum((scores[c].f1 or 0.0) if c in scores else 0.0 for c in cats) / max(1, len(cats))


def place(entry: dict) -> str:
    """A finding's or a label's place as one string (``rouei.scanning.model.place``): ``file``,
    then ``!/member``, ``#sheet``, ``#table`` where they apply. Labels may give the place in
    that one string (``mail.eml!/顧客一覧.csv`` in ``file``) or in the findings' keys."""
    text = str(entry.get("file", ""))
    if entry.get("member"):
        text += f"!/{entry['member']}"
    for key in ("sheet", "table"):
        if entry.get(key):
            text += f"#{entry[key]}"
    return text


def evaluate(cells: list[dict], spans: list[dict], findings: list[dict],
             in_slice=None) -> Evaluation:
    """Tabular findings match the truth by (file, row, column, category); text findings by
    (file, line, category) with overlapping offsets, one to one. ``in_slice(kind, finding)``
    keeps only findings of the part of the corpus that was scanned."""
    ev = Evaluation()
    truth_cells = {(place(c), c["row"], str(c["column"]), c["category"]): c for c in cells}
    found_cells: dict[tuple, dict] = {}
    truth_spans: dict[tuple, list[dict]] = defaultdict(list)
    for s in spans:
        truth_spans[(place(s), s["line"], s["category"])].append(s)
    found_spans: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        if f.get("row") is not None:
            if in_slice is None or in_slice("table", f):
                found_cells.setdefault((place(f), f["row"], str(f["column"]), f["category"]), f)
        elif f.get("line") is not None and (in_slice is None or in_slice("text", f)):
            found_spans[(place(f), f["line"], f["category"])].append(f)
    for key, truth in truth_cells.items():
        category = key[3]
        if key in found_cells:
            ev.scores[("table", category)].tp += 1
        else:
            ev.scores[("table", category)].fn += 1
            ev.missed.append(truth)
    for key, found in found_cells.items():
        if key not in truth_cells:
            ev.scores[("table", key[3])].fp += 1
            ev.false.append(found)
    for key in sorted(set(truth_spans) | set(found_spans)):  # the same order in every run
        category = key[2]
        truths = sorted(truth_spans.get(key, []), key=lambda s: s["start"])
        founds = sorted(found_spans.get(key, []), key=lambda s: s["start"])
        used: set[int] = set()
        for t in truths:
            hit = next((i for i, f in enumerate(founds) if i not in used
                        and f["start"] < t["end"] and t["start"] < f["end"]), None)
            if hit is None:
                ev.scores[("text", category)].fn += 1
                ev.missed.append(t)
            else:
                used.add(hit)
                ev.scores[("text", category)].tp += 1
        for i, f in enumerate(founds):
            if i not in used:
                ev.scores[("text", category)].fp += 1
                ev.false.append(f)
    return ev


# --- reporting ----------------------------------------------------------------------------------


def fmt(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(" --- " if i == 0 else " ---: " for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": mem_gb, **rouei_version(),
            "python": platform.python_version(), "platform": platform.platform(),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def rouei_version() -> dict:
    """The commit the scanner was measured at, and whether rouei/scanning had local changes
    (read-only git commands)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"rouei_commit": git("rev-parse", "--short", "HEAD") or None,
            "rouei_scanning_dirty": bool(git("status", "--porcelain", "--", "rouei/scanning"))}


def save_json(data: dict, *paths: Path) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def case_counts(rows: list[dict], key: str = "case") -> dict[str, int]:
    return dict(Counter(f"{r['category']}/{r.get(key, '?')}" for r in rows).most_common())
