"""The evidence store: files kept by the SHA-256 of their content, written once, never modified.

Layout: ``<ROUEI_EVIDENCE_DIR>/ab/cd/<sha256>`` (default ``<ROUEI_DATA_DIR>/evidence``), where
``ab`` and ``cd`` are the first two pairs of hex digits. Incoming content is streamed into a
private temporary file in ``tmp/`` of the same store (the same file system) while being hashed;
``commit`` then links it into place under its hash in one atomic step that never replaces an
existing file: if the blob exists already (the same content uploaded before) the existing one is
kept. Blobs are made read-only (0440) before they appear under their name.

The name the sender gave a file is never part of a path here: only the hash is.

A blob committed by an upload whose database transaction then fails stays in the store
unreferenced; it is content-addressed, so it harms nothing and is reused by the next upload of
the same content.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024
BLOB_MODE = 0o440
DIR_MODE = 0o750
_SHA256 = re.compile(r"[0-9a-f]{64}")


class TooLarge(Exception):
    """The content is larger than ``ROUEI_EVIDENCE_MAX_BYTES``."""

    def __init__(self, limit: int):
        super().__init__(f"evidence larger than {limit} bytes")
        self.limit = limit


def root() -> Path:
    configured = getattr(settings, "ROUEI_EVIDENCE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "evidence"


def max_bytes() -> int:
    return int(getattr(settings, "ROUEI_EVIDENCE_MAX_BYTES", 2 * 1024**3))


def blob_path(sha256: str) -> Path:
    """Where the blob of ``sha256`` lives; refuses anything that is not a SHA-256 in hex."""
    if not _SHA256.fullmatch(sha256 or ""):
        raise ValueError("not a SHA-256 hex digest")
    return root() / sha256[:2] / sha256[2:4] / sha256


def _mkdir(path: Path) -> None:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


@dataclass
class PendingBlob:
    """Content hashed into a temporary file of the store, not yet under its hash."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class BlobWriter:
    """Stream content into the store's tmp/ folder while hashing it."""

    def __init__(self, limit: int | None = None):
        self.limit = limit
        tmp = root() / "tmp"
        _mkdir(tmp)
        self.path = tmp / f"upload-{os.getpid()}-{secrets.token_hex(8)}"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        if self.limit is not None and self.size + len(chunk) > self.limit:
            self.abort()
            raise TooLarge(self.limit)
        self._fh.write(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    def finish(self) -> PendingBlob:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        return PendingBlob(self.path, self._hash.hexdigest(), self.size)

    def abort(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        self.path.unlink(missing_ok=True)


def ingest(stream, *, limit: int | None = None) -> PendingBlob:
    """Copy a binary stream into the store's tmp/ folder, hashing it (CLI, demo, tests)."""
    writer = BlobWriter(limit)
    try:
        while chunk := stream.read(CHUNK):
            writer.write(chunk)
    except BaseException:
        writer.abort()
        raise
    return writer.finish()


def commit(pending: PendingBlob) -> bool:
    """Put the pending content under its hash; ``True`` if it is new, ``False`` if a blob of
    that hash was there already (the existing one is kept untouched)."""
    final = blob_path(pending.sha256)
    _mkdir(final.parent)
    try:
        os.chmod(pending.path, BLOB_MODE)
        try:
            # link() never replaces an existing file, unlike rename().
            os.link(pending.path, final)
            created = True
        except FileExistsError:
            created = False
        except OSError:  # a file system without hard links
            created = not final.exists()
            if created:
                os.rename(pending.path, final)
        if created:
            _fsync_dir(final.parent)
        return created
    finally:
        pending.discard()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_blob(sha256: str):
    """The blob for reading (binary); ``FileNotFoundError`` if it is gone."""
    return open(blob_path(sha256), "rb")


def hash_blob(sha256: str) -> str | None:
    """The SHA-256 of the blob as it is on disk now; ``None`` if the file is missing."""
    digest = hashlib.sha256()
    try:
        with open_blob(sha256) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()
