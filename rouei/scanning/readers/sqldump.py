"""Database dumps (データベースのダンプ): MySQL / MariaDB (mysqldump) and PostgreSQL plain dumps
(pg_dump, also with --inserts / --column-inserts), plain or gzip-compressed (.sql.gz).

Every table's rows become a ``TablePart`` with ``table`` set to the table's name as the dump
writes it (``customers``, ``public.dtb_customer``), so the columns go through the same path as a
CSV's: header aliases, column classification, people keys. The column names come from the
statement itself (``INSERT INTO t (a, b) VALUES``, ``COPY t (a, b) FROM stdin;``), else from the
table's ``CREATE TABLE``; without either, columns are numbered from "0" and classified by their
values. ``row`` is the record's number within its table in dump order (1 for the first row of
the table, however many statements or tables came before); rows of one table split over several
runs of statements keep counting.

What is read:
- ``INSERT`` / ``REPLACE INTO … VALUES (…),(…);`` with one or many rows per statement; strings in
  '…' (MySQL also "…") with backslash escapes (\\' \\\\ \\n \\t \\0 \\Z …) and '' doubled (MySQL),
  standard strings and E'…' (PostgreSQL); NULL as an empty cell; numbers and other bare values
  as written; hex and binary literals (0x…, X'…', _binary '…') as their text when they are
  UTF-8 text, else as written; casts after a string ('…'::text) dropped.
- ``COPY … FROM stdin;`` blocks in the text format: tab-separated, \\N null, backslash escapes,
  ending with a line ``\\.``.
- comments (--, #, /* … */), ``LOCK TABLES``, ``SET`` and every other statement are skipped.

Which dialect: the dump's header comment (``-- MySQL dump``, ``-- MariaDB dump``, ``--
PostgreSQL database dump``) or its shape (``COPY … FROM stdin``, ``standard_conforming_strings``);
MySQL otherwise. A dump in CP932 or EUC-JP is transcoded to UTF-8 first (a temporary file);
cells that are not text (binary columns) are counted in ``skipped["binary_cells"]`` and left
empty; rows with more or fewer values than the table has columns in ``skipped["ragged_rows"]``
(padded or cut).

Streaming: the file is read in windows of ``WINDOW`` bytes; the rows are parsed by the compiled
kernel (``_kernels.sql_rows``, straight into Arrow columns) into batches of
``Limits.batch_rows``. Memory: one window (larger only while one row or one statement is longer
than it, up to ``MAX_WINDOW``: a longer one ends the file as "too_large") and one batch.
"""

from __future__ import annotations

import dataclasses
import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import polars as pl

from rouei.scanning import _kernels
from rouei.scanning.kernels import _Stream
from rouei.scanning.model import Part, TablePart
from rouei.scanning.readers import _encoding
from rouei.scanning.readers._base import (
    MiB,
    ReadContext,
    Sample,
    corrupt,
    read_sample,
    temp_file,
    unreadable,
)

WINDOW = 8 * MiB
MAX_WINDOW = 512 * MiB
HEAD_BYTES = 64 * 1024  # a statement's head (up to VALUES) is looked for within this
TAIL_BYTES = 4096  # the dump's last line (-- Dump completed …) is looked for within this

MYSQL, PG_INSERT, COPY = 0, 1, 2  # the kernel's modes
_MORE, _END, _FULL, _ERROR = 0, 1, 2, 3  # the kernel's statuses

# --- what a dump looks like (used by _sniff) -----------------------------------------------

_DUMP_HEADER = re.compile(rb"^-- (?:MySQL dump|MariaDB dump|PostgreSQL database dump)", re.M)
_DATA_LINE = re.compile(
    rb"^[ \t]*(?:(?:INSERT|REPLACE)[ \t]+(?:IGNORE[ \t]+)?INTO[ \t]+[^\n]{1,300}?VALUES[ \t]*\("
    rb"|COPY[ \t]+[^\n]{1,2000}[ \t]FROM[ \t]+stdin;)", re.M | re.I)
_CREATE_LINE = re.compile(rb"^[ \t]*CREATE[ \t]+TABLE[ \t]", re.M | re.I)


