"""The scan: files → parts → items found, findings and distinct people, with bounded memory.

- One task per top-level file (``scan_file``), run in a process pool (all cores by default) or on
  a Dask cluster; a file's parts are read as streams (see readers/), tables in batches.
- Tables: each column is classified once from its header and a sample (columns.py); the cells
  of a classified column are then matched with vectorised regular expressions (polars), and
  checksum validators run in Python on the candidates only. Columns of long prose go through
  the free-text detectors cell by cell.
- Text: the free-text detectors, line by line.
- Every record (a table row, or a text line with a finding) adds its identity values to a
  ``PeopleCounter``; the counters of all files are merged and counted at the end.
- Findings (only when asked for) go to one temporary JSON Lines file per top-level file and are
  then concatenated in file order, so the output does not depend on scheduling.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import IO

import polars as pl

from rouei.scanning.columns import SAMPLE_SIZE, ColumnClass, classify
from rouei.scanning.detectors import Detector, all_detectors, detect_text
from rouei.scanning.masking import mask
from rouei.scanning.model import Finding, TablePart, TextPart, Unreadable
from rouei.scanning.normalise import normalise_cells
from rouei.scanning.people import KEY_FIELDS, TEXT_KEYS, PeopleCounter
from rouei.scanning.readers import Limits, read_parts
from rouei.scanning.report import ColumnSummary, FileSummary, ScanReport

Progress = Callable[[int], None]
WHOLE_CELL_BY_HEADER = frozenset({"address"})  # called with bytes just finished (an estimate within a file)


@dataclass(frozen=True)
class ScanOptions:
    workers: int | None = None  # None: all cores
    findings: bool = False  # produce findings (slower: every hit is written)
    show_values: bool = False  # raw values in findings (explicit request only)
    limits: Limits = field(default_factory=Limits)
    temp_dir: str | None = None


@dataclass
class FileResult:
    """What scanning one top-level file gives back to the coordinator (picklable)."""

    name: str
    size: int
    summaries: list[FileSummary] = field(default_factory=list)
    unreadable: list[dict] = field(default_factory=list)
    people: PeopleCounter = field(default_factory=PeopleCounter)
    findings_path: str | None = None


def list_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every file to scan with its name as the report gives it: relative to the scanned folder
    (POSIX separators), or the file's own name when a file was named. Sorted, so two runs over
    the same tree agree."""
    out: list[tuple[Path, str]] = []
    for root in paths:
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                for filename in sorted(filenames):
                    path = Path(dirpath) / filename
                    if path.is_file() and not path.is_symlink():
                        out.append((path, path.relative_to(root).as_posix()))
        elif root.is_file():
            out.append((root, root.name))
    return out


def _detector_for(category: str | None) -> Detector | None:
    for detector in all_detectors():
        if detector.category == category:
            return detector
    return None


# Vectorised canonical forms for the identity values that most tables carry; other items use
# their detector's ``normalise_value`` on each distinct value.
_KEY_EXPRESSIONS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "email": lambda e: e.str.to_lowercase(),
    "phone": lambda e: e.str.replace(r"^\+81[ -]*(?:\(0\))?[ -]*", "0")
                        .str.replace_all(r"[^0-9]", ""),
    "person_name": lambda e: e.str.replace_all(r"[ \u3000・]", ""),
    # detectors.address.normalise_value: no spaces, 1丁目2番3号 → 1-2-3 (cells are NFKC already)
    "address": lambda e: e.str.replace_all(" ", "")
                          .str.replace_all(r"([0-9]+)(?:丁目|番地|番|号)", "${1}-")
                          .str.replace_all(r"-+", "-").str.strip_chars_end("-"),
    "credit_card": lambda e: e.str.replace_all(r"[^0-9]", ""),
    "my_number": lambda e: e.str.replace_all(r"[^0-9]", ""),
}


@cache
def _memoised(fn: Callable[[str], str]) -> Callable[[str], str]:
    # Values repeat across batches (birth dates, prefectures): remember the latest 2**18.
    return lru_cache(maxsize=1 << 18)(fn)


def _python_map(series: pl.Series, fn: Callable[[str], str]) -> pl.Series:
    """Apply ``fn`` once per distinct non-null value of ``series``."""
    fn = _memoised(fn)
    mapping = {v: fn(v) for v in series.drop_nulls().unique().to_list()}
    return series.replace_strict(mapping, default=None, return_dtype=pl.Utf8)


class _FindingsSink:
    """Writes findings of one top-level file as JSON Lines (or counts only, when not asked)."""

    def __init__(self, handle: IO[str] | None, show_values: bool):
        self.handle = handle
        self.show_values = show_values

    def write(self, finding: Finding) -> None:
        if self.handle is not None:
            self.handle.write(json.dumps(finding.to_dict(self.show_values),
                                         ensure_ascii=False) + "\n")


