"""Readers: turn one file into parts (``TablePart``, ``TextPart``, ``Unreadable``).

``read_parts(path, name)`` sniffs the content first (magic bytes, ZIP member names, e-mail
headers, JSON shape), the extension second, and hands the file to the reader module registered
for that kind in ``READERS`` — one module per file type; adding a type is one module plus one
entry. Containers (ZIP, .eml) read what they hold through the same dispatch, named
``outer.zip!/inner.csv``, within the ``Limits`` (depth, ratio, total size, member count).

Nothing here raises for a bad file: a file or member that cannot be read becomes an
``Unreadable`` with a stable code and a reason (Japanese, then English), and the scan goes on.
That includes errors met while a part's batches or lines are being consumed: they end that
part's iterator and an ``Unreadable`` follows the part.

Streaming contract: parts are lazy. Consume (or abandon) each part's ``batches``/``lines``
before asking for the next part — the temporary file behind a ZIP member or an attachment is
removed when the generator moves on, and reading a part after that raises ``RuntimeError``.

What each reader holds in memory is written in its module docstring.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from rouei.scanning.control import NO_GUARD, Guard
from rouei.scanning.model import Part, TablePart, TextPart
from rouei.scanning.readers import _sniff
from rouei.scanning.readers._base import Limits, ReadContext, corrupt, read_sample, unreadable

__all__ = ["CODES", "READERS", "Limits", "read_parts", "read_with_context"]

# The stable codes an ``Unreadable`` from these readers carries (tests check codes, not wording).
CODES = ("io", "corrupt", "encoding", "unsupported", "encrypted", "zip_bomb", "too_deep",
         "too_large", "no_text")

# kind → module in this package; each module has ``read(path, name, ctx, kind)``.
READERS: dict[str, str] = {
    "csv": "csv",
    "text": "text",
    "json": "jsonfile",
    "jsonl": "jsonfile",
    "xlsx": "xlsx",
    "parquet": "parquet",
    "eml": "eml",
    "docx": "docx",
    "pdf": "pdf",
    "zip": "zipfile_reader",
    "sqldump": "sqldump",
    "sqldump_gz": "sqldump",
}


DEFAULT_LIMITS = Limits()


def read_parts(path: Path, name: str, limits: Limits = DEFAULT_LIMITS, *,
               guard: Guard = NO_GUARD,
               advance: Callable[[int], None] | None = None) -> Iterator[Part]:
    """The parts of one file; ``name`` is how findings will name it (relative to the scanned
    folder). Never raises for a bad file (a stop of the ``guard`` is not a bad file: it
    passes). Each part carries its place: ``file`` (``name``), and ``member`` inside a
    container, ``sheet`` or ``table`` where they apply. ``advance`` hears of a container's
    members as they are done (bytes of ``path``)."""
    return read_with_context(Path(path), name, ReadContext.start(limits, name, guard, advance))


def read_with_context(path: Path, name: str, ctx: ReadContext) -> Iterator[Part]:
    for part in _read_with_context(path, name, ctx):
        if not part.file:  # the parts of a member were placed by its own reading already
            part = dataclasses.replace(part, file=ctx.file or name, member=ctx.member)
        yield part


def _read_with_context(path: Path, name: str, ctx: ReadContext) -> Iterator[Part]:
    try:
        sample = read_sample(path, ctx.limits.sample_bytes)
        kind = _sniff.sniff(path, name, sample)
    except OSError as exc:
        yield unreadable(name, "io", "ファイルを開けません", "the file cannot be opened", exc)
        return
    except Exception as exc:
        yield corrupt(name, exc)
        return
    if kind in (_sniff.BINARY, _sniff.LEGACY_OFFICE):
        yield unreadable(name, "unsupported", "対応していない形式のファイルです",
                         "this file type is not supported")
        return
    if kind == _sniff.ENCRYPTED_OFFICE:
        yield unreadable(name, "encrypted", "パスワードで保護された Office 文書です",
                         "the Office document is password-protected")
        return
    if (kind == "zip" and ctx.zip_depth >= ctx.limits.max_zip_depth) or (
            kind in ("zip", "eml") and ctx.depth >= ctx.limits.max_depth):
        yield unreadable(name, "too_deep", "入れ子が深すぎるため展開しません",
                         "nested too deeply; not expanded")
        return
    try:
        module = importlib.import_module(f"{__name__}.{READERS[kind]}")
    except ImportError as exc:  # a reader's library missing from this installation
        yield unreadable(name, "unsupported", "この形式を読むためのライブラリがありません",
                         "the library for this file type is not installed", exc)
        return
    yield from _guarded(module.read(path, name, ctx, kind), name)


class _PartGuard:
    """Wraps one part's iterator: an error while it is consumed ends it and is reported after
    the part, instead of escaping into the engine."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.error: BaseException | None = None
        self.records = 0  # rows or lines handed on before an error
        self.open = True

    def wrap(self, iterator: Iterator) -> Iterator:
        try:
            for item in iterator:
                self.records += item.height if isinstance(item, pl.DataFrame) else 1
                yield item
        except BaseException as exc:
            if not _is_failure(exc):
                raise
            if not self.open:
                raise RuntimeError(f"part {self.name!r} read after read_parts moved on to the "
                                   "next part; consume each part before the next") from exc
            self.error = exc


def _guarded(parts: Iterator[Part], name: str) -> Iterator[Part]:
    try:
        for part in parts:
            guard = _PartGuard(part.name)
            if isinstance(part, TablePart):
                part = dataclasses.replace(part, batches=guard.wrap(part.batches))
            elif isinstance(part, TextPart):
                part = dataclasses.replace(part, lines=guard.wrap(part.lines))
            yield part
            guard.open = False
            if guard.error is not None:
                yield dataclasses.replace(unreadable(
                    part.name, "corrupt",
                    f"読み取りの途中でエラーが発生しました ({guard.records} 件までは読み取り済み)",
                    f"reading stopped part-way through ({guard.records} rows or lines read)",
                    guard.error), file=part.file, member=part.member, sheet=part.sheet,
                    table=part.table)
    except BaseException as exc:
        if not _is_failure(exc):
            raise
        yield corrupt(name, exc)


def _is_failure(exc: BaseException) -> bool:
    """An error from reading a bad file: any Exception, or a panic inside a Rust library
    (polars, calamine), which pyo3 raises as a BaseException. Not KeyboardInterrupt,
    GeneratorExit or SystemExit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"