def looks_like_dump(head: bytes, ext: str) -> bool:
    """A dump's header comment, a row statement at the start of a line (INSERT … VALUES (,
    COPY … FROM stdin;), or, for a .sql file, a CREATE TABLE."""
    if _DUMP_HEADER.search(head, 0, 4096):
        return True
    if _DATA_LINE.search(head):
        return True
    return ext == ".sql" and _CREATE_LINE.search(head) is not None


def gzip_head(data: bytes, limit: int) -> bytes | None:
    """The first ``limit`` bytes inflated from the head of a gzip file (None: not gzip)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, limit)
    except zlib.error:
        return None


def _dialect(head: bytes) -> int:
    if (b"PostgreSQL database dump" in head[:4096] or b"standard_conforming_strings" in head
            or re.search(rb"^COPY [^\n]* FROM stdin;", head, re.M)):
        return PG_INSERT
    return MYSQL


# --- statements ------------------------------------------------------------------------------

_IDENT = rb'(?:`(?:[^`]|``)+`|"(?:[^"]|"")+"|\[[^\]]+\]|[A-Za-z_\x80-\xff][\w$\x80-\xff]*)'
_NAME = rb"(" + _IDENT + rb"(?:\s*\.\s*" + _IDENT + rb")*)"
# A column list: runs of plain characters and quoted names, each taken whole (possessive): an
# unclosed list must fail at once, not try every way of cutting its names (2^n).
_COLUMNS = rb"(\((?:[^()'\"`]++|`(?:[^`]|``)++`|\"(?:[^\"]|\"\")++\")*+\))"
_INSERT = re.compile(
    rb"(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*(?:INTO\s+)?"
    + _NAME + rb"\s*" + _COLUMNS + rb"?\s*VALUES\s*", re.I)
_COPY = re.compile(rb"COPY\s+" + _NAME + rb"\s*" + _COLUMNS + rb"?\s+FROM\s+stdin\b[^\n]*\n",
                   re.I)
_CREATE = re.compile(
    rb"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMPORARY|TEMP|UNLOGGED)\s+)?"
    rb"TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:ONLY\s+)?" + _NAME + rb"\s*\(", re.I)
_IDENT_ONLY = re.compile(_IDENT)
# Where a statement ends: a ';' outside strings, quoted names and comments.
_ENDS = {
    MYSQL: re.compile(rb"'(?:[^'\\]++|\\.)*+'|\"(?:[^\"\\]++|\\.)*+\"|`[^`]*+`|--[^\n]*+"
                      rb"|#[^\n]*+|/\*.*?\*/|;", re.S),
    PG_INSERT: re.compile(rb"'[^']*+'|\"[^\"]*+\"|--[^\n]*+|/\*.*?\*/"
                          rb"|\$([A-Za-z_]\w*)?\$.*?\$\1\$|;", re.S),
}
_FILLER = {
    MYSQL: re.compile(rb"(?:\s++|--[^\n]*+|#[^\n]*+|/\*.*?\*/|;)*+", re.S),
    PG_INSERT: re.compile(rb"(?:\s++|--[^\n]*+|/\*.*?\*/|;)*+", re.S),
}
_COMMENTS = re.compile(rb"--[^\n]*+|/\*.*?\*/", re.S)
# Lines of a CREATE TABLE body that are not columns.
_NOT_COLUMNS = {"primary", "key", "unique", "constraint", "index", "fulltext", "spatial",
                "foreign", "check", "exclude", "like", "period", "inherits"}


def unquote(ident: bytes) -> str:
    text = ident.decode("utf-8", "replace")
    if text[:1] == "`":
        return text[1:-1].replace("``", "`")
    if text[:1] == '"':
        return text[1:-1].replace('""', '"')
    if text[:1] == "[":
        return text[1:-1]
    return text


def _name(raw: bytes) -> str:
    return ".".join(unquote(m.group(0)) for m in _IDENT_ONLY.finditer(raw))


def _column_list(raw: bytes | None) -> tuple[str, ...] | None:
    if not raw:
        return None
    return tuple(unquote(m.group(0)) for m in _IDENT_ONLY.finditer(raw[1:-1]))


def _definitions(body: bytes) -> tuple[str, ...]:
    """The column names of a CREATE TABLE body (between its outer parentheses)."""
    names: list[str] = []
    depth, start, quote = 0, 0, b""
    pieces: list[bytes] = []
    i = 0
    while i < len(body):
        c = body[i:i + 1]
        if quote:
            if c == b"\\" and quote == b"'":
                i += 1
            elif c == quote:
                quote = b""
        elif c in (b"'", b'"', b"`"):
            quote = c
        elif c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
        elif c == b"," and depth == 0:
            pieces.append(body[start:i])
            start = i + 1
        i += 1
    pieces.append(body[start:])
    for piece in pieces:
        piece = _COMMENTS.sub(b" ", piece).strip()
        match = _IDENT_ONLY.match(piece)
        if match is None:
            continue
        name = unquote(match.group(0))
        if match.group(0)[:1] not in (b"`", b'"', b"[") and name.casefold() in _NOT_COLUMNS:
            continue
        names.append(name)
    return tuple(names)


@dataclass
class _Head:
    kind: str  # "rows", "copy", "create", "other"
    table: str = ""
    columns: tuple[str, ...] | None = None
    prefix: bytes = b""  # the statement's bytes up to its first row


class _Window:
    """The dump as a sliding window of bytes: ``buf[pos:]`` is what is not read yet."""

    def __init__(self, handle: IO[bytes], budget: int | None = None):
        self.handle = handle
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.window = WINDOW
        self.budget = budget  # bytes of a gzip dump that may still be inflated
        self.base = 0  # the dump's byte offset of buf[0] (of the dump as read: inflated, UTF-8)
        self.tail = b""  # the last TAIL_BYTES read (the dump's last line, at the end)

    def fill(self, ahead: int) -> bool:
        """At least ``ahead`` bytes after ``pos`` unless the file ends first; False at the end
        of the file with nothing left."""
        if len(self.buf) - self.pos < ahead and not self.eof:
            want = max(self.window, ahead)
            if want > MAX_WINDOW:
                raise _TooLong
            data = self.handle.read(want - (len(self.buf) - self.pos))
            if self.budget is not None:
                self.budget -= len(data)
                if self.budget < 0:
                    raise _TooLarge
            if not data:
                self.eof = True
            self.tail = data[-TAIL_BYTES:] if len(data) >= TAIL_BYTES else (
                self.tail + data)[-TAIL_BYTES:]
            self.base += self.pos
            self.buf = self.buf[self.pos:] + data
            self.pos = 0
        return self.pos < len(self.buf)

    def offset(self) -> int:
        """The dump's byte offset of ``pos``."""
        return self.base + self.pos

    def grow(self) -> None:
        """More bytes after ``pos`` than now (a row or statement longer than the window)."""
        if self.eof:
            raise _Truncated
        self.window = min(self.window * 2, MAX_WINDOW + 1)
        self.fill(len(self.buf) - self.pos + 1)


