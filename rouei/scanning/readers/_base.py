"""What every reader shares: the limits, the read context passed down through containers, the
``Unreadable`` helper and temporary files with safe names.

Reasons for ``Unreadable`` are one string, Japanese first, then English (model.py); they never
quote file contents or exception messages, which may carry personal data — only the exception's
type name.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from rouei.scanning.control import NO_GUARD, Guard
from rouei.scanning.model import Part, Unreadable

MiB = 1024 * 1024
GiB = 1024 * MiB
COPY_CHUNK = MiB


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one top-level file may cost to read (memory, disk, time)."""

    batch_rows: int = 50_000  # rows per DataFrame batch of a TablePart
    sample_bytes: int = MiB  # head read for encoding, delimiter and header detection
    max_zip_depth: int = 3  # ZIP inside ZIP inside ZIP; one more level is "too_deep"
    max_depth: int = 8  # any container nesting (ZIP and e-mail attachments together)
    max_zip_ratio: float = 100.0  # declared uncompressed : compressed, per member
    ratio_min_size: int = MiB  # members smaller than this are never judged by their ratio
    # All members' declared sizes together : the archive file's size. Many members each just
    # small enough to escape the per-member check add up to a bomb all the same (issue 15).
    max_archive_ratio: float = 100.0
    max_total_uncompressed: int = 4 * GiB  # all ZIP members of one top-level file together
    max_members: int = 100_000  # ZIP members of one top-level file together
    max_json_bytes: int = 64 * MiB  # a single JSON document is parsed in memory up to this
    max_message_bytes: int = 256 * MiB  # an .eml is parsed in memory up to this
    max_line_chars: int = MiB  # longer text lines are cut into pieces (same line number)
    max_columns: int = 10_000  # distinct keys of a JSON / JSON Lines table
    temp_dir: str | None = None  # for transcoded CSVs and extracted members; None: system tmp
    # Passwords to try on encrypted ZIP members (PPAP: the sender knows it); never reported
    zip_passwords: tuple[str, ...] = field(default=(), repr=False)


@dataclass(slots=True)
class Budget:
    """What is left of the per-top-level-file allowances, shared by all nested containers."""

    uncompressed: int
    members: int


@dataclass(frozen=True, slots=True)
class ReadContext:
    limits: Limits
    budget: Budget
    zip_depth: int = 0
    depth: int = 0
    file: str = ""  # the top-level file's name (relative to the scanned folder)
    member: str | None = None  # the member being read inside it: ``a.zip!/b.csv`` nested
    guard: Guard = NO_GUARD  # the scan's time, memory and cancel checks (control.py)
    # Progress in bytes of the top-level file, for containers to report their members as they
    # finish (a ZIP's compressed member sizes); only the top-level container reports.
    advance: Callable[[int], None] | None = None

    @classmethod
    def start(cls, limits: Limits, file: str = "", guard: Guard = NO_GUARD,
              advance: Callable[[int], None] | None = None) -> ReadContext:
        return cls(limits, Budget(limits.max_total_uncompressed, limits.max_members), file=file,
                   guard=guard, advance=advance)

    def inside(self, kind: str) -> ReadContext:
        """The context for what a container of ``kind`` ("zip", "eml") holds."""
        return ReadContext(self.limits, self.budget,
                           self.zip_depth + (kind == "zip"), self.depth + 1, self.file,
                           self.member, self.guard, None)

    def read(self, path: Path, name: str, member: str) -> Iterator[Part]:
        """Read a contained file (ZIP member, attachment) through the normal dispatch;
        ``member`` is its own name in the container."""
        from rouei.scanning.readers import read_with_context

        inner = member if self.member is None else f"{self.member}!/{member}"
        return read_with_context(path, name, ReadContext(
            self.limits, self.budget, self.zip_depth, self.depth, self.file, inner, self.guard))


def unreadable(name: str, code: str, ja: str, en: str, exc: BaseException | None = None) -> Unreadable:
    suffix = f" ({type(exc).__name__})" if exc is not None else ""
    return Unreadable(name=name, code=code, reason=f"{ja} / {en}{suffix}")


def corrupt(name: str, exc: BaseException | None = None) -> Unreadable:
    return unreadable(name, "corrupt", "ファイルが壊れているか形式が正しくないため読めません",
                      "the file is damaged or not in the expected format", exc)


def not_text(name: str, head: bytes) -> Unreadable:
    if b"\x00" in head:
        return unreadable(name, "unsupported", "テキストではないファイルです",
                          "not a text file")
    return unreadable(name, "encoding",
                      "文字コードを判定できません (UTF-8, Shift_JIS/CP932, EUC-JP のいずれでもありません)",
                      "cannot tell the encoding (not UTF-8, Shift_JIS/CP932 or EUC-JP)")


_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


def safe_suffix(display_name: str) -> str:
    """The extension of a member or attachment name, if it is plain; never a path."""
    suffix = PurePosixPath(display_name.replace("\\", "/").rsplit("/", 1)[-1]).suffix
    return suffix.lower() if _SAFE_SUFFIX.fullmatch(suffix) else ""


def extension(name: str) -> str:
    """Lower-case extension of the last component of a part name (``a.zip!/b.CSV`` → ``.csv``)."""
    return safe_suffix(name.rsplit("!/", 1)[-1])


@contextmanager
def temp_file(limits: Limits, suffix: str = "") -> Iterator[tuple[Path, IO[bytes]]]:
    """A fresh temporary file with a random name (member names are never used as paths),
    removed on exit."""
    fd, raw = tempfile.mkstemp(prefix="rouei-", suffix=suffix, dir=limits.temp_dir)
    path = Path(raw)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield path, handle
    finally:
        path.unlink(missing_ok=True)


@dataclass(slots=True)
class Sample:
    """The head of a file: ``data`` is at most ``Limits.sample_bytes``; ``complete`` says the
    whole file fits in it."""

    data: bytes
    complete: bool
    size: int = 0


def read_sample(path: Path, limit: int) -> Sample:
    size = path.stat().st_size
    with path.open("rb") as handle:
        data = handle.read(limit)
    return Sample(data, complete=len(data) >= size, size=size)
