"""Reading the deployment's configuration from environment variables.

Kept apart from settings.py so that each rule (where the data lives, where the secret key comes
from, which database) is a plain function a test can call with its own environment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import dj_database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY_FILE = "secret_key"
SQLITE_FILE = "db.sqlite3"
_TRUE = {"1", "true", "yes", "on"}


def flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() in _TRUE


def listing(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def data_dir(environ: Mapping[str, str], cwd: Path | None = None) -> Path:
    """``ROUEI_DATA_DIR``, else ``var/`` in the source checkout, else ``var/`` in the cwd."""
    raw = environ.get("ROUEI_DATA_DIR")
    if raw and raw.strip():
        return Path(raw).expanduser().resolve()
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / "var"
    return (cwd or Path.cwd()) / "var"


def secret_key(environ: Mapping[str, str], directory: Path) -> str:
    """``ROUEI_SECRET_KEY``, else a key generated once and kept in ``directory`` (mode 0600).

    Creation is atomic (write a private temporary file, then hard-link it into place), so two
    processes starting at once (gunicorn workers) end up with the same key.
    """
    raw = environ.get("ROUEI_SECRET_KEY")
    if raw and raw.strip():
        return raw.strip()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / SECRET_KEY_FILE
    if not path.exists():
        tmp = directory / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_urlsafe(50))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process won the race; use its key
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"empty secret key file: {path}")
    return key


def databases(environ: Mapping[str, str], directory: Path) -> dict:
    """``DATABASE_URL`` (PostgreSQL in production) or a SQLite file in the data directory."""
    url = environ.get("DATABASE_URL")
    if url and url.strip():
        return {"default": dj_database_url.parse(url.strip(), conn_max_age=60,
                                                 conn_health_checks=True)}
    directory.mkdir(parents=True, exist_ok=True)
    # BEGIN IMMEDIATE: a transaction takes SQLite's write lock when it starts, so concurrent
    # writers (two gunicorn workers, the audit chain's head) wait in turn instead of failing
    # with "database is locked" when a read lock cannot be upgraded.
    return {"default": {"ENGINE": "django.db.backends.sqlite3",
                        "NAME": str(directory / SQLITE_FILE),
                        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20}}}
