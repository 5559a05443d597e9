"""Encoding detection and streaming decoding for text-like files (CSV, TSV, text, JSON Lines).

Detection trial-decodes the head of the file (``Limits.sample_bytes``, cut at the last line
break) strictly: a BOM decides first (UTF-8, UTF-32, UTF-16); a head with NUL bytes is tried as
UTF-32 and UTF-16 without a BOM (little and big endian) and kept only if it reads as text; then
UTF-8 (or UTF-8 with a few damaged bytes: they are replaced and counted, not a reason to read
the file as CP932); then CP932 and EUC-JP (strictly, else with a few damaged bytes). The
two Japanese legacy encodings overlap (bytes A1–FE pairs are valid in both), so when both decode
the CP932 reading is checked for plausibility: EUC-JP text read as CP932 turns into half-width
katakana in impossible places (the EUC-JP hiragana and katakana lead bytes A4/A5 become ``､``
and ``･``, voiced marks follow letters that cannot take them); genuine CP932 has none of that.

A UTF-8 BOM followed by lines that are not UTF-8 but CP932 (a file put together from two
exports, or saved by a tool that wrote the BOM and kept the bytes) is read with ``MIXED``: a
codec registered here that decodes each line as UTF-8 and, when that fails, as CP932, counting
those lines (``fallback_lines``) so that the report says what happened.

After detection, decoding is incremental over fixed-size chunks with ``errors="replace"``, so a
bad byte late in a file becomes U+FFFD instead of stopping the scan, and memory stays bounded.
"""

from __future__ import annotations

