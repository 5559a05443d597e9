"""Settings come from the environment: data directory, secret key, database."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.conf import settings

from rouei.config import env


def test_databases_reads_database_url(tmp_path):
    config = env.databases({"DATABASE_URL": "postgres://alice:s3cret@db.example:6543/rouei"},
                           tmp_path)["default"]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 6543, "rouei")
    assert config["USER"] == "alice"


def test_databases_without_url_is_sqlite_in_data_dir(tmp_path):
    config = env.databases({}, tmp_path)["default"]
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_secret_key_file_created_once_with_mode_0600(tmp_path):
    key = env.secret_key({}, tmp_path)
    path = tmp_path / "secret_key"
    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert env.secret_key({}, tmp_path) == key  # kept, not regenerated
    assert not [p for p in tmp_path.iterdir() if p.name != "secret_key"]  # no temp files left


def test_secret_key_from_environment_wins(tmp_path):
    assert env.secret_key({"ROUEI_SECRET_KEY": "from-env"}, tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_data_dir_from_environment(tmp_path):
    assert env.data_dir({"ROUEI_DATA_DIR": str(tmp_path)}) == tmp_path.resolve()


@pytest.mark.parametrize("raw, expected", [(None, False), ("", False), ("0", False),
                                           ("false", False), ("1", True), ("TRUE", True),
                                           ("yes", True)])
def test_debug_flag_is_off_unless_set(raw, expected):
    environ = {} if raw is None else {"ROUEI_DEBUG": raw}
    assert env.flag(environ, "ROUEI_DEBUG") is expected


def test_allowed_hosts_are_comma_separated():
    assert env.listing({"ROUEI_ALLOWED_HOSTS": "a.example, b.example ,"}, "X", []) == []
    assert env.listing({"X": "a.example, b.example ,"}, "X", ["d"]) == ["a.example", "b.example"]
    assert env.listing({}, "X", ["localhost"]) == ["localhost"]


def test_settings_are_secure_by_default():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert settings.LANGUAGE_CODE == "ja" and settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ


def test_settings_database_matches_database_url(monkeypatch):
    import os

    url = os.environ.get("DATABASE_URL")
    engine = settings.DATABASES["default"]["ENGINE"]
    assert engine.endswith("postgresql" if url else "sqlite3")


def test_logging_never_formats_request_data():
    for formatter in settings.LOGGING["formatters"].values():
        assert "request" not in formatter["format"]
    assert "mail_admins" not in str(settings.LOGGING)


def test_audit_keys_generated_once_into_the_data_dir_with_mode_0600(tmp_path):
    keys = env.audit_keys({}, tmp_path)
    path = tmp_path / "audit_keys"
    assert len(keys) == 1
    assert len(keys[0]) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert env.audit_keys({}, tmp_path) == keys  # kept, not regenerated


def test_audit_keys_from_environment_first_signs(tmp_path):
    keys = env.audit_keys({"ROUEI_AUDIT_KEYS": " new-key , old-key "}, tmp_path)
    assert keys == ["new-key", "old-key"]
    assert not (tmp_path / "audit_keys").exists()


def test_audit_checkpoints_default_to_the_data_dir(tmp_path):
    assert env.audit_checkpoints({}, tmp_path) == tmp_path / "audit-checkpoints.jsonl"
    assert env.audit_checkpoints({"ROUEI_AUDIT_CHECKPOINTS": "/srv/log/cp.jsonl"},
                                 tmp_path) == env.Path("/srv/log/cp.jsonl")


def test_templates_dir_is_unset_by_default():
    assert env.templates_dir({}) is None


def test_templates_dir_from_environment(tmp_path):
    assert env.templates_dir({"ROUEI_TEMPLATES_DIR": str(tmp_path)}) == tmp_path.resolve()


def test_rate_counters_live_in_a_private_directory_in_shared_memory(tmp_path):
    root = tmp_path / "shm"
    root.mkdir()
    path = env.memory_dir(tmp_path / "data", root=root)
    assert stat.S_IMODE(path.stat().st_mode) == 0o700


def test_a_shared_memory_directory_open_to_others_is_not_used(tmp_path):
    root = tmp_path / "shm"
    root.mkdir()
    planted = env.memory_dir(tmp_path / "data", root=root)
    planted.chmod(0o777)  # as if someone else had made it first, for everyone
    assert env.memory_dir(tmp_path / "data", root=root) is None


def test_without_shared_memory_the_counters_stay_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(env, "SHARED_MEMORY", tmp_path / "missing")
    caches = env.caches({}, tmp_path)
    assert caches["throttle"]["LOCATION"] == str(tmp_path / "cache")


def test_with_redis_the_counters_are_in_redis(tmp_path):
    caches = env.caches({"ROUEI_TASKS_REDIS_URL": "redis://127.0.0.1:6379/0"}, tmp_path)
    assert caches["throttle"]["LOCATION"] == "redis://127.0.0.1:6379/0"


# -- the test sessions' own data (tests/conftest.py) ---------------------------------------------
# Two pytest runs in one checkout (a developer's and CI's, or two xdist workers) must not share
# files: each session writes to a data directory of its own, removed when it ends.

def test_a_test_session_does_not_write_to_the_checkout_s_data_directory():
    assert Path(settings.DATA_DIR).resolve() != env.data_dir({})


def test_a_test_session_s_evidence_is_not_in_the_checkout_s_data_directory():
    assert not Path(settings.ROUEI_EVIDENCE_DIR).resolve().is_relative_to(env.data_dir({}))
