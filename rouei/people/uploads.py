"""An uploaded people list while it waits for the worker: encrypted at rest, bounded in size,
removed when its import ends.

The file is stored as Fernet tokens of 1 MiB chunks, one per line, in ``DATA_DIR/people-
uploads/`` (0700; files 0600). The worker decrypts it into a private temporary file for the
time of the import (the CSV and XLSX readers need a file) and removes both afterwards.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from rouei.core.crypto import decrypt_bytes, encrypt_bytes
from rouei.core.errors import ActionError

CHUNK = 1 << 20
DEFAULT_MAX_BYTES = 2 * 1024**3
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
ALLOWED_HEADS = (b"PK\x03\x04",)  # XLSX; anything else must decode as text (checked on preview)


def max_bytes() -> int:
    return int(getattr(settings, "ROUEI_PEOPLE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "people-uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def store(chunks, suffix: str = "") -> tuple[str, int]:
    """Encrypt the uploaded chunks into a new file; (its name, its size in bytes). Refuses a
    file over ``ROUEI_PEOPLE_IMPORT_MAX_BYTES`` (nothing is kept). ``suffix``: the uploaded
    file's extension (one of ``SUFFIXES``), kept in the name so that the readers see it (a CSV
    renamed .xlsx is refused as such)."""
    name = secrets.token_hex(16) + (suffix.lower() if suffix.lower() in SUFFIXES else "")
    path = _folder() / name
    size = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _rechunk(chunks):
                size += len(chunk)
                if size > max_bytes():
                    raise ActionError("too_large", "ファイルが大きすぎます（上限 "
                                      f"{max_bytes() // 1024**2:,} MB）", field="file")
                out.write(encrypt_bytes(chunk) + b"\n")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name, size


def _rechunk(chunks) -> Iterator[bytes]:
    buffer = b""
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= CHUNK:
            yield buffer[:CHUNK]
            buffer = buffer[CHUNK:]
    if buffer:
        yield buffer


@contextmanager
def opened(name: str) -> Iterator[Path]:
    """The upload decrypted into a private temporary file, removed on exit."""
    source = _folder() / Path(name).name
    with tempfile.TemporaryDirectory(dir=_folder()) as private:
        os.chmod(private, 0o700)
        clear = Path(private) / ("upload" + Path(name).suffix)
        fd = os.open(clear, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, source.open("rb") as tokens:
            for line in tokens:
                if line.strip():
                    out.write(decrypt_bytes(line.strip()))
        yield clear


def remove(name: str) -> None:
    if name:
        (_folder() / Path(name).name).unlink(missing_ok=True)