import codecs
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rouei.scanning.readers._base import COPY_CHUNK, MiB, Sample

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
UTF32 = "utf-32"
CP932 = "cp932"
EUC_JP = "euc_jp"
MIXED = "rouei-utf-8-sig-cp932"  # UTF-8 with BOM, some lines in CP932 (registered below)
# Encodings of 2 or 4 bytes a character: their line feed is not the byte 0A alone.
WIDE = (UTF16, UTF32, "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
# Encodings a reader that works on UTF-8 bytes must transcode first.
NOT_UTF8 = (CP932, EUC_JP, MIXED, *WIDE)
_WIDE_WITHOUT_BOM = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
REPLACEMENT = "\ufffd"  # what a byte that could not be decoded becomes

# Half-width katakana that can carry a voiced (ﾞ) or semi-voiced (ﾟ) mark.
_VOICEABLE = set("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ")
_SEMI_VOICEABLE = set("ﾊﾋﾌﾍﾎ")
_HALF_PUNCT = set("｡｢｣､･")


def detect(sample: Sample) -> str | None:
    """The encoding of a text file from its head, or None (binary, or no candidate decodes)."""
    data = sample.data
    if data.startswith(codecs.BOM_UTF8):
        return _utf8_bom_or_mixed(sample)
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        return UTF32
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    if b"\x00" in data:
        return _wide_without_bom(sample)
    head = cut_at_line_break(sample)
    # Without any line break in the sample the cut may split a character: decode as a prefix.
    final = sample.complete or head.endswith(b"\n")
    utf8 = _strict(head, UTF8, final)
    if utf8 is not None:  # UTF-8 wins whenever it decodes: the others need not be tried
        return UTF8 if _looks_like_text(utf8) else None
    if _damaged(head, UTF8):  # a few bad bytes in UTF-8: not a reason to read it all as CP932
        return UTF8
    decoded = {enc: text for enc in (CP932, EUC_JP)
               if (text := _strict(head, enc, final)) is not None}
    if CP932 in decoded and EUC_JP in decoded:
        chosen = EUC_JP if _implausible_cp932(decoded[CP932]) else CP932
    elif decoded:
        chosen = next(iter(decoded))
    else:  # a few bad bytes in CP932 or EUC-JP: read, and the bad bytes replaced and counted
        damaged = [enc for enc in (CP932, EUC_JP) if _damaged(head, enc)]
        if CP932 in damaged and _implausible_cp932(head.decode(CP932, "replace")):
            damaged.remove(CP932)
        return damaged[0] if damaged else None
    return chosen if _looks_like_text(decoded[chosen]) else None


_MAX_DAMAGE = 64  # bad byte sequences in a head beyond which it is not "a few"


class _TooDamaged(Exception):
    pass


def _note_damage(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _COUNTS.damage = getattr(_COUNTS, "damage", 0) + 1
    if _COUNTS.damage > _MAX_DAMAGE:
        raise _TooDamaged
    return REPLACEMENT, exc.end


def _damaged(head: bytes, encoding: str) -> bool:
    """Text in ``encoding`` with a few bytes that are not (a damaged file): at most
    ``_MAX_DAMAGE`` bad sequences, under 5% of the non-ASCII characters. Text in another
    encoding has a bad sequence every few bytes, so the decoding stops early (no cost worth
    noting for a CP932 file tried as UTF-8)."""
    _COUNTS.damage = 0
    try:
        text = head.decode(encoding, _DAMAGE)
    except _TooDamaged:
        return False
    bad = text.count(REPLACEMENT)
    wide = len(text) - len(text.encode("ascii", "ignore"))  # non-ASCII characters, at C speed
    return bad > 0 and bad < 0.05 * wide and _looks_like_text(text)


def _utf8_bom_or_mixed(sample: Sample) -> str:
    """UTF-8 with BOM, or ``MIXED`` when lines of its head are not UTF-8 but read as CP932."""
    head = cut_at_line_break(sample)[len(codecs.BOM_UTF8):]
    final = sample.complete or head.endswith(b"\n")
    if _strict(head, UTF8, final) is not None:
        return UTF8_BOM
    lines = head.split(b"\n")
    if not final:
        lines = lines[:-1]
    for line in lines:
        try:
            line.decode(UTF8)
        except UnicodeDecodeError:
            if _strict(line, CP932, True) is not None:
                return MIXED
    return UTF8_BOM  # bad bytes that are not CP932 either: replaced and counted


# Characters text is made of: ASCII, Latin-1 letters, general punctuation, CJK punctuation and
# kana, CJK ideographs, full- and half-width forms.
_TEXT_CHARS = re.compile("[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u2190-\u27bf"
                         "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _wide_without_bom(sample: Sample) -> str | None:
    """UTF-32 or UTF-16 (little or big endian) without a BOM: the one whose reading of the head
    is almost all characters text is made of; None if none is."""
    best, best_share = None, 0.0
    for encoding in _WIDE_WITHOUT_BOM:
        unit = 4 if "32" in encoding else 2
        data = sample.data[: len(sample.data) // unit * unit]
        text = _strict(data, encoding, sample.complete and len(data) == len(sample.data))
        if not text or not _looks_like_text(text):
            continue
        share = len(_TEXT_CHARS.findall(text)) / len(text)
        if share > best_share:
            best, best_share = encoding, share
    return best if best_share >= 0.95 else None


def cut_at_line_break(sample: Sample) -> bytes:
    """The sample without a possibly cut last line (unless the sample is the whole file)."""
    if sample.complete:
        return sample.data
    end = sample.data.rfind(b"\n")
    return sample.data[: end + 1] if end > 0 else sample.data


def decode_sample(sample: Sample, encoding: str) -> str:
    """The sample as text (cut at a line break), for delimiter and header detection."""
    if encoding in WIDE:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        return decoder.decode(sample.data, final=sample.complete)
    data = cut_at_line_break(sample)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(data, final=sample.complete or data.endswith(b"\n"))


def _strict(data: bytes, encoding: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError:
        return None


def _implausible_cp932(text: str) -> bool:
    """True when the half-width katakana in a CP932 reading cannot be real text."""
    half = odd = 0
    previous = ""
    for ch in text:
        if "\uff61" <= ch <= "\uff9f":
            half += 1
            if ch in _HALF_PUNCT or (ch == "ﾞ" and previous not in _VOICEABLE) or (
                    ch == "ﾟ" and previous not in _SEMI_VOICEABLE):
                odd += 1
        elif "\ue000" <= ch <= "\uf8ff":  # CP932 user-defined area: never in real data
            odd += 1
            half += 1
        previous = ch
    return half > 0 and odd / half > 0.05


# Control characters that text does not hold (tab, line breaks, form feed and the DOS end of
# file \x1a aside).
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f]")


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL.findall(text)) / len(text) < 0.01


def open_text(path: Path, encoding: str) -> IO[str]:
    """A text stream over the file; line endings kept (``newline=""``) and bad bytes replaced
    (and counted: ``replaced_bytes``)."""
    return io.TextIOWrapper(path.open("rb"), encoding=encoding, errors=COUNTING, newline="")


def iter_lines(path: Path, encoding: str, max_chars: int) -> Iterator[tuple[int, str, bool]]:
    """(1-based line number, line without its line break, complete) for every line; a line
    longer than ``max_chars`` comes in pieces with the same number, all but the last with
    ``complete`` False. CRLF, LF and CR all end a line, as an editor shows them."""
    with open_text(path, encoding) as stream:
        number = 1
        while piece := stream.readline(max_chars):
            if piece.endswith("\r\n"):
                yield number, piece[:-2], True
            elif piece.endswith(("\n", "\r")):
                yield number, piece[:-1], True
            else:
                complete = len(piece) < max_chars
                yield number, piece, complete
                if not complete:
                    continue
            number += 1


def transcode(path: Path, encoding: str, target: IO[bytes],
              temp_dir: str | Path | None = None) -> None:
    """Write the file as UTF-8 into ``target``, chunk by chunk (never the whole file).

    Python's decoders hold the GIL (~0.8 s for 150 MB of CP932 on one core), so a big CP932
    file is cut at line feeds into one range per core: the first is decoded here, the
    others at the same time by plain ``python -I -S`` child processes (no imports beyond
    ``codecs``: they start in ~20 ms) into temporary files in ``temp_dir``, which are then
    appended in order. In CP932 a line feed byte is never part of a two-byte character, so
    after one the decoder holds no state and the ranges decode exactly as the whole file would,
    bad bytes included (checked exhaustively on short byte strings). Not EUC-JP: an invalid
    3-byte sequence (``8F 0A 0A``) decodes differently when cut after its line feed. If a child
    fails, its range is decoded here instead."""
    size = path.stat().st_size
    cuts = (_cuts(path, size) if encoding in _SPLITTABLE and size >= PARALLEL_BYTES
            and sys.executable else [])
    if not cuts:
        _transcode_range(path, encoding, 0, size, target)
        return
    bounds = [0, *cuts, size]
    children = []
    for start, stop in itertools.pairwise(bounds[1:]):
        fd, out = tempfile.mkstemp(prefix="rouei-", suffix=".part", dir=temp_dir)
        os.close(fd)
        try:
            child = subprocess.Popen(  # noqa: S603 — our interpreter, fixed code, paths
                [sys.executable, "-I", "-S", "-c", _CHILD, encoding, str(path), str(start),
                 str(stop), out], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
        except OSError:
            child = None
        children.append((child, out, start, stop))
    try:
        _transcode_range(path, encoding, 0, bounds[1], target)
        for child, out, start, stop in children:
            said = child.communicate()[0] if child is not None else b""
            if child is not None and child.returncode == 0 and said.strip().isdigit():
                with open(out, "rb") as part:
                    shutil.copyfileobj(part, target, COPY_CHUNK)
                _COUNTS.replaced_bytes = replaced_bytes() + int(said)  # what it replaced
            else:
                _transcode_range(path, encoding, start, stop, target)
    finally:
        for child, out, _, _ in children:
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()
            Path(out).unlink(missing_ok=True)


# Files at least this big are transcoded by several processes (a child costs ~20 ms).
PARALLEL_BYTES = 16 * MiB
_SPLITTABLE = (CP932,)
_MAX_PROCESSES = 8

# The child's whole program (``python -I -S -c``): the same loop as ``_transcode_range``.
_CHILD = f"""
import codecs, sys
CHUNK = {COPY_CHUNK}
encoding, source, start, stop, out = sys.argv[1:6]
start, stop = int(start), int(stop)
replaced = 0
def count(exc):
    global replaced
    replaced += exc.end - exc.start
    return "\\ufffd", exc.end
codecs.register_error("count", count)
decoder = codecs.getincrementaldecoder(encoding)(errors="count")
with open(source, "rb") as src, open(out, "wb") as dst:
    src.seek(start)
    left = stop - start
    while left > 0:
        chunk = src.read(min(CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        dst.write(decoder.decode(chunk).encode("utf-8"))
    dst.write(decoder.decode(b"", final=True).encode("utf-8"))
print(replaced)
"""


def _transcode_range(path: Path, encoding: str, start: int, stop: int,
                     target: IO[bytes]) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors=COUNTING)
    with path.open("rb") as source:
        source.seek(start)
        left = stop - start
        while left > 0:
            chunk = source.read(min(COPY_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            target.write(decoder.decode(chunk).encode("utf-8"))
        target.write(decoder.decode(b"", final=True).encode("utf-8"))


def _cuts(path: Path, size: int) -> list[int]:
    """Offsets just after a line feed near each 1/n of the file (n: the cores, at most
    ``_MAX_PROCESSES``), increasing; empty for one core or no line feed."""
    parts = min(os.cpu_count() or 1, _MAX_PROCESSES)
    cuts: list[int] = []
    with path.open("rb") as source:
        for i in range(1, parts):
            source.seek(size * i // parts)
            head = source.read(MiB)
            at = head.find(b"\n")
            if at < 0:
                continue
            cut = size * i // parts + at + 1
            if cut < size and (not cuts or cut > cuts[-1]):
                cuts.append(cut)
    return cuts


# --- counting what could not be decoded ------------------------------------------------------

_COUNTS = threading.local()  # per thread (one scan of a file runs in one thread)
COUNTING = "rouei-count"  # ``errors=``: replace like "replace", and count the bytes


def replaced_bytes() -> int:
    """Bytes this thread's decoders (``errors=COUNTING``) have replaced so far (a running count:
    readers take the difference before and after reading a file)."""
    return getattr(_COUNTS, "replaced_bytes", 0)


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _COUNTS.replaced_bytes = replaced_bytes() + (exc.end - exc.start)
    return REPLACEMENT, exc.end


codecs.register_error(COUNTING, _count_and_replace)
_DAMAGE = "rouei-damage"  # ``errors=`` for detection: replace, and give up after _MAX_DAMAGE
codecs.register_error(_DAMAGE, _note_damage)


# --- MIXED: UTF-8 with BOM whose lines may be CP932 ------------------------------------------


def fallback_lines() -> int:
    """Lines this thread has decoded as CP932 in a ``MIXED`` file so far (a running count:
    readers take the difference before and after reading a file)."""
    return getattr(_COUNTS, "fallback_lines", 0)


class _MixedDecoder(codecs.IncrementalDecoder):
    """Line by line: UTF-8 (the BOM dropped at the start), else CP932, else UTF-8 with the
    bad bytes handled as ``errors`` says. A line feed byte is never inside a UTF-8 or a CP932
    character, so a line is always decoded whole."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.reset()

    def reset(self) -> None:
        self._pending = b""
        self._first = True

    def getstate(self) -> tuple[bytes, int]:
        return self._pending, int(self._first)

    def setstate(self, state: tuple[bytes, int]) -> None:
        self._pending, self._first = state[0], bool(state[1])

    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        data = self._pending + bytes(data)
        end = len(data) if final else data.rfind(b"\n") + 1
        self._pending = data[end:]
        if not end:
            return ""
        chunk = data[:end]
        if self._first:
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
            self._first = False
        try:
            return chunk.decode(UTF8)  # most chunks: all of it is UTF-8
        except UnicodeDecodeError:
            return "".join(self._line(line) for line in chunk.splitlines(keepends=True))

    def _line(self, line: bytes) -> str:
        try:
            return line.decode(UTF8)
        except UnicodeDecodeError:
            pass
        try:
            text = line.decode(CP932)
        except UnicodeDecodeError:
            return line.decode(UTF8, self.errors)
        _COUNTS.fallback_lines = fallback_lines() + 1
        return text


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-") != MIXED:
        return None
    return codecs.CodecInfo(
        name=MIXED, encode=codecs.lookup(UTF8).encode,
        decode=lambda data, errors="strict": (_MixedDecoder(errors).decode(data, True), len(data)),
        incrementaldecoder=_MixedDecoder, incrementalencoder=codecs.lookup(UTF8).incrementalencoder,
        streamreader=codecs.lookup(UTF8).streamreader, streamwriter=codecs.lookup(UTF8).streamwriter)


codecs.register(_search)
