"""`rouei evidence verify` (a Typer sub-app over the evidence_verify management command)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.evidence import store
from rouei.incidents import actions

pytestmark = pytest.mark.django_db


def _run(*args):
    return CliRunner().invoke(app, ["evidence", "verify", *args])


def test_evidence_verify_intact_store_exits_zero(add_item):
    add_item(b"one")
    add_item(b"one", name="copy")
    add_item(b"two")
    result = _run()
    assert result.exit_code == 0, result.output
    assert "OK: 2 stored files, 3 items" in result.output


def test_evidence_verify_tampered_blob_is_named_and_exits_non_zero(add_item):
    item = add_item(b"original log", name="山田太郎の申告書.pdf")
    add_item(b"untouched")
    path = store.blob_path(item.sha256)
    path.chmod(0o640)
    path.write_bytes(b"edited log")
    result = _run()
    assert result.exit_code == 1
    assert f"ALTERED (found {store.hash_blob(item.sha256)}): blob {item.sha256}" in result.output
    assert f"items #{item.pk}" in result.output and "FAILED: 1 of 2" in result.output
    assert "山田" not in result.output  # no file names (personal data) on the terminal


def test_evidence_verify_missing_blob_exits_non_zero(add_item):
    item = add_item(b"soon gone")
    store.blob_path(item.sha256).unlink()
    result = _run()
    assert result.exit_code == 1 and f"MISSING: blob {item.sha256}" in result.output


def test_evidence_verify_one_incident_only(user, add_item):
    other = actions.do_create_incident(title="別件", actor=user)
    broken = add_item(b"other incident's file", on=other)
    store.blob_path(broken.sha256).unlink()
    add_item(b"fine")
    incident_id = add_item(b"also fine").incident_id
    assert _run("--incident", str(incident_id)).exit_code == 0
    assert _run("--incident", str(other.pk)).exit_code == 1


def test_cli_lists_the_evidence_group():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0 and "evidence" in result.output