class _TooLong(Exception):
    """One row or statement longer than MAX_WINDOW."""


class _TooLarge(Exception):
    """A gzip dump inflating past what is left of the uncompressed budget."""


class _Truncated(Exception):
    """The file ends inside a statement."""


class _Dump:
    def __init__(self, window: _Window, dialect: int, batch_rows: int, name: str = ""):
        self.name = name
        self.w = window
        self.dialect = dialect
        self.batch_rows = batch_rows
        self.tables: dict[str, tuple[str, ...]] = {}  # CREATE TABLE columns
        self.counts: dict[str, int] = {}  # rows read per table
        self.binary = 0
        self.ragged = 0
        # What went wrong in the rows of the last statement read (a note for the report), and
        # whether the rest of the file cannot be read.
        self.problem: Part | None = None
        self.stop = False

    def skip_filler(self) -> bool:
        filler = _FILLER[self.dialect]
        while True:
            if not self.w.fill(HEAD_BYTES):
                return False
            match = filler.match(self.w.buf, self.w.pos)
            self.w.pos = match.end()
            if self.w.pos < len(self.w.buf) - 1 or self.w.eof:
                return self.w.pos < len(self.w.buf)
            # filler up to the window's end (a long comment): read on

    def head(self) -> _Head | None:
        """The next statement's head, with ``pos`` at its first row (rows, copy) or past it."""
        if not self.skip_filler():
            return None
        w = self.w
        w.fill(HEAD_BYTES)
        window = w.buf[w.pos:w.pos + HEAD_BYTES]
        if match := _INSERT.match(window):
            head = _Head("rows", _name(match.group(1)), _column_list(match.group(2)),
                         match.group(0))
            w.pos += match.end()
            return head
        if match := _COPY.match(window):
            head = _Head("copy", _name(match.group(1)), _column_list(match.group(2)))
            w.pos += match.end()
            return head
        if match := _CREATE.match(window):
            table, opened = _name(match.group(1)), match.end()
            end = self._statement_end(opened)
            body = w.buf[w.pos + opened:end].rstrip()
            body = body[:-1] if body.endswith(b";") else body
            close = body.rfind(b")")
            self.tables[table] = _definitions(body[:close if close >= 0 else len(body)])
            w.pos = end
            return _Head("create")
        start, end = w.offset(), self._statement_end(0)
        statement = w.buf[w.pos:end]
        w.pos = end
        if self.problem is None and _ROWS_HINT.search(statement) and not _CREATE_ANY.match(
                statement):
            # rows whose head cannot be read (a stray character in INSERT … VALUES or COPY …
            # FROM stdin): skipped, and said; a COPY's data lines up to its end line with it
            if _COPY_HINT.search(statement):
                self._skip_to(_COPY_END)
            skipped = w.offset() - start
            self.problem = unreadable(
                self.name, "corrupt",
                f"{start:,} バイト目の行の文（INSERT / COPY）の頭を読めないため、"
                f"{skipped:,} バイトを読み飛ばしました",
                f"a statement of rows (INSERT / COPY) at byte {start:,} has a head that cannot "
                f"be parsed: {skipped:,} bytes skipped")
        return _Head("other")

    def _skip_to(self, pattern: re.Pattern[bytes]) -> bool:
        """``pos`` just past the next line start that ``pattern`` finds (its match starts at
        the line's newline), else at the end of the file (False)."""
        w = self.w
        while True:
            match = pattern.search(w.buf, max(w.pos - 1, 0))
            if match is not None:
                w.pos = match.start() + 1
                return True
            if w.eof:
                w.pos = len(w.buf)
                return False
            w.pos = max(w.pos, len(w.buf) - 64)  # keep a line's start across the refill
            w.fill(w.window)

    def _statement_end(self, offset: int) -> int:
        """The position in the window just past the ';' that ends the statement going on at
        ``pos + offset`` (the window's end at the end of the file). A quoted token that runs
        over the start of a line of rows (INSERT … INTO, COPY … FROM stdin) is a stray quote:
        the statement ends at that line, with a note in ``problem``."""
        ends = _ENDS[self.dialect]
        while True:
            w = self.w
            for match in ends.finditer(w.buf, w.pos + offset):
                token = match.group(0)
                if token == b";":
                    return match.end()
                if token[:1] in b"'\"`" and (rows := _ROWS_LINE.search(token)) is not None:
                    end = match.start() + rows.start() + 1
                    self.problem = unreadable(
                        self.name, "corrupt",
                        f"{w.base + match.start():,} バイト目の引用符が閉じていないため、その文の"
                        f"{w.base + end - w.offset():,} バイトを読み飛ばし、次の行の文から"
                        "読み進めました",
                        f"a quote at byte {w.base + match.start():,} is not closed: "
                        f"{w.base + end - w.offset():,} bytes of its statement were skipped, "
                        "reading on from the next line's statement")
                    return end
            if w.eof:
                return len(w.buf)
            w.grow()  # and scan again: a string may have been cut at the window's end

    def columns_for(self, head: _Head) -> tuple[tuple[str, ...], bool]:
        if head.columns is not None:
            return head.columns, True
        known = self.tables.get(head.table)
        if known:
            return known, True
        # No names: as many as the first row has values, numbered.
        mode = COPY if head.kind == "copy" else self.dialect
        while True:
            _, rows, _, status, _, _, width = _kernels.sql_rows(
                self.w.buf, self.w.pos, 0, 1, mode, b"", self.w.eof)
            if rows or status != _MORE:
                break
            self.w.grow()
        return tuple(str(i) for i in range(max(width, 1))), False

    def batches(self, head: _Head, ncols: int, columns: tuple[str, ...],
                name: str) -> Iterator[pl.DataFrame]:
        """The rows of the statement (and of the statements after it into the same table with
        the same head), in batches. A statement that cannot be parsed, a file that ends inside
        one, or a row too long to hold, end the batches (with the rows read so far) and leave
        a note in ``problem``; never an exception into the scan."""
        try:
            yield from self._batches(head, ncols, columns)
        except _Malformed as bad:
            self.problem = self._skip_malformed(name, head, bad.offset)
        except _Truncated:
            self.problem, self.stop = self._truncated(name, head), True
        except _TooLong:
            self.problem, self.stop = _too_long(name), True
        except _TooLarge:
            self.problem, self.stop = _too_large(name), True
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # a cut or damaged .sql.gz
            self.problem, self.stop = corrupt(name, exc), True
        if self.problem is not None:
            self.problem = dataclasses.replace(self.problem, table=head.table)

    def _truncated(self, name: str, head: _Head) -> Part:
        rows = self.counts.get(head.table, 0)
        what = "COPY ブロック" if head.kind == "copy" else "INSERT 文"
        end = "終わりの行 \\. がありません" if head.kind == "copy" else "文が閉じていません"
        return unreadable(
            name, "corrupt",
            f"ダンプがテーブル {head.table} の{what}の途中で終わっています（{end}。"
            f"{rows} 行目までは読み取り済み。ファイルが途中で切れている可能性があります）",
            f"the dump ends inside the {'COPY block' if head.kind == 'copy' else 'INSERT'} of "
            f"table {head.table} ({'no end line' if head.kind == 'copy' else 'not closed'}; "
            f"rows up to {rows} read; the file was probably cut off)")

    def _skip_malformed(self, name: str, head: _Head, offset: int) -> Part:
        """Past a statement whose rows cannot be parsed from ``offset`` on: to the next line
        that starts a statement (a dump writes each statement from the start of a line; a
        stray quote must not swallow the rest of the file); a note with how much was left."""
        w = self.w
        w.pos = max(w.pos, offset - w.base + 1)
        rows = self.counts.get(head.table, 0)
        found = self._skip_to(_NEXT_STATEMENT)
        skipped = w.offset() - offset
        rest = "次の文まで" if found else "ファイルの終わりまで"
        rest_en = "up to the next statement" if found else "to the end of the file"
        return unreadable(
            name, "corrupt",
            f"テーブル {head.table} の行を {offset:,} バイト目から読めません"
            f"（{rows} 行目までは読み取り済み。{rest}の {skipped:,} バイトを読み飛ばしました）",
            f"the rows of table {head.table} cannot be parsed from byte {offset:,} (rows up to "
            f"{rows} read; {skipped:,} bytes skipped {rest_en})")

    def _batches(self, head: _Head, ncols: int, columns: tuple[str, ...]) -> Iterator[pl.DataFrame]:
        mode = COPY if head.kind == "copy" else self.dialect
        pending: list[pl.DataFrame] = []
        held = 0
        try:
            while True:
                w = self.w
                w.fill(1)
                capsules, rows, pos, status, ragged, binary, _ = _kernels.sql_rows(
                    w.buf, w.pos, ncols, self.batch_rows - held, mode, head.prefix, w.eof)
                w.pos = pos
                self.binary += binary
                self.ragged += ragged
                if rows:
                    pending.append(pl.DataFrame([pl.Series(_Stream(capsule)).alias(name)
                                                 for name, capsule in zip(columns, capsules,
                                                                          strict=True)]))
                    held += rows
                    self.counts[head.table] = self.counts.get(head.table, 0) + rows
                if held >= self.batch_rows or (pending and status != _MORE and status != _FULL):
                    yield pl.concat(pending) if len(pending) > 1 else pending[0]
                    pending, held = [], 0
                if status == _MORE:
                    if not rows:
                        w.grow()  # one row longer than what is left of the window
                    else:
                        w.fill(w.window)  # read on
                    continue
                if status == _FULL:
                    continue
                if status == _ERROR:
                    if w.eof and _NEXT_STATEMENT.search(w.buf, w.pos) is None:
                        raise _Truncated  # nothing after it: the file was cut inside the statement
                    raise _Malformed(w.base + pos)
                if mode == COPY and not _copy_ended(w.buf, w.pos):
                    raise _Truncated  # the file ended before the block's end line
                # _END: the statement is over; a next one into the same table goes on here
                if head.kind == "rows" and self._same_rows_next(head):
                    continue
                if pending:
                    yield pl.concat(pending) if len(pending) > 1 else pending[0]
                return
        except (_Malformed, _Truncated, _TooLong, _TooLarge, EOFError, zlib.error):
            if pending:  # the rows read before it are scanned all the same
                yield pl.concat(pending) if len(pending) > 1 else pending[0]
            raise

    def _same_rows_next(self, head: _Head) -> bool:
        """If the next statement inserts into the same table with the same column list, move
        past its head and say so; else leave ``pos`` before it."""
        if not self.skip_filler():
            return False
        match = _INSERT.match(self.w.buf, self.w.pos, self.w.pos + HEAD_BYTES)
        if (match is not None and _name(match.group(1)) == head.table
                and _column_list(match.group(2)) == head.columns):
            self.w.pos = match.end()
            return True
        return False


