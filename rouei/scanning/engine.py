"""The scan: files → parts → items found, findings and distinct people, with bounded memory.

- One task per top-level file (``scan_file``), run in a process pool (all cores by default) or on
  a Dask cluster; a file's parts are read as streams (see readers/), tables in batches.
- Tables: each column is classified once from its header and a sample (columns.py); the cells
  of a classified column are then matched with vectorised regular expressions (polars),
  checksums and identity keys are computed with polars expressions too (a detector's
  ``validate_column``; Python only for rare shapes, once per distinct value), and the columns
  of a batch are matched in parallel threads. Columns of long prose go through the free-text
  detectors cell by cell.
- Text: the free-text detectors, line by line.
- Every record with a finding (a table row, or a text line) adds its identity values to a
  ``PeopleCounter``; the counters of all files are merged and counted at the end.
- Findings (only when asked for) go to one temporary JSON Lines file per top-level file and are
  then concatenated in file order, so the output does not depend on scheduling; a scan in one
  process writes them straight to the output, file after file. Their lines are written by the
  compiled writer (_cellwriter.c), whole cells and free-text matches alike.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import json
import multiprocessing
import operator
import os
import shutil
import stat
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from functools import cache, lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import IO, TYPE_CHECKING

import polars as pl

from rouei.domain.items import PART_ORDER, PREFECTURE_CODES
from rouei.scanning import gates, identity, kernels, masking, ner
from rouei.scanning.columns import (
    FREE_TEXT_HEADER,
    SAMPLE_SIZE,
    ColumnClass,
    by_evident_values,
    classify,
)
from rouei.scanning.columns import prepare as prepare_classify
from rouei.scanning.control import NO_GUARD, Guard, ScanStopped
from rouei.scanning.detectors import CellSpans, Detector, all_detectors, cell_spans, detect_text
from rouei.scanning.masking import mask, mask_column
from rouei.scanning.model import Finding, Match, TablePart, TextPart, Unreadable, where
from rouei.scanning.normalise import normalise, normalise_cells
from rouei.scanning.people import KEY_FIELDS, PeopleCounter
from rouei.scanning.prose_worker import detect_named, ignore_interrupt, warm_up
from rouei.scanning.readers import Limits, read_parts
from rouei.scanning.report import ColumnSummary, FileSummary, ScanReport, partly_unreadable

if TYPE_CHECKING:  # the prose model is imported where a text part needs it (~0.1 s a process)
    from rouei.scanning.prose import ProseDoc, ProseReader

try:
    from rouei.scanning import _cellwriter
except ImportError:  # a tree without the compiled writer (not built): the polars path
    _cellwriter = None  # type: ignore[assignment]

Progress = Callable[[int], None]  # called with bytes just finished (an estimate within a file)

# Items whose column, once its header names it, holds the item in every filled cell: an address
# column (its cells may be partial: 住所2), and a medical one (病名, 服薬 …: whatever is written
# there is health information, 要配慮個人情報, whether or not the detector's vocabulary knows it).
WHOLE_CELL_BY_HEADER = frozenset({"address", "health", "disability", "health_checkup_result",
                                  "password"})
# What a form's blank is filled with: not the item (なし in 既往歴, 不明 in 性別). Compared with
# the NFKC cell, in the usual cases of the Latin ones (none, None, NONE).
NONE_MARKERS = ("なし", "無し", "無", "ない", "特になし", "とくになし", "該当なし", "不明", "未記入",
                "未入力", "未回答", "-", "--", "ー", "―", "—", "none", "n/a", "na", "null", "nil")
_NONE_CELLS = tuple({form for m in NONE_MARKERS for form in (m, m.upper(), m.capitalize())})


@dataclass(frozen=True)
class ScanOptions:
    workers: int | None = None  # None: all cores
    findings: bool = False  # produce findings (slower: every hit is written)
    show_values: bool = False  # raw values in findings (explicit request only)
    limits: Limits = field(default_factory=Limits)
    temp_dir: str | None = None
    ner: str | None = None  # "ginza": names and addresses in prose by NER; None: ROUEI_SCAN_NER
    # Budgets of the whole scan (None: none): past them it stops and reports what it found so
    # far, marked partial, with ``stopped`` saying why (control.py).
    max_seconds: float | None = None
    max_memory_mb: float | None = None
    # Other processes that run the free-text detectors over a table's free-text cells (a 備考
    # column of a large export): set by ``scan_files`` when it scans in this process, one per
    # core beside the one matching the item columns, so that one big file uses every core; 0
    # in the processes of a pool, which keep one core each.
    prose_processes: int = 0


@dataclass
class FileResult:
    """What scanning one top-level file gives back to the coordinator (picklable)."""

    name: str
    size: int
    summaries: list[FileSummary] = field(default_factory=list)
    unreadable: list[dict] = field(default_factory=list)
    people: PeopleCounter = field(default_factory=PeopleCounter)  # table records
    prose: list[ProseDoc] = field(default_factory=list)  # text parts, counted at the end
    findings_path: str | None = None
    stopped: dict | None = None  # ScanStopped.to_dict(): the scan stopped inside this file
    # names in the tables' staff columns (columns.ColumnClass.staff), as identity keys: reported,
    # not counted as people (ScanReport.table_staff: how many distinct ones were left out)
    staff: set[str] = field(default_factory=set)


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


def _phone_keys(kept: pl.Series) -> pl.Series:
    """detectors.phone.normalise_value: digits only, domestic form (+81-90-… → 090…). Most
    numbers are digits and hyphens: the kernel's; the others (+81, brackets, spaces) take the
    regular expressions."""
    keys = kernels.plain_phone_keys(kept)
    other = kept.is_not_null() & keys.is_null()
    if other.any():
        keys = keys.scatter(other.arg_true(), kept.filter(other)
                            .str.replace(r"^\+81[ -]*(?:\(0\))?[ -]*", "0")
                            .str.replace_all(r"[^0-9]", ""))
    return keys


_HIRAGANA = tuple(chr(c) for c in range(0x3041, 0x3097))
_KATAKANA = tuple(chr(c + 0x60) for c in range(0x3041, 0x3097))


def _kana_keys(kept: pl.Series) -> pl.Series:
    """detectors.name_kana.normalise_value of NFKC cells: katakana, no spaces or middle dots
    (やまだ たろう and ヤマダタロウ are one reading): one pass of the compiled kernel, else
    polars (one Aho-Corasick pass for the script)."""
    keys = kernels.kana_keys(kept)
    if keys is not None:
        return keys
    return (kept.str.replace_all(r"[ ・]", "")
            .str.replace_many(_HIRAGANA, _KATAKANA).str.strip_chars())


def _email_keys(kept: pl.Series) -> pl.Series:
    """detectors.email.normalise_value: lower case (the kernel's for ASCII addresses)."""
    keys = kernels.ascii_email_keys(kept)
    other = kept.is_not_null() & keys.is_null()
    if other.any():
        keys = keys.scatter(other.arg_true(), kept.filter(other).str.to_lowercase())
    return keys


# detectors.birth_date.normalise_value: the most common shape (four, two and two digits) is the
# compiled kernel's (Arrow out); the real dates of every other shape birth_date.parse reads
# (1985/4/1, 1985年4月1日, 和暦, a time suffix, spaces) the compiled writer's (_cellwriter.date_keys,
# the parser of its birth-date masks); the rest, not dates, as below: for the plain Western
# shapes ISO 8601 if the date exists, else the cell as it is; other cells through the detector
# on each distinct value.
_PLAIN_DATE = (r"^([1-9][0-9]{3})(?:[/.-]([0-9]{1,2})[/.-]([0-9]{1,2})"
               r"|年([0-9]{1,2})月([0-9]{1,2})日|([0-9]{2})([0-9]{2}))$")


def _birth_date_keys(kept: pl.Series, detector: Detector) -> pl.Series:
    keys = kernels.padded_date_keys(kept)
    other = kept.is_not_null() & keys.is_null()
    if other.any():
        keys = keys.scatter(other.arg_true(), _unpadded_date_keys(kept.filter(other), detector))
    return keys


def _unpadded_date_keys(kept: pl.Series, detector: Detector) -> pl.Series:
    """The keys of the cells that are not the padded shape: the real dates by the compiled
    writer's parser (one pass, 和暦 too), the others by ``_other_date_keys``."""
    if _cellwriter is None:
        return _other_date_keys(kept, detector)
    keys = pl.Series(kept.name, _cellwriter.date_keys(kept.__arrow_c_stream__()), dtype=pl.Utf8)
    other = kept.is_not_null() & keys.is_null()
    if other.any():
        keys = keys.scatter(other.arg_true(), _other_date_keys(kept.filter(other), detector))
    return keys


def _other_date_keys(kept: pl.Series, detector: Detector) -> pl.Series:
    part = pl.col
    frame = (kept.to_frame("v")
             .with_columns(pl.col("v").str.extract_groups(_PLAIN_DATE).alias("g")).unnest("g")
             .select("v", plain=part("1").is_not_null(), iso=pl.concat_str(
                 [part("1"), pl.coalesce(part("2"), part("4"), part("6")).str.zfill(2),
                  pl.coalesce(part("3"), part("5"), part("7")).str.zfill(2)], separator="-")))
    keys = frame.select(pl.when(pl.col("iso").str.to_date("%Y-%m-%d", strict=False)
                                .is_not_null()).then("iso")
                        .when("plain").then("v")).to_series()
    other = kept.is_not_null() & ~frame.get_column("plain")
    if other.any():
        keys = keys.scatter(other.arg_true(),
                            _python_map(kept.filter(other), detector.normalise_value))
    return keys


@cache
def _memoised(fn: Callable[[str], str]) -> Callable[[str], str]:
    # Values repeat across batches (birth dates, prefectures): remember the latest 2**18.
    return lru_cache(maxsize=1 << 18)(fn)


def _python_map(series: pl.Series, fn: Callable[[str], str]) -> pl.Series:
    """Apply ``fn`` once per distinct non-null value of ``series``."""
    fn = _memoised(fn)
    mapping = {v: fn(v) for v in series.drop_nulls().unique().to_list()}
    return series.replace_strict(mapping, default=None, return_dtype=pl.Utf8)


# Placeholders that locate the row, the masked value and the value in a finding's JSON line.
_ROW_PROBE = -73556081
_START_PROBE, _END_PROBE = -73556082, -73556083
_MASKED_PROBE = "\x01masked\x01"
_VALUE_PROBE = "\x01value\x01"


# How many bytes of findings between two calls that let the written ones go from the page cache.
LET_GO_EVERY = 32 << 20
_CAN_LET_GO = hasattr(os, "posix_fadvise")


class _FindingsSink:
    """Writes findings of one top-level file as JSON Lines (or counts only, when not asked)."""

    def __init__(self, handle: IO[bytes] | None, show_values: bool):
        self.handle = handle
        self.show_values = show_values
        # The compiled writer writes its lines to a plain file itself (no copy into a bytes
        # object, the write outside the GIL), after what Python has buffered.
        self._fd = _descriptor(handle)
        self._let_go_at = 0  # the file's size when its pages were last let go
        self._templates: dict[tuple[tuple, str, str],
                              tuple[list[str], tuple[int, ...]] | None] = {}

    def write(self, finding: Finding) -> None:
        if self.handle is not None:
            self.handle.write((json.dumps(finding.to_dict(self.show_values),
                                          ensure_ascii=False) + "\n").encode("utf-8"))

    def write_cells(self, place: dict[str, str], category: str, column: str, rows: pl.Series,
                    values: pl.Series) -> None:
        """Findings of whole cells of one column (``_write_cells``)."""
        self._write_cells(place, category, column, rows, values)
        self._let_go()

    def write_matches(self, place: dict[str, str], column: str, rows: list[int | None],
                      cells: list[str], matched: _ProseMatches | dict[str, list[Match]]
                      ) -> None:
        """Findings of the matches in the cells of a free-text column (``_write_matches``)."""
        self._write_matches(place, column, rows, cells, matched)
        self._let_go()

    def _let_go(self) -> None:
        """Every ``LET_GO_EVERY`` bytes, the findings already on disk are let go from the page
        cache (``POSIX_FADV_DONTNEED``, which also starts writing out the rest): the next lines
        then go into pages just freed, not into fresh memory, which a virtual machine gives
        slowly (writing 1.4 GB: 0.5 instead of 3.0 CPU s here). The file is the same. (The
        compiled writer writes most of its lines past the page cache, O_DIRECT: what is let go
        here is then mostly the lines Python wrote and the edges of the writer's blocks.)"""
        if self._fd < 0 or not _CAN_LET_GO:
            return
        try:
            end = os.lseek(self._fd, 0, os.SEEK_CUR)
            if end - self._let_go_at >= LET_GO_EVERY:
                os.posix_fadvise(self._fd, 0, end, os.POSIX_FADV_DONTNEED)
                self._let_go_at = end
        except OSError:  # a pipe, a file system without it: the page cache as it is
            self._let_go_at = 1 << 62

    def _write_cells(self, place: dict[str, str], category: str, column: str, rows: pl.Series,
                     values: pl.Series) -> None:
        """Findings of whole cells of one column: the same lines as ``write`` gives, built by
        polars from a template made once per column (only the row, the masked value and the
        value vary) and written at once."""
        if self.handle is None:
            return
        if len(rows) != len(values):
            raise ValueError("rows and values differ in length")
        template = self._template(place, category, column)
        if template is None:
            for row, value in zip(rows.to_list(), values.to_list(), strict=True):
                self.write(Finding(**place, category=category, masked=mask(category, value),
                                   row=row, column=column, value=value))
            return
        if _cellwriter is not None:
            written = _kernel_lines(template, category, rows, values, self._flushed_fd())
            if isinstance(written, bytes):
                self.handle.write(written)
            if written is not None:
                return
        self._write_cells_polars(template, category, rows, values)

    def _write_cells_polars(self, template: tuple[list[str], tuple[int, ...]], category: str,
                            rows: pl.Series, values: pl.Series) -> None:
        """``write_cells`` by polars expressions (the reference of the compiled writer, and
        its fallback)."""
        pieces, slots = template
        fields = {0: rows.cast(pl.Utf8).fill_null("null"),
                  1: _json_strings(mask_column(category, values))}
        if 2 in slots:
            fields[2] = _json_strings(values)
        parts: list[pl.Series | str] = [pieces[0]]
        for slot, piece in zip(slots, pieces[1:], strict=True):
            parts += [fields[slot], piece]
        # The line break is the writer's: polars writes its UTF-8 straight to the file.
        parts[-1] = parts[-1].removesuffix("\n")
        pl.select(pl.concat_str([p if isinstance(p, pl.Series) else pl.lit(p)
                                 for p in parts])).write_csv(
            self.handle, include_header=False, quote_style="never", line_terminator="\n")

    def _write_matches(self, place: dict[str, str], column: str, rows: list[int | None],
                       cells: list[str], matched: _ProseMatches | dict[str, list[Match]]
                       ) -> None:
        """Findings of the matches in the cells of a free-text column, record ``rows[i]``
        holding ``cells[i]``: the lines ``write`` gives, from the template of a match's line
        (``_template``), what follows the row made once per distinct cell."""
        if self.handle is None:
            return
        if not isinstance(matched, _ProseMatches):  # Match lists by cell
            matched = _ProseMatches.of([], matched)
        if _cellwriter is not None:
            written = self._kernel_matches(place, column, rows, cells, matched)
            if isinstance(written, bytes):
                self.handle.write(written)
            if written is not None:
                return
        found = matched.found
        masked = _masks(m for ms in found.values() for m in ms)
        head = ""
        tails: dict[str, list[str]] = {}
        # per category: the piece after the row, then (slot, piece) for the rest of the line
        templates: dict[str, tuple[str, list[tuple[int, str]]]] = {}
        for cell in dict.fromkeys(cells):
            tails[cell] = []
            for match in found[cell]:
                if match.category not in templates:
                    template = self._template(place, match.category, column, offsets=True)
                    if template is None or template[1][0] != 0:  # the row is not first
                        self._write_matches_one_by_one(place, column, rows, cells, found, masked)
                        return
                    pieces, slots = template
                    head = pieces[0]
                    templates[match.category] = (pieces[1], list(zip(slots[1:], pieces[2:],
                                                                     strict=True)))
                after_row, rest = templates[match.category]
                fields = {1: encode_basestring(masked[match.category, match.value]),
                          2: encode_basestring(match.value), 3: str(match.start),
                          4: str(match.end)}
                tails[cell].append(after_row + "".join(fields[slot] + piece
                                                       for slot, piece in rest))
        self.handle.write("".join(
            f"{head}{'null' if row is None else row}{tail}"
            for row, cell in zip(rows, cells, strict=True) for tail in tails[cell]
        ).encode("utf-8"))

    def _kernel_matches(self, place: dict[str, str], column: str, rows: list[int | None],
                        cells: list[str], matched: _ProseMatches) -> bytes | int | None:
        """``write_matches`` by the compiled writer: the matches of each distinct cell made
        into the end of their lines once (masked by the kernel's rules, as ``_masks`` does),
        then every record's lines; None where it does not apply (a file name or value that
        holds a probe, a row that is not a number, a value that is not UTF-8). The matches
        are read from ``matched``'s flat lists, never made into objects. The lines as bytes,
        or written to the file (``_flushed_fd``) and their size."""
        # The distinct cells are ``matched``'s, in its order, with its flat lists as they are
        # (each cell's matches a run of them): no list of its own per distinct cell. A record
        # gets the lines of its cell's run, as before.
        spans, numbers, distinct = matched.spans, matched.at, matched.cells
        first, span_starts, span_ends = spans.first, spans.starts, spans.ends
        owners = [i for i in range(len(distinct)) for _ in range(first[i + 1] - first[i])]
        values = [distinct[i][a:b] for i, a, b in zip(owners, span_starts, span_ends,
                                                       strict=True)]
        kinds: dict[str, int] = {}
        categories = [kinds.setdefault(category, len(kinds)) for category in spans.categories]
        head, templates = None, []
        for category in kinds:
            template = self._template(place, category, column, offsets=True)
            if template is None or template[1][0] != 0 or head not in (None, template[0][0]):
                return None
            pieces, slots = template
            head = pieces[0]
            code = _KERNEL_MASKERS.get(masking.masker(category), _cellwriter.MASK_GIVEN)
            templates.append((tuple(p.encode("utf-8") for p in pieces[1:]), slots[1:], code))
        names = list(kinds)
        given: list[str | None] = [None] * len(categories)
        if any(t[2] == _cellwriter.MASK_GIVEN for t in templates):  # a rule not in the kernel
            masked = _masks(Match(names[c], 0, 0, v) for c, v in zip(categories, values,
                                                                     strict=True)
                            if templates[c][2] == _cellwriter.MASK_GIVEN)
            given = [masked.get((names[c], v)) for c, v in zip(categories, values, strict=True)]
        try:
            return _cellwriter.write_matches(
                (head or "").encode("utf-8"), tuple(templates), rows,
                [numbers[c] for c in cells], list(first), categories, list(span_starts),
                list(span_ends), values, given, lambda k, value: mask(names[k], value),
                self._flushed_fd())
        except ValueError:  # UnicodeEncodeError too (a lone surrogate)
            return None

    def _flushed_fd(self) -> int:
        """The file descriptor the compiled writer may write to, what Python buffered written
        first; -1 for a handle that is not a plain file (the lines then come back as bytes)."""
        if self._fd >= 0:
            self.handle.flush()  # type: ignore[union-attr]
        return self._fd

    def _write_matches_one_by_one(self, place: dict[str, str], column: str,
                                  rows: list[int | None], cells: list[str],
                                  found: dict[str, list[Match]],
                                  masked: dict[tuple[str, str], str]) -> None:
        for row, cell in zip(rows, cells, strict=True):
            for match in found[cell]:
                self.write(Finding(**place, category=match.category,
                                   masked=masked[match.category, match.value], row=row,
                                   column=column, start=match.start, end=match.end,
                                   value=match.value))

    def _template(self, place: dict[str, str], category: str, column: str,
                  offsets: bool = False) -> tuple[list[str], tuple[int, ...]] | None:
        """The JSON line of a finding as the literal pieces between its varying fields and the
        fields in turn (0 row, 1 masked, 2 value, and with ``offsets`` 3 start, 4 end), or
        None if the placeholders cannot be told apart (then: ``write``)."""
        key = (tuple(place.items()), category, column, offsets)
        if key not in self._templates:
            at_offsets = {"start": _START_PROBE, "end": _END_PROBE} if offsets else {}
            probe = Finding(**place, category=category, masked=_MASKED_PROBE, row=_ROW_PROBE,
                            column=column, value=_VALUE_PROBE, **at_offsets)
            text = json.dumps(probe.to_dict(self.show_values), ensure_ascii=False) + "\n"
            slots = [(str(_ROW_PROBE), 0), (encode_basestring(_MASKED_PROBE), 1)]
            if self.show_values:
                slots.append((encode_basestring(_VALUE_PROBE), 2))
            if offsets:
                slots += [(str(_START_PROBE), 3), (str(_END_PROBE), 4)]
            found = sorted((text.find(probe_text), len(probe_text), slot)
                           for probe_text, slot in slots)
            pieces, order, at = [], [], 0
            for position, length, slot in found:
                if position < at or text.count(text[position:position + length]) != 1:
                    self._templates[key] = None
                    break
                pieces.append(text[at:position])
                order.append(slot)
                at = position + length
            else:
                self._templates[key] = ([*pieces, text[at:]], tuple(order))
        return self._templates[key]


# What a JSON string escapes (json.dumps with ensure_ascii=False): quote, backslash, controls.
_NEEDS_ESCAPE = r'["\\\x00-\x1f]'


def _kernel_lines(template: tuple[list[str], tuple[int, ...]], category: str, rows: pl.Series,
                  values: pl.Series, fd: int = -1) -> bytes | int | None:
    """The lines of ``write_cells`` by the compiled writer (_cellwriter.c): each cell masked
    and written as a JSON line in one pass of C; None where it does not apply (cells that are
    not strings, rows that are not numbers, a null cell), and ``write_cells`` uses polars.
    As bytes, or with ``fd`` >= 0 written to that file (nothing written when it does not
    apply) and their size."""
    if values.dtype != pl.String or not rows.dtype.is_integer():
        return None
    pieces, slots = template
    code = _KERNEL_MASKERS.get(masking.masker(category), _cellwriter.MASK_GIVEN)
    masks = None
    if code == _cellwriter.MASK_GIVEN:  # a rule the kernel does not know: all by mask_column
        masks = mask_column(category, values).__arrow_c_stream__()
    elif (reads := _KERNEL_READS.get(code)) is not None:  # the cells it does not read: too
        other = ~values.str.contains(reads).fill_null(True)
        if other.any():
            masks = pl.Series([None] * len(values), dtype=pl.String).scatter(
                other.arg_true(), mask_column(category, values.filter(other))
            ).__arrow_c_stream__()
    try:
        return _cellwriter.write_cells(
            tuple(piece.encode("utf-8") for piece in pieces), slots,
            rows.cast(pl.Int64).__arrow_c_stream__(), values.__arrow_c_stream__(), code, masks,
            fd)
    except ValueError:
        return None


_KERNEL_MASKERS = {} if _cellwriter is None else {
    masking.mask_default: _cellwriter.MASK_DEFAULT, masking.mask_phone: _cellwriter.MASK_PHONE,
    masking.mask_last_four: _cellwriter.MASK_LAST_FOUR,
    masking.mask_email: _cellwriter.MASK_EMAIL, masking.mask_name: _cellwriter.MASK_NAME,
    masking.mask_birth_date: _cellwriter.MASK_BIRTH_DATE,
    masking.mask_address: _cellwriter.MASK_ADDRESS}
# The date cells the kernel masks itself (its date_char): ASCII, full-width ASCII, the
# ideographic space, 年月日元 and the eras' kanji — NFKC maps them one for one.
_KERNEL_DATE_CELLS = "^[\\x00-\\x7F\\x{FF01}-\\x{FF5E}\\x{3000}年月日元明治大正昭和平成令]*$"
# Per rule with cells the kernel leaves to mask_column: the cells it reads (its one_for_one
# for addresses: their normal form is theirs character for character).
_KERNEL_READS = {} if _cellwriter is None else {
    _cellwriter.MASK_BIRTH_DATE: _KERNEL_DATE_CELLS, _cellwriter.MASK_ADDRESS: masking.ONE_FOR_ONE}


def _descriptor(handle: IO[bytes] | None) -> int:
    """The file descriptor of a plain binary file (``open(path, "wb")``), else -1: a wrapper
    that compresses or encodes may have a descriptor that must not be written to directly."""
    if not isinstance(handle, (io.BufferedWriter, io.FileIO)) or handle.closed:
        return -1
    try:
        return handle.fileno()
    except (OSError, ValueError):
        return -1


def _kernel_mask(code: int, category: str, value: str) -> str:
    """``mask(category, value)`` by the compiled writer's rule ``code`` (``mask`` itself for a
    cell it leaves to Python)."""
    try:
        return _cellwriter.mask(code, value)
    except ValueError:
        return mask(category, value)


def _json_strings(values: pl.Series) -> pl.Series:
    """Each value as a JSON string literal, quotes included (``encode_basestring``)."""
    quoted = pl.select(pl.concat_str([pl.lit('"'), pl.lit(values), pl.lit('"')])).to_series()
    odd = values.str.contains(_NEEDS_ESCAPE).fill_null(False)
    if odd.any():
        quoted = quoted.scatter(odd.arg_true(), values.filter(odd).map_elements(
            encode_basestring, return_dtype=pl.Utf8))
    return quoted


def scan_file(path: str | Path, name: str, options: ScanOptions,
              progress: Progress | None = None, guard: Guard = NO_GUARD, *,
              findings_to: IO[bytes] | None = None) -> FileResult:
    """Scan one top-level file (with everything it contains). Runs in a worker process.
    If the ``guard`` stops the scan (time, memory, cancel), what was found so far is returned,
    with ``stopped`` saying why. The findings go to a temporary file of their own, or with
    ``findings_to`` (a scan in one process, file after file) straight to the output."""
    path = Path(path)
    size = path.stat().st_size if path.exists() else 0
    result = FileResult(name, size, people=PeopleCounter(temp_dir=options.temp_dir))
    if options.ner:  # set here, in the worker process (or Dask worker) that scans the text
        ner.configure(options.ner)
    handle = None
    if options.findings and findings_to is not None:
        handle = findings_to
    elif options.findings:
        fd, result.findings_path = tempfile.mkstemp(prefix="rouei-findings-", suffix=".jsonl",
                                                    dir=options.temp_dir)
        handle = os.fdopen(fd, "wb")
    sink = _FindingsSink(handle, options.show_values)
    _threads().submit(prepare_classify)  # compiles while the first rows are read
    meter = _Meter(progress, size)
    try:
        for part in read_parts(path, name, options.limits, guard=guard, advance=meter.advance):
            guard.check()
            # Inside a container the container reports (per member); a part of the file
            # itself reports its batches and lines.
            advance = meter.advance if part.member is None else None
            if isinstance(part, Unreadable):
                result.unreadable.append({**where(part), "code": part.code,
                                          "reason": part.reason})
            elif isinstance(part, TablePart):
                for done in _scan_table(part, result, sink, options.prose_processes):
                    if advance is not None:
                        advance(done)
                    guard.check()
                _note_skipped(part, result)
            elif isinstance(part, TextPart):
                _scan_text(part, result, sink, guard, advance)
                _note_skipped(part, result)
    except ScanStopped as stop:
        result.stopped = stop.to_dict()
    finally:
        if handle is not None and handle is not findings_to:
            handle.close()
    if result.stopped is None:
        meter.finish()
    return result


class _Meter:
    """Progress within one top-level file: estimates (a batch's size in memory, a member's
    compressed size, text read) are passed on as they come, never beyond the file's size."""

    def __init__(self, progress: Progress | None, size: int):
        self.progress = progress
        self.size = size
        self.reported = 0

    def advance(self, estimate: int) -> None:
        step = max(0, min(estimate, self.size - self.reported))
        if step:
            self.reported += step
            if self.progress is not None:
                self.progress(step)

    def finish(self) -> None:
        self.advance(self.size - self.reported)


def _note_skipped(part: TablePart | TextPart, result: FileResult) -> None:
    """What the reader could not read of a part it read (filled in as it was consumed): on the
    part's summary, and, when something was lost, as a ``partly_unreadable`` entry of the
    unreadable list, with how much — so that a count is never silently low."""
    if not part.skipped:
        return
    summary = result.summaries[-1]
    summary.skipped = dict(sorted(part.skipped.items()))
    entry = partly_unreadable(where(part), part.skipped)
    if entry is not None:
        summary.partly_unreadable = True
        result.unreadable.append(entry)


def _scan_table(part: TablePart, result: FileResult, sink: _FindingsSink,
                prose_processes: int = 0) -> Iterator[int]:
    """Scan a table batch by batch; yields an estimate of the bytes each batch covered.

    The classified columns are matched in threads (the work is in polars, outside the GIL):
    all columns of a batch at once, while the batch before is written out and its people
    keys added, so both cores stay busy on one file. Results are taken in batch and column
    order, so findings come out in the same order as a one-thread scan would write them."""
    place = where(part)
    summary = FileSummary(**place, kind="table", encoding=part.encoding)
    result.summaries.append(summary)
    classes: list[ColumnClass] | None = None
    column_summaries: dict[str, ColumnSummary] = {}
    pool = _threads()
    in_flight: deque[tuple[pl.DataFrame, pl.Series, dict[str, Future]]] = deque()
    adding: list[Future] = []
    record = 0

    def finish() -> int:
        batch, rows, matched = in_flight.popleft()
        keys: dict[str, pl.Series] = {}
        whole: set[str] = set()  # items with a column of their own (氏名, 住所)
        # Items split over columns (姓 / 名, 都道府県 / 番地 …): the records holding any of their
        # parts (one name or address per record in the totals), and each part's values.
        split_records: dict[str, pl.Series] = {}
        split_values: dict[str, dict[str, pl.Series]] = {}
        found_in: list[pl.Series] = []  # per column, the records in which it holds an item
        mixed_keys: set[str] = set()  # items whose key takes values from a mixed column
        for cls in classes or ():
            if cls.staff:  # 担当者名: the company's clerks are reported, neither key nor person
                match = matched[cls.column].result()
                summary.items[cls.category] += match.count
                column_summaries[cls.column].count += match.count
                if sink.handle is not None and match.count:
                    sink.write_cells(place, cls.category, cls.column, rows.filter(match.valid),
                                     batch.get_column(cls.column).filter(match.valid))
                if match.key is not None:
                    result.staff.update(k for k in match.key.drop_nulls().unique().to_list() if k)
            elif cls.category:
                match = matched[cls.column].result()
                valid, found, key = match.valid, match.count, match.key
                found_in.append(valid)
                for other, extra in match.others:  # a mixed column's cells of other items
                    found_in.append(extra.valid)
                    whole.add(other)
                    summary.items[other] += extra.count
                    also = column_summaries[cls.column].also
                    also[other] = also.get(other, 0) + extra.count
                    if sink.handle is not None and extra.count:
                        sink.write_cells(place, other, cls.column, rows.filter(extra.valid),
                                         batch.get_column(cls.column).filter(extra.valid))
                    if extra.key is not None:
                        keys[other] = _coalesce(keys.get(other), extra.key)
                        mixed_keys.add(other)
                if cls.part:
                    seen = split_records.get(cls.category)
                    split_records[cls.category] = valid if seen is None else seen | valid
                    if match.part_values is not None:
                        split_values.setdefault(cls.category, {}).setdefault(
                            cls.part, match.part_values)
                else:
                    whole.add(cls.category)
                    summary.items[cls.category] += found
                column_summaries[cls.column].restored += match.restored
                if sink.handle is not None and found:
                    sink.write_cells(place, cls.category, cls.column, rows.filter(valid),
                                     batch.get_column(cls.column).filter(valid))
                column_summaries[cls.column].count += found
                if key is not None and cls.category not in keys:
                    keys[cls.category] = key
                elif key is not None and (cls.mixed or cls.category in mixed_keys):
                    # a record's phone may be in 連絡先1 or in 連絡先2: the first one there is
                    keys[cls.category] = _coalesce(keys[cls.category], key)
                    mixed_keys.add(cls.category)
            elif cls.free_text:
                found, holds = _scan_prose_column(batch, cls.column, rows, place, sink,
                                                  summary, matched[cls.column].result())
                column_summaries[cls.column].count += found
                found_in.append(holds)
        for category, records in split_records.items():
            if category not in whole:  # else the item's own column counts its records
                summary.items[category] += int(records.sum())
        for category, values in split_values.items():
            joined = _joined_parts(category, values)
            if category not in keys and joined is not None:
                keys[category] = _identity_keys(category, joined, _detector_for(category))
        # A record is someone's only if some item was found in it (a row of order numbers and
        # amounts is no one); one without any identity key is a person of its own.
        records = pl.DataFrame(keys) if keys else pl.DataFrame({"_": _nulls(batch.height)})
        records = (records.filter(functools.reduce(operator.or_, found_in)) if found_in
                   else records.clear())
        if adding:  # people are added batch after batch, in record order
            adding.pop().result()
        adding.append(pool.submit(result.people.add, records))
        return batch.estimated_size()

    if prose_processes > 0 and _notes_ahead(part, result.size):
        _prose_pool(prose_processes)  # starts while the first rows are read
    try:
        for batch in part.batches:
            if classes is None:
                classes = [classify(c, batch.get_column(c).head(SAMPLE_SIZE * 4).to_list(),
                                    has_header=part.has_header) for c in part.columns
                           if c in batch.columns]
                for cls in classes:
                    if cls.category or cls.free_text or cls.looked_like:
                        # a vetoed column is listed when its values looked like an item, so
                        # that the report says why it was not counted
                        column_summaries[cls.column] = ColumnSummary(
                            cls.column, cls.category, 0, cls.by_header, cls.valid_share,
                            part=cls.part, veto=cls.veto, looked_like=cls.looked_like,
                            staff=cls.staff)
                summary.columns = list(column_summaries.values())
            if part.row_numbers_column and part.row_numbers_column in batch.columns:
                rows = batch.get_column(part.row_numbers_column)
            else:
                rows = pl.int_range(part.first_row + record,
                                    part.first_row + record + batch.height, eager=True)
            record += batch.height
            summary.rows += batch.height
            in_flight.append((batch, rows, {
                cls.column: (pool.submit(_match_column, batch, cls) if cls.category
                             else pool.submit(_match_prose, batch.get_column(cls.column),
                                              prose_processes))
                for cls in classes if cls.category or cls.free_text}))
            if len(in_flight) > 1:
                yield finish()
        while in_flight:
            yield finish()
    finally:
        if adding:
            adding.pop().result()


# A table in a file this big whose header names a notes column (``FREE_TEXT_HEADER``) starts
# its free-text processes before its first rows are read (``_notes_ahead``).
PROSE_EARLY_BYTES = 64 << 20


def _notes_ahead(part: TablePart, size: int) -> bool:
    """Whether a table will most likely send free-text cells to other processes: a big file
    (``PROSE_EARLY_BYTES``) with a column headed as notes (備考, メモ, 問い合わせ内容 …, which
    ``columns.classify`` takes as free text). Starting the processes then, not when its first
    batch's cells are screened, lets their start-up (imports and patterns, ~0.5 CPU s) overlap
    the reading of the first rows instead of holding up the first batch."""
    return (size >= PROSE_EARLY_BYTES and part.has_header
            and any(FREE_TEXT_HEADER.search(column.strip()) for column in part.columns))


_POOL: ThreadPoolExecutor | None = None


def _threads() -> ThreadPoolExecutor:
    """The threads that match columns: one per core, and one more to take over while another
    holds the GIL (the work is in polars, mostly outside it)."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1,
                                   thread_name_prefix="rouei-scan")
    return _POOL


@dataclass(frozen=True)
class _ColumnMatch:
    valid: pl.Series  # Boolean: the cells that are the column's item
    count: int
    key: pl.Series | None  # identity values (canonical form, null where not valid)
    restored: int = 0  # cells valid once what a spreadsheet did to them is undone
    # a part of an identity item split over columns: its valid values (the key is made from
    # all the parts of a record together)
    part_values: pl.Series | None = None
    # a mixed column (ColumnClass.mixed): each other item with the cells that are it
    others: tuple[tuple[str, _ColumnMatch], ...] = ()


def _match_column(batch: pl.DataFrame, cls: ColumnClass) -> _ColumnMatch:
    """The valid cells of a classified column, their number, and the column's identity values
    when the item is an identity key."""
    category = cls.category
    detector = _detector_for(category)
    normal = normalise_cells(batch.get_column(cls.column))
    whole = _matched_by_key_pass(normal, cls, detector)
    if whole is not None:
        return whole
    restored = 0
    minorities, taken = _minority_matches(normal, cls.mixed)
    if detector is None or cls.part or (cls.by_header and category in WHOLE_CELL_BY_HEADER):
        # A catalogue item with no detector (e.g. 性別), or a column its header names that holds
        # the item or a part of it (住所; 姓 or 名, 番地, 建物名): every filled cell counts.
        valid = _filled(normal)
    else:
        valid = normal.str.contains(detector.column_pattern).fill_null(False)
        restore = getattr(detector.module, "restore_spreadsheet_value", None)
        if cls.by_header and restore is not None and not valid.all():
            # What a spreadsheet did to the item (a lost leading 0, a date as its serial
            # number) is undone where the header says what the column holds.
            others = (~valid).arg_true()
            repaired = restore(normal.gather(others))
            fixed = repaired.str.contains(detector.column_pattern).fill_null(False)
            if fixed.any():
                at = others.filter(fixed)
                normal = normal.scatter(at, repaired.filter(fixed))
                valid = valid.scatter(at, True)
                restored = int(fixed.sum())
        if (cls.by_header or by_evident_values(cls)) and not valid.all():
            normal, valid = _found_in_cells(normal, valid, detector)
        if detector.checksum:  # a number that fails its check digit is not this item
            valid = _checked(normal, valid, detector)
    if taken is not None:  # the cells that are another item of a mixed column
        valid = valid & ~taken
        minorities = _minorities_inside(normal, valid | taken, minorities)
    header_again = (normal == cls.column.strip()).fill_null(False)
    if header_again.any():  # the header row again inside the data (exports put together)
        valid = valid & ~header_again
    count = int(valid.sum())
    key = None
    if category in KEY_FIELDS and detector is not None:
        if count == len(normal) - normal.null_count():
            kept = normal  # every cell with a value is valid (most columns): nothing to blank
        else:
            kept = normal.zip_with(valid, _nulls(len(normal)))
        if cls.part:
            return _ColumnMatch(valid, count, None, restored, part_values=kept)
        key = _identity_keys(category, kept, detector)
    return _ColumnMatch(valid, count, key, restored, others=minorities)


# Items whose column pattern and key one compiled pass gives: the key of each cell that the
# detector's ``column_pattern`` matches whole, null for any other (tests/scanning/
# test_kernels.py checks each against the pattern and the item's key).
_KEY_PASSES: dict[str, Callable[[pl.Series], pl.Series | None]] = {
    "name_kana": kernels.kana_pattern_keys,
    "phone": kernels.phone_pattern_keys,
}


def _matched_by_key_pass(normal: pl.Series, cls: ColumnClass,
                         detector: Detector | None) -> _ColumnMatch | None:
    """``_match_column``'s answer from one pass of the item's key kernel (``_KEY_PASSES``) when
    every filled cell is the item (as in most exports): the cells with a value valid, their
    keys as they are. None otherwise (a cell that is not the item, the header again, a mixed
    column, a part): the full path decides."""
    key_pass = _KEY_PASSES.get(cls.category or "")
    if (key_pass is None or detector is None or detector.checksum or cls.part or cls.mixed
            or cls.category not in KEY_FIELDS
            or (cls.by_header and cls.category in WHOLE_CELL_BY_HEADER)):
        return None
    keys = key_pass(normal)
    if keys is None or keys.null_count() != normal.null_count():
        return None  # (the keys are null wherever the cells are, and where not the item)
    if (normal == cls.column.strip()).fill_null(False).any():
        return None  # the header row again inside the data
    return _ColumnMatch(normal.is_not_null(), len(normal) - normal.null_count(), keys)


def _minority_matches(normal: pl.Series, mixed: tuple[str, ...]
                      ) -> tuple[tuple[tuple[str, _ColumnMatch], ...], pl.Series | None]:
    """In a mixed column, the cells whole and valid for each of its other items (``validate``
    in full: no header vouches for them), the first item taking a cell; and all the cells
    taken, which are then not the column's main item (09012345678@docomo.ne.jp holds a phone
    number, but is an e-mail address)."""
    if not mixed:
        return (), None
    found: list[tuple[str, _ColumnMatch]] = []
    taken = pl.repeat(False, len(normal), dtype=pl.Boolean, eager=True)
    for category in mixed:
        detector = _detector_for(category)
        candidates = normal.str.contains(detector.column_pattern).fill_null(False) & ~taken
        valid = _checked(normal, candidates, detector)
        count = int(valid.sum())
        key = None
        if category in KEY_FIELDS and count:
            key = _identity_keys(category, normal.zip_with(valid, _nulls(len(normal))),
                                 detector)
        found.append((category, _ColumnMatch(valid, count, key)))
        taken = taken | valid
    return tuple(found), taken


def _minorities_inside(normal: pl.Series, taken: pl.Series,
                       minorities: tuple[tuple[str, _ColumnMatch], ...]
                       ) -> tuple[tuple[str, _ColumnMatch], ...]:
    """The cells of a mixed column that no item took whole but that hold one of its other
    items among other words (03-1234-5678(自宅)): each becomes that item's value, as under a
    header that names it (``Detector.find_in_cell``; the column's kinds are its context)."""
    rest = (~taken & (normal.str.len_bytes() > 0)).fill_null(False)
    if not rest.any():
        return minorities
    out = []
    for category, match in minorities:
        at = rest.arg_true()
        detector = _detector_for(category)
        inside = _python_map(normal.gather(at), detector.find_in_cell)
        hit = inside.is_not_null()
        if hit.any():
            where_hit = at.filter(hit)
            valid = match.valid.scatter(where_hit, True)
            rest = rest.scatter(where_hit, False)
            key = match.key
            if category in KEY_FIELDS:
                found = _nulls(len(normal)).scatter(where_hit, inside.filter(hit))
                key = _coalesce(key, _identity_keys(category, found, detector))
            match = _ColumnMatch(valid, int(valid.sum()), key)
        out.append((category, match))
    return tuple(out)


def _coalesce(first: pl.Series | None, then: pl.Series) -> pl.Series:
    """Each record's value from ``first``, or where it has none from ``then``."""
    if first is None:
        return then
    return pl.select(pl.coalesce(pl.lit(first), pl.lit(then))).to_series()


def _found_in_cells(normal: pl.Series, valid: pl.Series,
                    detector: Detector) -> tuple[pl.Series, pl.Series]:
    """In a column its header names, the cells that are not the item as a whole but hold it
    among other words (090-1234-5678(携帯), TEL:03-1234-5678, 1985年4月1日生): each becomes
    the value found in it, and valid. Once per distinct cell (they are few in most tables)."""
    rest = (~valid & (normal.str.len_bytes() > 0)).fill_null(False)
    if not rest.any():
        return normal, valid
    at = rest.arg_true()
    inside = _python_map(normal.gather(at), detector.find_in_cell)
    hit = inside.is_not_null()
    if hit.any():
        normal = normal.scatter(at.filter(hit), inside.filter(hit))
        valid = valid.scatter(at.filter(hit), True)
    return normal, valid


def _identity_keys(category: str, kept: pl.Series, detector: Detector) -> pl.Series:
    """The canonical form of each value (null stays null): the detector's
    ``normalise_value``, vectorised (the kernels, polars) where the item is common."""
    if category == "address":
        # the registry's form (identity.address): 経堂一丁目2番地3 is 東京都世田谷区経堂1-2-3;
        # the kernel is identity.conservative_address cell by cell (test_kernels.py)
        return kernels.registry_address_keys(kept)
    if category == "person_name":
        return kernels.name_keys(kept)
    if category == "name_kana":
        return _kana_keys(kept)
    if category in ("credit_card", "my_number"):
        return kernels.digit_keys(kept)
    if category == "email":
        return _email_keys(kept)
    if category == "phone":
        return _phone_keys(kept)
    if category == "birth_date":
        return _birth_date_keys(kept, detector)
    return _python_map(kept, detector.normalise_value)


def _joined_parts(category: str, values: dict[str, pl.Series]) -> pl.Series | None:
    """Each record's item from its parts split over columns, in ``PART_ORDER`` (山田 + 太郎 is
    the key of 山田 太郎; 東京都 + 千代田区 + 千代田1-1 that of 東京都千代田区千代田1-1); null
    where the parts a record has do not identify anyone."""
    if category == "address" and "prefecture" in values:
        values = {**values, "prefecture": _prefecture_names(values["prefecture"])}
    ordered = [pl.lit(values[p]) for p in PART_ORDER[category] if p in values]
    if category == "address":
        # The parts present are joined (the building is often empty); without a block number
        # what is left (a prefecture, a town) is shared by too many people to link anyone.
        joined = pl.select(pl.concat_str(ordered, ignore_nulls=True)).to_series()
        return joined.zip_with(joined.str.contains("[0-9]").fill_null(False),
                               _nulls(len(joined)))
    if len(ordered) < len(PART_ORDER[category]):
        return None  # a family name alone is shared by the whole family
    return pl.select(pl.concat_str(ordered)).to_series()  # null unless every part is there


_PREFECTURE_BY_CODE = {**{str(code): name for code, name in PREFECTURE_CODES.items()},
                       **{f"{code:02d}": name for code, name in PREFECTURE_CODES.items()}}


def _prefecture_names(cells: pl.Series) -> pl.Series:
    """A prefecture stored as its JIS code (EC-CUBE's pref: 13) as its name (東京都), so the
    key of an address is the same whichever way a table stores it; other cells as they are."""
    return cells.replace(_PREFECTURE_BY_CODE)


def _nulls(n: int) -> pl.Series:
    return pl.repeat(None, n, dtype=pl.Utf8, eager=True)


def _filled(normal: pl.Series) -> pl.Series:
    """The cells with something in them other than a ``NONE_MARKERS`` word (only short cells
    can be one)."""
    filled = (normal.str.len_bytes() > 0).fill_null(False)
    short = filled & (normal.str.len_chars() <= max(map(len, NONE_MARKERS)))
    if short.any():
        at = short.arg_true()
        marker = normal.gather(at).is_in(_NONE_CELLS)
        if marker.any():
            filled = filled.scatter(at.filter(marker), False)
    return filled


def _checked(normal: pl.Series, candidates: pl.Series, detector: Detector) -> pl.Series:
    """``candidates`` narrowed to the values whose checksum passes: the detector's vectorised
    ``validate_column`` if it has one, else ``validate`` on each distinct candidate."""
    validate_column = getattr(detector.module, "validate_column", None)
    if validate_column is not None:
        # Only the candidates (a card column is often half empty).
        passed = pl.repeat(False, len(normal), dtype=pl.Boolean, eager=True)
        if candidates.any():
            passed = passed.scatter(candidates.arg_true(),
                                    validate_column(normal.filter(candidates)))
    else:
        mapping = {v: bool(detector.validate(v))
                   for v in normal.filter(candidates).unique().drop_nulls().to_list()}
        passed = normal.replace_strict(mapping, default=False, return_dtype=pl.Boolean)
    return candidates & passed.fill_null(False)


# Distinct free-text cells of a batch worth sending to other processes (starting them costs
# about a second), and how many go to a process at once.
PROSE_POOL_MIN = 4000
PROSE_CHUNK = 1000


@dataclass(frozen=True, eq=False)
class _ProseMatches:
    """What the free-text detectors found in a free-text column of one batch: the distinct
    cells with a match and their matches as flat lists (``detectors.CellSpans``), no object
    per match."""

    rows: list[int]  # indexes into the batch of the cells with a match, in order
    cells: list[str] = field(default_factory=list)  # the distinct cells with a match
    spans: CellSpans = field(default_factory=lambda: CellSpans([0], [], [], []))

    @functools.cached_property
    def at(self) -> dict[str, int]:
        """Each cell's number in ``cells``."""
        return {cell: i for i, cell in enumerate(self.cells)}

    @property
    def found(self) -> dict[str, list[Match]]:
        """The matches by cell value, as ``Match`` objects."""
        return dict(zip(self.cells, self.spans.matches(self.cells), strict=True))

    @classmethod
    def of(cls, rows: list[int], found: dict[str, list[Match]]) -> _ProseMatches:
        """From ``Match`` lists by cell value (each match's value being its cell's text at its
        offsets, as ``detect_text`` gives them)."""
        cells = list(found)
        first = list(itertools.accumulate((len(found[c]) for c in cells), initial=0))
        matches = [m for c in cells for m in found[c]]
        return cls(rows, cells, CellSpans(first, [m.category for m in matches],
                                          [m.start for m in matches], [m.end for m in matches]))

    def __eq__(self, other: object) -> bool:
        # the same matches in the same records, whatever order the distinct cells came in
        return (isinstance(other, _ProseMatches) and self.rows == other.rows
                and self.found == other.found)

    __hash__ = None  # type: ignore[assignment]


def _screen_prose(cells: pl.Series) -> tuple[list[str], list[tuple[Detector, ...]]]:
    """The distinct cells some detector could match, and which detectors (``Detector.gates``,
    run over the column's distinct cells at once in polars): the others find nothing in them,
    so ``detect_text`` on these cells with these detectors gives every match of the column."""
    distinct = cells.filter((cells.str.len_bytes() > 0).fill_null(False)).unique()
    normal = normalise_cells(distinct)
    compiled = _compiled_gates(normal)
    digits = kernels.digit_counts(normal) if not normal.is_empty() else None
    passed: list[tuple[Detector, pl.Series]] = []
    for detector in all_detectors():
        mask = None
        for gate in sorted(detector.gates, key=lambda g: g not in compiled):
            if gate in compiled:  # the word lists: all in one compiled pass
                hit = compiled[gate] if mask is None else mask & compiled[gate]
            else:  # any other regex in polars, narrowed to the cells still in
                if mask is None and digits is not None and (least := _min_digits(gate)):
                    mask = digits >= least  # no match without that many digits (the most)
                hit = (normal.str.contains(gate) if mask is None
                       else mask.scatter(mask.arg_true(), normal.filter(mask).str.contains(gate)))
            mask = hit.fill_null(False)
            if not mask.any():
                break
        if mask is None:  # no cheap test: every cell
            mask = pl.repeat(True, len(normal), dtype=pl.Boolean, eager=True)
        if mask.any():
            passed.append((detector, mask))
    if not passed:
        return [], []
    if len(passed) > 63:  # more detectors than bits in a number: row by row
        masks = pl.DataFrame({str(i): mask for i, (_, mask) in enumerate(passed)})
        any_gate = masks.select(pl.any_horizontal(pl.all())).to_series()
        return distinct.filter(any_gate).to_list(), [
            tuple(passed[i][0] for i, hit in enumerate(row) if hit)
            for row in masks.filter(any_gate).iter_rows()]
    # Each cell's detectors as the bits of one number, and each distinct number's tuple once.
    bits = pl.select(pl.sum_horizontal(
        [pl.lit(mask).cast(pl.UInt64) * (1 << i) for i, (_, mask) in enumerate(passed)]
    )).to_series()
    any_gate = bits > 0
    values = distinct.filter(any_gate).to_list()
    detectors = [detector for detector, _ in passed]
    subset_of: dict[int, tuple[Detector, ...]] = {}
    subsets = []
    for code in bits.filter(any_gate).to_list():
        subset = subset_of.get(code)
        if subset is None:
            subset = subset_of[code] = tuple(d for i, d in enumerate(detectors) if code >> i & 1)
        subsets.append(subset)
    return values, subsets


@cache
def _min_digits(gate: str) -> int:
    return gates.min_digits(gate)


@cache
def _parsed_gates() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The detectors' gates the compiled kernel can test (``gates.parse``), by regex."""
    parsed = {gate: gates.parse(gate) for d in all_detectors() for gate in d.gates}
    found = {gate: alternatives for gate, alternatives in parsed.items() if alternatives}
    return dict(list(found.items())[:gates.MAX_GATES])


def _compiled_gates(normal: pl.Series) -> dict[str, pl.Series]:
    """Whether each cell contains each gate ``_parsed_gates`` holds (one pass of the kernel);
    the same as ``normal.str.contains(gate)`` with nulls as False."""
    parsed = _parsed_gates()
    if not parsed or normal.is_empty():
        return {}
    return dict(zip(parsed, gates.contains(normal, list(parsed.values())), strict=True))


def _match_prose(cells: pl.Series, processes: int = 0) -> _ProseMatches:
    """The free-text detectors on a column's cells, each distinct cell once, only on the cells
    some detector could match (``_screen_prose``), many at once (``cell_spans``); in
    ``processes`` other processes when there are many. What comes back from them is flat lists
    of numbers and categories (``CellSpans``), which pickle at a fraction of ``Match``
    objects' cost."""
    values, subsets = _screen_prose(cells)
    if processes > 0 and len(values) >= PROSE_POOL_MIN:
        pool = _prose_pool(processes)
        names = [tuple(d.name for d in subset) for subset in subsets]
        starts = range(0, len(values), PROSE_CHUNK)
        futures = [pool.submit(detect_named, values[i:i + PROSE_CHUNK],
                               names[i:i + PROSE_CHUNK]) for i in starts]
        # Meanwhile this process takes the chunks no other has started, from the last back:
        # the main process has cores to spare once its item columns are matched.
        here: dict[int, CellSpans] = {}
        for k in reversed(range(len(futures))):
            if not futures[k].cancel():
                break
            here[k] = cell_spans(values[starts[k]:starts[k] + PROSE_CHUNK],
                                 subsets[starts[k]:starts[k] + PROSE_CHUNK])
        parts = [here[k] if k in here else future.result() for k, future in enumerate(futures)]
    else:
        parts = [cell_spans(values, subsets)]
    found_cells: list[str] = []
    first, categories, span_starts, span_ends = [0], [], [], []
    at = 0
    for part in parts:
        for i in range(len(part.first) - 1):
            a, b = part.first[i], part.first[i + 1]
            if a != b:
                found_cells.append(values[at + i])
                first.append(first[-1] + b - a)
        categories += part.categories
        span_starts += part.starts
        span_ends += part.ends
        at += len(part.first) - 1
    if not found_cells:
        return _ProseMatches([])
    rows = cells.is_in(pl.Series(found_cells, dtype=pl.Utf8).implode()).fill_null(False).arg_true()
    return _ProseMatches(rows.to_list(), found_cells,
                         CellSpans(first, categories, span_starts, span_ends))


_PROSE_POOL: ProcessPoolExecutor | None = None
# Each process's first task (``prose_worker.warm_up``): all done once they can take cells.
_PROSE_WARM: list[Future] = []


# Two free-text columns' threads can ask for the pool at once: one pool, never a second left
# running unreferenced.
_PROSE_POOL_LOCK = threading.Lock()


def _prose_pool(processes: int) -> ProcessPoolExecutor:
    global _PROSE_POOL
    with _PROSE_POOL_LOCK:
        if _PROSE_POOL is None:
            _PROSE_POOL = ProcessPoolExecutor(max_workers=processes,
                                              mp_context=multiprocessing.get_context("spawn"),
                                              initializer=ignore_interrupt)
            _PROSE_WARM[:] = [_PROSE_POOL.submit(warm_up) for _ in range(processes)]
        return _PROSE_POOL


def _close_prose_pool() -> None:
    global _PROSE_POOL
    with _PROSE_POOL_LOCK:
        if _PROSE_POOL is not None:
            _PROSE_POOL.shutdown(wait=False, cancel_futures=True)
            _PROSE_POOL = None
            _PROSE_WARM.clear()


def _scan_prose_column(batch: pl.DataFrame, column: str, rows: pl.Series,
                       place: dict[str, str], sink: _FindingsSink, summary: FileSummary,
                       matched: _ProseMatches | None = None) -> tuple[int, pl.Series]:
    """The findings of the free-text detectors in a column of one batch (``_match_prose``):
    the number of findings, and which records have one."""
    if matched is None:
        matched = _match_prose(batch.get_column(column))
    holds = pl.repeat(False, batch.height, dtype=pl.Boolean, eager=True)
    if not matched.rows:
        return 0, holds
    cells = batch.get_column(column).gather(matched.rows)
    count = _count_prose if len(matched.cells) >= PROSE_COUNT_ARRAYS_MIN else _count_prose_each
    found = count(cells, matched, summary.items)
    if sink.handle is not None:
        sink.write_matches(place, column, rows.gather(matched.rows).to_list(), cells.to_list(),
                           matched)
    return found, holds.scatter(matched.rows, True)


# From this many distinct cells with a match on, ``_count_prose`` counts them in arrays.
PROSE_COUNT_ARRAYS_MIN = 64


def _count_prose_each(cells: pl.Series, matched: _ProseMatches, items: Counter[str]) -> int:
    """Adds to ``items`` the findings of ``matched`` in ``cells`` (the column's cells holding
    one, a cell's matches once per record holding it) and gives their number: each distinct
    cell once, in order of first sight, so that the items come into ``items`` in the order a
    record-by-record count meets them. Cell by cell in Python; ``_count_prose`` gives the
    same with the sums done in arrays."""
    found = 0
    at, first, categories = matched.at, matched.spans.first, matched.spans.categories
    for cell, times in cells.to_frame("c").group_by("c", maintain_order=True).len().iter_rows():
        i = at[cell]
        for k in range(first[i], first[i + 1]):
            items[categories[k]] += times
        found += times * (first[i + 1] - first[i])
    return found


def _count_prose(cells: pl.Series, matched: _ProseMatches, items: Counter[str]) -> int:
    """``_count_prose_each`` without Python per cell or per match: the distinct cells (first
    sight first) are joined to their number in ``matched.cells``, their matches laid out in
    that order with the cell's count of records beside each, and the counts summed per
    category in the order the categories are first met."""
    import numpy as np

    seen = (cells.to_frame("cell").group_by("cell", maintain_order=True).len()
            .join(pl.DataFrame({"cell": pl.Series(matched.cells, dtype=pl.Utf8),
                                "i": pl.int_range(len(matched.cells), eager=True,
                                                  dtype=pl.Int64)}),
                  on="cell", how="left", maintain_order="left"))
    order = seen.get_column("i").to_numpy()
    times = seen.get_column("len").to_numpy().astype(np.int64)
    first = np.asarray(matched.spans.first, dtype=np.int64)
    per_cell = (first[1:] - first[:-1])[order]
    # the matches' numbers, cell after cell: each cell's first match, then the ones after it
    starts_at = np.repeat(first[:-1][order] - (np.cumsum(per_cell) - per_cell), per_cell)
    k = starts_at + np.arange(int(per_cell.sum()), dtype=np.int64)
    weights = np.repeat(times, per_cell)
    per_category = (pl.DataFrame({"category": pl.Series(matched.spans.categories,
                                                        dtype=pl.Utf8).gather(k),
                                  "times": weights})
                    .group_by("category", maintain_order=True).agg(pl.col("times").sum()))
    for category, total in per_category.iter_rows():
        items[category] += total
    return int(weights.sum())


def _masks(matches: Iterable[Match]) -> dict[tuple[str, str], str]:
    """The masked form of each (category, value) of ``matches``: the compiled writer's masks,
    else ``mask_column`` per category (polars for the common shapes), not ``mask`` per match."""
    values: dict[str, set[str]] = {}
    for match in matches:
        values.setdefault(match.category, set()).add(match.value)
    out: dict[tuple[str, str], str] = {}
    for category, distinct in values.items():
        code = _KERNEL_MASKERS.get(masking.masker(category))
        if code is not None:  # the compiled masks, one call per value
            out.update(((category, v), _kernel_mask(code, category, v)) for v in distinct)
            continue
        series = pl.Series(list(distinct), dtype=pl.Utf8)
        out.update(zip(((category, v) for v in series.to_list()),
                       mask_column(category, series).to_list(), strict=True))
    return out


TEXT_PROGRESS_EVERY = 1 << 20  # bytes of text (estimated) between progress reports


def _scan_text(part: TextPart, result: FileResult, sink: _FindingsSink,
               guard: Guard = NO_GUARD, advance: Progress | None = None) -> None:
    """The free-text detectors line by line; the prose model (prose.py) decides which names
    are data subjects and whose the items are, and adds the names only the lines around show
    (a signature, 山田です。)."""
    from rouei.scanning.prose import ProseReader

    place = where(part)
    summary = FileSummary(**place, kind="text", encoding=part.encoding)
    result.summaries.append(summary)
    reader = ProseReader(summary_place(place), headers=part.headers,
                         threads=(*part.thread, summary_place(place)),
                         normaliser=_normalise_value)
    try:
        _scan_lines(part, summary, reader, sink, guard, advance)
    finally:  # also when stopped: the people of the lines read so far are kept
        doc = reader.finish()
        if doc.subjects or doc.staff or doc.company_values:
            result.prose.append(doc)


def _scan_lines(part: TextPart, summary: FileSummary, reader: ProseReader,
                sink: _FindingsSink, guard: Guard, advance: Progress | None) -> None:
    place = where(part)
    unreported = 0
    for line_no, line in _lines_with_ner_ahead(part.lines):
        guard.check()
        if advance is not None:  # UTF-8 bytes as an estimate of the file's (per megabyte)
            unreported += len(line.encode("utf-8", "ignore")) + 1
            if unreported >= TEXT_PROGRESS_EVERY:
                advance(unreported)
                unreported = 0
        summary.rows += 1
        matches = detect_text(line, ner=True) if line else []
        matches = reader.feed(line_no, line, matches)
        for match in matches:
            summary.items[match.category] += 1
            sink.write(Finding(**place, category=match.category,
                               masked=mask(match.category, match.value), line=line_no,
                               start=match.start, end=match.end, value=match.value))


def summary_place(place: dict[str, str]) -> str:
    """A part's own thread key when it joins no other: its place in the scan."""
    return "part:" + "\x1f".join(f"{k}={v}" for k, v in sorted(place.items()))


def _normalise_value(category: str, value: str) -> str:
    if category == "address":  # as the tables' keys (_identity_keys), so prose links to them
        return identity.conservative_address(value) or ""
    return _detector_for(category).normalise_value(value)


NER_LINES = 256  # lines read ahead so that the NER model sees them in one batch


def _lines_with_ner_ahead(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """``lines`` as they are; with NER on, read in chunks whose normalised texts the model
    has seen in one batch (``ner.prefetch``) before ``detect_text`` asks about them."""
    if ner.backend() is None:
        yield from lines
        return
    lines = iter(lines)
    while chunk := list(itertools.islice(lines, NER_LINES)):
        ner.prefetch([normalise(line).text for _, line in chunk if line])
        yield from chunk


def scan(paths: list[Path], options: ScanOptions = ScanOptions(), *,
         findings_out: Path | None = None, progress: Progress | None = None,
         dask_address: str | None = None,
         cancelled: Callable[[], bool] | None = None) -> ScanReport:
    """Scan files and folders. Ctrl-C (KeyboardInterrupt) stops early and returns the report of
    the files finished so far, marked partial; so do the budgets of ``options`` and
    ``cancelled`` (with what was found in the file being read, and ``stopped`` saying why)."""
    return scan_files(list_files(paths), options, findings_out=findings_out,
                      progress=progress, dask_address=dask_address, cancelled=cancelled)


def scan_files(files: list[tuple[Path, str]], options: ScanOptions = ScanOptions(), *,
               findings_out: Path | None = None, progress: Progress | None = None,
               dask_address: str | None = None,
               cancelled: Callable[[], bool] | None = None) -> ScanReport:
    """Scan (path, name) pairs: the name is how the report and findings call the file (e.g. an
    evidence item's original name for a content-addressed blob). ``cancelled`` is asked about
    once a second (control.Guard); when it says yes the scan stops as at a budget."""
    started = time.monotonic()
    report = ScanReport()
    results: dict[int, FileResult] = {}
    options = dataclasses.replace(options, findings=findings_out is not None)
    guard = Guard.start(options.max_seconds, options.max_memory_mb, cancelled,
                        poll_every=0.5 if cancelled is None else 1.0)
    direct: IO[bytes] | None = None  # the output, written file after file in this process
    try:
        if dask_address:
            _run_dask(files, options, dask_address, results, progress, guard)
        elif (options.workers or os.cpu_count() or 1) > 1 and len(files) > 1:
            _run_pool(files, options, results, progress, guard)
        else:
            in_process = dataclasses.replace(
                options, prose_processes=(options.workers or os.cpu_count() or 1) - 1)
            # One file after the other here: each file's findings go straight to the output
            # (no temporary file to copy: the findings of a big file are gigabytes).
            if findings_out is not None:
                direct = open(findings_out, "wb")  # noqa: SIM115 (closed below)
            for index, (path, name) in enumerate(files):
                guard.check()
                written = direct.tell() if direct is not None else 0
                try:
                    results[index] = scan_file(path, name, in_process, progress, guard,
                                               findings_to=direct)
                except KeyboardInterrupt:
                    if direct is not None:  # an unfinished file's findings are left out
                        direct.flush()
                        direct.truncate(written)
                    raise
                if results[index].stopped:
                    break
    except KeyboardInterrupt:
        report.partial = True
    except ScanStopped as stop:  # between files, or in the coordinator of a pool
        report.stopped = stop.to_dict()
    finally:
        _close_prose_pool()
        if direct is not None:
            direct.close()
    for result in results.values():
        if result.stopped and report.stopped is None:
            report.stopped = result.stopped
    if report.stopped is not None:
        report.partial = True
    tables = PeopleCounter(temp_dir=options.temp_dir)
    docs: list[ProseDoc] = []
    table_staff: set[str] = set()
    for index in sorted(results):
        result = results[index]
        table_staff |= result.staff
        report.files.extend(result.summaries)
        report.unreadable.extend(result.unreadable)
        report.bytes_read += result.size
        tables.merge(result.people)
        docs.extend(result.prose)
    if docs:
        from rouei.scanning.prose import count as count_prose

        prose = count_prose(docs, options.temp_dir)
        prose_people, prose_staff = prose.counter, prose.staff
    else:  # what prose.count([]) gives, without importing the prose model (a table scan)
        prose_people, prose_staff = PeopleCounter(temp_dir=options.temp_dir), 0
    _count_people(report, tables, prose_people, prose_staff)
    report.table_staff = len(table_staff)
    if findings_out is not None and direct is None:
        _concatenate([results[i].findings_path for i in sorted(results)], findings_out)
    for result in results.values():
        if result.findings_path:
            Path(result.findings_path).unlink(missing_ok=True)
    report.seconds = time.monotonic() - started
    return report


def _count_people(report: ScanReport, tables: PeopleCounter, prose: PeopleCounter,
                  prose_staff: int) -> None:
    """Tables and prose counted each on its own, and together: a person named in a mail and
    listed in a table is one (``report.people``); ``prose_staff``: the writers left out."""
    report.people_tables = tables.count()
    report.people_prose = prose.count()
    report.prose_staff = prose_staff
    if not report.people_prose.records:
        report.people = report.people_tables
    elif not report.people_tables.records:
        report.people = report.people_prose
    else:
        both = PeopleCounter(temp_dir=tables.temp_dir)
        both.merge(tables)
        both.merge(prose)
        report.people = both.count()


def _run_pool(files, options, results, progress, guard: Guard = NO_GUARD) -> None:
    workers = options.workers or os.cpu_count() or 1
    # "spawn", not fork: forking a process whose polars thread pool is running can deadlock.
    pool = ProcessPoolExecutor(max_workers=min(workers, len(files)),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=ignore_interrupt)
    # Each process keeps the time and memory budgets itself; the coordinator asks about a
    # cancel and the time between results.
    portable = guard.portable()
    pending = {pool.submit(scan_file, path, name, options, None, portable): index
               for index, (path, name) in enumerate(files)}
    try:
        while pending:
            done, _ = wait(pending, timeout=guard.poll_every, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                results[index] = future.result()
                if progress is not None:
                    progress(results[index].size)
                if stop := results[index].stopped:
                    raise ScanStopped(stop["reason"], stop.get("limit"), stop.get("used"))
            guard.check()
    except (KeyboardInterrupt, ScanStopped):
        # Stop now, not after the files in progress: terminate the workers (the executor has
        # no public way to do so) and keep what has finished.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _run_dask(files, options, address, results, progress, guard: Guard = NO_GUARD) -> None:
    from distributed import Client, as_completed

    portable = guard.portable()
    with Client(address) as client:
        futures = {client.submit(scan_file, str(path), name, options, None, portable,
                                 pure=False): index
                   for index, (path, name) in enumerate(files)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if progress is not None:
                progress(results[index].size)
            if results[index].stopped:
                break
            guard.check()


def _concatenate(parts: list[str | None], out: Path) -> None:
    with open(out, "wb") as target:
        for part in parts:
            if part:
                with open(part, "rb") as source:
                    _copy(source, target)


def _copy(source: IO[bytes], target: IO[bytes]) -> None:
    """Append ``source`` to ``target``: in the kernel where it can (``copy_file_range`` between
    regular files: the findings of a big file are gigabytes), else through a buffer."""
    copy_range = getattr(os, "copy_file_range", None)
    if copy_range is not None and stat.S_ISREG(os.fstat(target.fileno()).st_mode):
        target.flush()
        start, size, done = target.tell(), os.fstat(source.fileno()).st_size, 0
        try:  # explicit offsets: the files' own offsets stay where they are
            while done < size and (n := copy_range(source.fileno(), target.fileno(),
                                                   min(size - done, 1 << 30), done,
                                                   start + done)):
                done += n
        except OSError:  # not supported here (e.g. another file system): copy the rest below
            pass
        target.seek(start + done)
        source.seek(done)
    shutil.copyfileobj(source, target, 1 << 20)

