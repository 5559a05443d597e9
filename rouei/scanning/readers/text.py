"""Plain text (テキスト), with the same encoding detection as CSV.

Streaming: decoded incrementally and yielded line by line; a line longer than
``Limits.max_line_chars`` comes in pieces under the same line number (offsets then count from
the start of the piece). Memory: one line (or piece) at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rouei.scanning.model import Part, TextPart
from rouei.scanning.readers import _encoding
from rouei.scanning.readers._base import ReadContext, not_text, read_sample


def read(path: Path, name: str, ctx: ReadContext, kind: str = "text") -> Iterator[Part]:
    sample = read_sample(path, ctx.limits.sample_bytes)
    if not sample.data:
        yield TextPart(name=name, lines=iter(()), encoding=None)
        return
    encoding = _encoding.detect(sample)
    if encoding is None:
        yield not_text(name, sample.data)
        return
    skipped: dict[str, int] = {}
    yield TextPart(name=name, lines=lines(path, encoding, ctx.limits.max_line_chars, skipped),
                   encoding=encoding, skipped=skipped)


def lines(path: Path, encoding: str, max_chars: int,
          skipped: dict[str, int] | None = None) -> Iterator[tuple[int, str]]:
    """The lines; into ``skipped`` (if given) the bytes no encoding could decode
    (``replaced_bytes``), the characters they became (``replaced_characters``), the lines
    holding one (``replaced_lines``) and the lines of a mixed file read as CP932
    (``fallback_lines``)."""
    before, bytes_before = _encoding.fallback_lines(), _encoding.replaced_bytes()
    replaced = lines_hit = 0
    last_hit = 0
    for number, line, _complete in _encoding.iter_lines(path, encoding, max_chars):
        if _encoding.REPLACEMENT in line:
            replaced += line.count(_encoding.REPLACEMENT)
            if number != last_hit:
                lines_hit, last_hit = lines_hit + 1, number
        yield number, line
    if skipped is not None:
        for key, value in (("replaced_characters", replaced), ("replaced_lines", lines_hit),
                           ("replaced_bytes", _encoding.replaced_bytes() - bytes_before),
                           ("fallback_lines", _encoding.fallback_lines() - before)):
            if value:
                skipped[key] = value
