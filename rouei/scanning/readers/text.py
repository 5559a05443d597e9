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
    yield TextPart(name=name, lines=lines(path, encoding, ctx.limits.max_line_chars),
                   encoding=encoding)


def lines(path: Path, encoding: str, max_chars: int) -> Iterator[tuple[int, str]]:
    for number, line, _complete in _encoding.iter_lines(path, encoding, max_chars):
        yield number, line