class _Malformed(Exception):
    """Rows the parser cannot read, from the dump's byte ``offset`` on."""

    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


# Where a statement starts again after one that cannot be parsed: a line that starts with a
# statement's first word or a comment.
_NEXT_STATEMENT = re.compile(
    rb"\n(?=(?:INSERT|REPLACE|COPY|CREATE|DROP|ALTER|LOCK|UNLOCK|SET|SELECT|BEGIN|COMMIT|START)"
    rb"[\s;]|--|/\*)", re.I)


# The start of a line of rows, inside what was taken for a quoted token.
_ROWS_LINE = re.compile(rb"\n(?:(?:INSERT|REPLACE)[ \t]+(?:IGNORE[ \t]+)?INTO[ \t]"
                        rb"|COPY[ \t][^\n]*[ \t]FROM[ \t]+stdin;)", re.I)


# A statement taken for "other" that holds rows (starts INSERT / COPY, or holds VALUES ( or
# FROM stdin), unless it is a CREATE (a function's body may hold an INSERT); a COPY's end line.
_ROWS_HINT = re.compile(rb"\A(?:INSERT|REPLACE|COPY)\b|\bVALUES\s*\(|\bFROM\s+stdin\b", re.I)
_COPY_HINT = re.compile(rb"\bFROM\s+stdin\b", re.I)
_CREATE_ANY = re.compile(rb"\s*(?:CREATE|DO)\b", re.I)
_COPY_END = re.compile(rb"\n\\\.\r?(?:\n|$)")


