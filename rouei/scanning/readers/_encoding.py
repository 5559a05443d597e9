"""Encoding detection and streaming decoding for text-like files (CSV, TSV, text, JSON Lines).

Detection trial-decodes the head of the file (``Limits.sample_bytes``, cut at the last line
break) strictly: a BOM decides first (UTF-8, UTF-16); then UTF-8; then CP932 and EUC-JP. The
two Japanese legacy encodings overlap (bytes A1–FE pairs are valid in both), so when both decode
the CP932 reading is checked for plausibility: EUC-JP text read as CP932 turns into half-width
katakana in impossible places (the EUC-JP hiragana and katakana lead bytes A4/A5 become ``､``
and ``･``, voiced marks follow letters that cannot take them); genuine CP932 has none of that.

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
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rouei.scanning.readers._base import COPY_CHUNK, MiB, Sample

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
CP932 = "cp932"
EUC_JP = "euc_jp"

# Half-width katakana that can carry a voiced (ﾞ) or semi-voiced (ﾟ) mark.
_VOICEABLE = set("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ")
_SEMI_VOICEABLE = set("ﾊﾋﾌﾍﾎ")
_HALF_PUNCT = set("｡｢｣､･")


def detect(sample: Sample) -> str | None:
    """The encoding of a text file from its head, or None (binary, or no candidate decodes)."""
    data = sample.data
    if data.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    if b"\x00" in data:
        return None
    head = cut_at_line_break(sample)
    # Without any line break in the sample the cut may split a character: decode as a prefix.
    final = sample.complete or head.endswith(b"\n")
    utf8 = _strict(head, UTF8, final)
    if utf8 is not None:  # UTF-8 wins whenever it decodes: the others need not be tried
        return UTF8 if _looks_like_text(utf8) else None
    decoded = {enc: text for enc in (CP932, EUC_JP)
               if (text := _strict(head, enc, final)) is not None}
    if CP932 in decoded and EUC_JP in decoded:
        chosen = EUC_JP if _implausible_cp932(decoded[CP932]) else CP932
    elif decoded:
        chosen = next(iter(decoded))
    else:
        return None
    return chosen if _looks_like_text(decoded[chosen]) else None


def cut_at_line_break(sample: Sample) -> bytes:
    """The sample without a possibly cut last line (unless the sample is the whole file)."""
    if sample.complete:
        return sample.data
    end = sample.data.rfind(b"\n")
    return sample.data[: end + 1] if end > 0 else sample.data


def decode_sample(sample: Sample, encoding: str) -> str:
    """The sample as text (cut at a line break), for delimiter and header detection."""
    data = sample.data if encoding == UTF16 else cut_at_line_break(sample)
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
    """A text stream over the file; line endings kept (``newline=""``) and bad bytes replaced."""
    return io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="replace", newline="")


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
                 str(stop), out], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
        except OSError:
            child = None
        children.append((child, out, start, stop))
    try:
        _transcode_range(path, encoding, 0, bounds[1], target)
        for child, out, start, stop in children:
            if child is not None and child.wait() == 0:
                with open(out, "rb") as part:
                    shutil.copyfileobj(part, target, COPY_CHUNK)
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
decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
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
"""


def _transcode_range(path: Path, encoding: str, start: int, stop: int,
                     target: IO[bytes]) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
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
