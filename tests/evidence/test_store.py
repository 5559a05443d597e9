"""The store: content-addressed, written once, read-only, never a name in a path."""

from __future__ import annotations

import hashlib
import io
import stat

import pytest

from rouei.evidence import store

CONTENT = "氏名,メール\n山田太郎,taro@example.com\n".encode()
SHA = hashlib.sha256(CONTENT).hexdigest()


def test_commit_stores_the_content_under_its_sha256_read_only(evidence_dir):
    pending = store.ingest(io.BytesIO(CONTENT))
    assert (pending.sha256, pending.size) == (SHA, len(CONTENT))
    assert store.commit(pending) is True
    path = evidence_dir / SHA[:2] / SHA[2:4] / SHA
    assert path.read_bytes() == CONTENT
    assert stat.S_IMODE(path.stat().st_mode) == 0o440
    assert not pending.path.exists()  # the temporary file is gone
    assert list((evidence_dir / "tmp").iterdir()) == []


def test_commit_same_content_twice_keeps_the_existing_blob(evidence_dir):
    store.commit(store.ingest(io.BytesIO(CONTENT)))
    path = store.blob_path(SHA)
    first = path.stat()
    assert store.commit(store.ingest(io.BytesIO(CONTENT))) is False
    assert path.stat().st_ino == first.st_ino and path.stat().st_mtime_ns == first.st_mtime_ns
    assert [p.name for p in evidence_dir.rglob("*") if p.is_file()] == [SHA]


def test_hash_blob_reports_altered_and_missing_content(evidence_dir):
    store.commit(store.ingest(io.BytesIO(CONTENT)))
    assert store.hash_blob(SHA) == SHA
    path = store.blob_path(SHA)
    path.chmod(0o640)
    path.write_bytes(CONTENT + b"x")
    assert store.hash_blob(SHA) == hashlib.sha256(CONTENT + b"x").hexdigest()
    path.unlink()
    assert store.hash_blob(SHA) is None


@pytest.mark.parametrize("name", ["../../etc/passwd", "", "A" * 64, SHA.upper(), SHA + "/.."])
def test_blob_path_accepts_only_a_sha256(name):
    with pytest.raises(ValueError):
        store.blob_path(name)


def test_ingest_over_the_limit_is_refused_and_leaves_nothing(evidence_dir):
    with pytest.raises(store.TooLarge):
        store.ingest(io.BytesIO(b"x" * 11), limit=10)
    assert list((evidence_dir / "tmp").iterdir()) == []
    assert store.ingest(io.BytesIO(b"x" * 10), limit=10).size == 10


def test_root_defaults_to_the_data_dir(settings, tmp_path):
    settings.ROUEI_EVIDENCE_DIR = None
    settings.DATA_DIR = tmp_path
    assert store.root() == tmp_path / "evidence"