def _copy_ended(buf: bytes, pos: int) -> bool:
    """Whether the COPY block the kernel ended at ``pos`` ended with its line ``\\.`` (the
    kernel also ends a block at the end of the file). The window starts at a line's start."""
    end = pos - (buf[pos - 1:pos] == b"\n")
    end -= buf[end - 1:end] == b"\r"
    return end >= 2 and buf[end - 2:end] == b"\\." and (end == 2 or buf[end - 3:end - 2] == b"\n")


def read(path: Path, name: str, ctx: ReadContext, kind: str = "sqldump") -> Iterator[Part]:
    sample = read_sample(path, ctx.limits.sample_bytes)
    if kind == "sqldump_gz":
        head = gzip_head(sample.data, ctx.limits.sample_bytes) or b""
        encoding = _encoding.detect(Sample(head, complete=False))
        if encoding in _encoding.NOT_UTF8:
            with temp_file(ctx.limits, ".sql") as (plain, handle):
                with gzip.open(path, "rb") as source:
                    while chunk := source.read(MiB):
                        ctx.budget.uncompressed -= len(chunk)
                        if ctx.budget.uncompressed < 0:
                            yield _too_large(name)
                            return
                        handle.write(chunk)
                handle.close()
                yield from read(plain, name, ctx, "sqldump")
            return
        with gzip.open(path, "rb") as handle:
            yield from _read(handle, name, ctx, _dialect(head), ctx.budget.uncompressed)
        return
    encoding = _encoding.detect(sample)
    if encoding in _encoding.NOT_UTF8:
        with temp_file(ctx.limits, ".sql") as (utf8_path, handle):
            _encoding.transcode(path, encoding, handle, ctx.limits.temp_dir)
            handle.close()
            with utf8_path.open("rb") as source:
                yield from _read(source, name, ctx, _dialect(sample.data), None, encoding)
        return
    with path.open("rb") as source:
        yield from _read(source, name, ctx, _dialect(sample.data), None)


