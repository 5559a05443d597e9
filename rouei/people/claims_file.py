"""Reading a call centre's bulk claims file (``ref``, ``birth_date``, ``name``; parsing only).

The file is what Excel writes: UTF-8 (with or without a BOM) or CP932. It is decoded strictly:
a byte neither encoding accepts stops the check with the line it is on, since a name decoded
with replacement characters would be refused as "does not match" without anyone seeing why.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rouei.core.errors import ActionError

MAX_BYTES = 64 * 1024 * 1024  # ~1 M claims; the API takes 1,000 at a time
REQUIRED = ("ref", "birth_date")


def read_claims(path: Path) -> list[dict[str, str]]:
    """The claims in file order, one dict a data row (keys from the header row)."""
    if path.stat().st_size > MAX_BYTES:
        raise ActionError("file_too_large", f"ファイルが大きすぎます（上限 {MAX_BYTES // 1024**2} MB）"
                          f" / the file is larger than {MAX_BYTES // 1024**2} MB")
    text = decode_text(path.read_bytes())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or ())]
    if missing:
        raise ActionError("missing_columns", "見出し行に ref と birth_date（と name）が必要です"
                          " / the header row needs ref and birth_date (and name)")
    try:
        return [dict(row) for row in reader]
    except csv.Error as exc:
        raise ActionError("bad_csv", f"{reader.line_num} 行目を読めません（{exc}）"
                          f" / line {reader.line_num} cannot be read") from None


def decode_text(raw: bytes) -> str:
    """UTF-8 (BOM optional), else CP932; an ``ActionError`` naming the line otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ActionError("bad_encoding", f"{line} 行目に UTF-8 でも CP932 でもない文字があります"
                          f" / line {line} is neither UTF-8 nor CP932") from None