def scan_file(path: str | Path, name: str, options: ScanOptions,
              progress: Progress | None = None) -> FileResult:
    """Scan one top-level file (with everything it contains). Runs in a worker process."""
    path = Path(path)
    size = path.stat().st_size if path.exists() else 0
    result = FileResult(name, size)
    handle = None
    if options.findings:
        fd, result.findings_path = tempfile.mkstemp(prefix="rouei-findings-", suffix=".jsonl",
                                                    dir=options.temp_dir)
        handle = os.fdopen(fd, "w", encoding="utf-8")
    sink = _FindingsSink(handle, options.show_values)
    reported = 0
    try:
        for part in read_parts(path, name, options.limits):
            if isinstance(part, Unreadable):
                result.unreadable.append({"file": part.name, "code": part.code,
                                          "reason": part.reason})
            elif isinstance(part, TablePart):
                for done in _scan_table(part, result, sink):
                    reported += _advance(progress, done, size - reported)
            elif isinstance(part, TextPart):
                _scan_text(part, result, sink)
    finally:
        if handle is not None:
            handle.close()
    if progress is not None and size > reported:
        progress(size - reported)
    return result


def _advance(progress: Progress | None, estimate: int, left: int) -> int:
    step = max(0, min(estimate, left))
    if progress is not None and step:
        progress(step)
    return step


def _scan_table(part: TablePart, result: FileResult, sink: _FindingsSink) -> Iterator[int]:
    """Scan a table batch by batch; yields an estimate of the bytes each batch covered."""
    summary = FileSummary(part.name, "table", part.encoding)
    result.summaries.append(summary)
    classes: list[ColumnClass] | None = None
    column_summaries: dict[str, ColumnSummary] = {}
    record = 0
    for batch in part.batches:
        if classes is None:
            classes = [classify(c, batch.get_column(c).head(SAMPLE_SIZE * 4).to_list(),
                                has_header=part.has_header) for c in part.columns
                       if c in batch.columns]
            for cls in classes:
                if cls.category or cls.free_text:
                    column_summaries[cls.column] = ColumnSummary(
                        cls.column, cls.category, 0, cls.by_header, cls.valid_share)
            summary.columns = list(column_summaries.values())
        if part.row_numbers_column and part.row_numbers_column in batch.columns:
            rows = batch.get_column(part.row_numbers_column)
        else:
            rows = pl.int_range(part.first_row + record, part.first_row + record + batch.height,
                                eager=True)
        record += batch.height
        summary.rows += batch.height
        keys: dict[str, pl.Series] = {}
        for cls in classes:
            if cls.category:
                found, key = _scan_column(batch, cls, rows, part.name, sink, summary)
                column_summaries[cls.column].count += found
                if key is not None and cls.category not in keys:
                    keys[cls.category] = key
            elif cls.free_text:
                found = _scan_prose_column(batch, cls.column, rows, part.name, sink, summary)
                column_summaries[cls.column].count += found
        result.people.add(pl.DataFrame(keys) if keys else pl.DataFrame(
            {"_": pl.Series([None] * batch.height, dtype=pl.Utf8)}))
        yield batch.estimated_size()


def _scan_column(batch: pl.DataFrame, cls: ColumnClass, rows: pl.Series, file: str,
                 sink: _FindingsSink, summary: FileSummary) -> tuple[int, pl.Series | None]:
    """Count (and write) the valid values of a classified column; return its identity values
    (canonical form, null where invalid) when the item is an identity key."""
    category = cls.category
    detector = _detector_for(category)
    cells = batch.get_column(cls.column)
    normal = normalise_cells(cells)
    if detector is None or (cls.by_header and category in WHOLE_CELL_BY_HEADER):
        # A catalogue item with no detector (e.g. 性別), or a column its header names that holds
        # parts of the item (住所2: building and room): every non-empty cell counts.
        valid = normal.is_not_null() & (normal != "")
    else:
        valid = normal.str.contains(detector.column_pattern).fill_null(False)
        if detector.checksum:  # a number that fails its check digit is not this item
            valid = _checked(normal, valid, detector)
    count = int(valid.sum())
    summary.items[category] += count
    if sink.handle is not None and count:
        for row, value in zip(rows.filter(valid).to_list(), cells.filter(valid).to_list(),
                              strict=True):
            sink.write(Finding(file, category, mask(category, value), row=row,
                               column=cls.column, value=value))
    key = None
    if category in KEY_FIELDS and detector is not None:
        kept = normal.zip_with(valid, pl.Series([None] * len(normal), dtype=pl.Utf8))
        expression = _KEY_EXPRESSIONS.get(category)
        key = (pl.select(expression(pl.lit(kept))).to_series() if expression
               else _python_map(kept, detector.normalise_value))
    return count, key


def _checked(normal: pl.Series, candidates: pl.Series, detector: Detector) -> pl.Series:
    """``candidates`` narrowed to the values whose checksum passes (Python on distinct values)."""
    mapping = {v: bool(detector.validate(v))
               for v in normal.filter(candidates).unique().drop_nulls().to_list()}
    passed = normal.replace_strict(mapping, default=False, return_dtype=pl.Boolean)
    return candidates & passed.fill_null(False)