def _read(handle: IO[bytes], name: str, ctx: ReadContext, dialect: int, budget: int | None,
          encoding: str = _encoding.UTF8) -> Iterator[Part]:
    window = _Window(handle, budget)
    dump = _Dump(window, dialect, ctx.limits.batch_rows, name)
    if window.fill(3) and window.buf.startswith(b"\xef\xbb\xbf"):
        window.pos = 3
    window.fill(4096)
    tool = _DUMP_HEADER.search(window.buf, window.pos, window.pos + 4096)
    try:
        while (head := dump.head()) is not None:
            if dump.problem is not None:  # a statement other than rows, cut at a stray quote
                yield dump.problem
                dump.problem = None
            if head.kind not in ("rows", "copy"):
                continue
            columns, named = dump.columns_for(head)
            skipped: dict[str, int] = {}
            batches = _counted(dump.batches(head, len(columns), columns, name), dump, skipped)
            yield TablePart(name=f"{name}#{head.table}", columns=columns, has_header=named,
                            first_row=dump.counts.get(head.table, 0) + 1, batches=batches,
                            encoding=encoding, skipped=skipped, table=head.table)
            for _ in batches:  # what the consumer left unread
                pass
            if dump.problem is not None:
                yield dump.problem
                dump.problem = None
            if dump.stop:
                return
        if tool is not None and not _DUMP_FOOTER.search(window.tail):
            yield _cut_off(name, tool.group(0))
    except _TooLong:
        yield _too_long(name)
    except _TooLarge:
        yield _too_large(name)
    except _Truncated:
        yield unreadable(name, "corrupt", "ダンプが文の途中で終わっています（途中までは読み取り済み）",
                         "the dump ends inside a statement (read up to there)")
    except (_Malformed, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield corrupt(name, exc)


def _counted(batches: Iterator[pl.DataFrame], dump: _Dump,
             skipped: dict[str, int]) -> Iterator[pl.DataFrame]:
    binary, ragged = dump.binary, dump.ragged
    try:
        yield from batches
    finally:
        if dump.binary > binary:
            skipped["binary_cells"] = dump.binary - binary
        if dump.ragged > ragged:
            skipped["ragged_rows"] = dump.ragged - ragged


# The last line mysqldump / mariadb-dump and pg_dump write (with their comments on, as their
# header comment shows): a dump without it was cut off, maybe between two statements where
# nothing else would show it.
_DUMP_FOOTER = re.compile(rb"^-- (?:Dump completed|PostgreSQL database dump complete)", re.M)


def _cut_off(name: str, header: bytes) -> Part:
    footer = ("-- PostgreSQL database dump complete" if b"PostgreSQL" in header
              else "-- Dump completed")
    return unreadable(name, "corrupt",
                      f"ダンプの最後の行（{footer}）がありません。ファイルが途中で切れており、"
                      "以降のテーブルや行が欠けている可能性があります",
                      f"the dump's last line ({footer}) is missing: the file was probably cut "
                      "off, and tables or rows after the cut are missing")


def _too_long(name: str) -> Part:
    return unreadable(name, "too_large",
                      f"1 行または 1 文が {MAX_WINDOW // MiB} MB を超えるため、以降を読めません",
                      f"a row or statement is longer than {MAX_WINDOW // MiB} MB; the rest "
                      "is not read")


def _too_large(name: str) -> Part:
    return unreadable(name, "too_large", "展開後サイズが上限を超えるため、以降を読みません",
                      "expanded size would exceed the limit; the rest is not read")