def _scan_prose_column(batch: pl.DataFrame, column: str, rows: pl.Series, file: str,
                       sink: _FindingsSink, summary: FileSummary) -> int:
    found = 0
    for row, cell in zip(rows.to_list(), batch.get_column(column).to_list(), strict=True):
        if not cell:
            continue
        for match in detect_text(cell):
            found += 1
            summary.items[match.category] += 1
            sink.write(Finding(file, match.category, mask(match.category, match.value),
                               row=row, column=column, start=match.start, end=match.end,
                               value=match.value))
    return found


def _scan_text(part: TextPart, result: FileResult, sink: _FindingsSink) -> None:
    summary = FileSummary(part.name, "text", part.encoding)
    result.summaries.append(summary)
    records: dict[str, list[str | None]] = {f: [] for f in KEY_FIELDS}
    for line_no, line in part.lines:
        summary.rows += 1
        matches = detect_text(line) if line else []
        if not matches:
            continue
        values: dict[str, str] = {}
        for match in matches:
            summary.items[match.category] += 1
            sink.write(Finding(part.name, match.category, mask(match.category, match.value),
                               line=line_no, start=match.start, end=match.end,
                               value=match.value))
            if match.category in KEY_FIELDS and match.category not in values:
                detector = _detector_for(match.category)
                values[match.category] = detector.normalise_value(match.value)
        for f in KEY_FIELDS:
            records[f].append(values.get(f))
    if any(records.values()):
        result.people.add(pl.DataFrame(records, schema={f: pl.Utf8 for f in records}),
                          keys=TEXT_KEYS)


def scan(paths: list[Path], options: ScanOptions = ScanOptions(), *,
         findings_out: Path | None = None, progress: Progress | None = None,
         dask_address: str | None = None) -> ScanReport:
    """Scan files and folders. Ctrl-C (KeyboardInterrupt) stops early and returns the report of
    the files finished so far, marked partial."""
    return scan_files(list_files(paths), options, findings_out=findings_out,
                      progress=progress, dask_address=dask_address)


def scan_files(files: list[tuple[Path, str]], options: ScanOptions = ScanOptions(), *,
               findings_out: Path | None = None, progress: Progress | None = None,
               dask_address: str | None = None) -> ScanReport:
    """Scan (path, name) pairs: the name is how the report and findings call the file (e.g. an
    evidence item's original name for a content-addressed blob)."""
    started = time.monotonic()
    report = ScanReport()
    results: dict[int, FileResult] = {}
    options = ScanOptions(options.workers, findings_out is not None, options.show_values,
                          options.limits, options.temp_dir)
    try:
        if dask_address:
            _run_dask(files, options, dask_address, results, progress)
        elif (options.workers or os.cpu_count() or 1) > 1 and len(files) > 1:
            _run_pool(files, options, results, progress)
        else:
            for index, (path, name) in enumerate(files):
                results[index] = scan_file(path, name, options, progress)
    except KeyboardInterrupt:
        report.partial = True
    people = PeopleCounter()
    for index in sorted(results):
        result = results[index]
        report.files.extend(result.summaries)
        report.unreadable.extend(result.unreadable)
        report.bytes_read += result.size
        people.merge(result.people)
    report.people = people.count()
    if findings_out is not None:
        _concatenate([results[i].findings_path for i in sorted(results)], findings_out)
    for result in results.values():
        if result.findings_path:
            Path(result.findings_path).unlink(missing_ok=True)
    report.seconds = time.monotonic() - started
    return report


def _ignore_interrupt() -> None:
    # Only the coordinator handles Ctrl-C; workers are stopped by it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_pool(files, options, results, progress) -> None:
    workers = options.workers or os.cpu_count() or 1
    # "spawn", not fork: forking a process whose polars thread pool is running can deadlock.
    pool = ProcessPoolExecutor(max_workers=min(workers, len(files)),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_interrupt)
    pending = {pool.submit(scan_file, path, name, options): index
               for index, (path, name) in enumerate(files)}
    try:
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                results[index] = future.result()
                if progress is not None:
                    progress(results[index].size)
    except KeyboardInterrupt:
        # Stop now, not after the files in progress: terminate the workers (the executor has
        # no public way to do so) and keep what has finished.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _run_dask(files, options, address, results, progress) -> None:
    from distributed import Client, as_completed

    with Client(address) as client:
        futures = {client.submit(scan_file, str(path), name, options, pure=False): index
                   for index, (path, name) in enumerate(files)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if progress is not None:
                progress(results[index].size)


def _concatenate(parts: list[str | None], out: Path) -> None:
    with open(out, "wb") as target:
        for part in parts:
            if part:
                with open(part, "rb") as source:
                    shutil.copyfileobj(source, target, 1 << 20)

