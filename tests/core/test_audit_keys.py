"""The audit key: rows signed under a key that is not in the database, rotation that keeps old
rows verifying, and rows written before keys (hash format 1) kept verifiable."""

from __future__ import annotations

import hashlib
import importlib
import io
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from rouei.core import audit_keys
from rouei.core.audit import (
    LEGACY_HASH_FORMAT,
    canonical_json,
    record_event,
    verify_chain,
    verify_trail,
)
from rouei.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db

KEY_A = "a" * 40
KEY_B = "b" * 40


def _record(n: int) -> list[AuditEvent]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(record_event(actor=None, action="test.event", details={"n": i}))
    return out


def test_rows_are_signed_with_the_first_key_and_name_it(settings):
    settings.ROUEI_AUDIT_KEYS = [KEY_A]
    (event,) = _record(1)
    assert event.key_id == audit_keys.key_id(KEY_A.encode())
    assert event.hash_format == 2


def test_the_audit_key_is_not_in_the_database(settings):
    settings.ROUEI_AUDIT_KEYS = [KEY_A]
    _record(2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditevent")
        rows = json.dumps(cursor.fetchall(), default=str)
        cursor.execute("SELECT * FROM core_auditchainhead")
        rows += json.dumps(cursor.fetchall(), default=str)
    assert KEY_A not in rows


def test_a_rotated_key_keeps_the_old_rows_verifying(settings):
    settings.ROUEI_AUDIT_KEYS = [KEY_A]
    old = _record(2)
    settings.ROUEI_AUDIT_KEYS = [KEY_B, KEY_A]
    new = _record(2)
    assert {e.key_id for e in old} == {audit_keys.key_id(KEY_A.encode())}
    assert {e.key_id for e in new} == {audit_keys.key_id(KEY_B.encode())}
    assert verify_chain() is None


def test_removing_a_key_that_signed_rows_is_reported(settings):
    settings.ROUEI_AUDIT_KEYS = [KEY_A]
    (first,) = _record(1)
    settings.ROUEI_AUDIT_KEYS = [KEY_B]
    _record(1)
    broken = verify_chain()
    assert (broken.event_id, broken.code) == (first.pk, "unknown_key")


def test_a_short_key_is_refused(settings):
    settings.ROUEI_AUDIT_KEYS = ["too-short"]
    with pytest.raises(ImproperlyConfigured, match="shorter than 32"), transaction.atomic():
        record_event(actor=None, action="test.event")


def test_rotate_audit_key_adds_a_new_key_to_the_key_file(settings, tmp_path,
                                                         django_capture_on_commit_callbacks):
    key_file = tmp_path / "audit_keys"
    key_file.write_text(KEY_A)
    settings.ROUEI_AUDIT_KEY_FILE = key_file
    settings.ROUEI_AUDIT_KEYS = [KEY_A]
    with django_capture_on_commit_callbacks(execute=True):
        _record(2)
        call_command("rotate_audit_key", stdout=io.StringIO())
        _record(1)
    keys = key_file.read_text().split(",")
    event = AuditEvent.objects.get(action="audit_key.rotate")
    assert keys[1:] == [KEY_A]
    assert event.details == {"key_id": audit_keys.key_id(keys[0].encode()),
                             "previous_key_id": audit_keys.key_id(KEY_A.encode())}
    assert AuditEvent.objects.order_by("-sequence").first().key_id == event.details["key_id"]
    assert [json.loads(line)["reason"] for line in
            settings.ROUEI_AUDIT_CHECKPOINT_FILE.read_text().splitlines()][-1] == "rotate"
    assert verify_trail().ok


def test_rotate_audit_key_with_the_setting_needs_a_new_first_key(settings):
    settings.ROUEI_AUDIT_KEY_FILE = None
    settings.ROUEI_AUDIT_KEYS = [KEY_A]
    _record(1)
    with pytest.raises(CommandError, match="already signs the trail"):
        call_command("rotate_audit_key")
    settings.ROUEI_AUDIT_KEYS = [KEY_B, KEY_A]
    call_command("rotate_audit_key", stdout=io.StringIO())
    assert AuditEvent.objects.get(action="audit_key.rotate").key_id == audit_keys.key_id(
        KEY_B.encode())


# --- rows written before audit keys -----------------------------------------------------


def _legacy_rows(n: int, after: AuditEvent | None = None) -> list[AuditEvent]:
    """Rows as the app wrote them before keys (format 1, unkeyed SHA-256), after ``after``."""
    prev = after.hash if after else "0" * 64
    start = after.sequence if after else 0
    out = []
    for sequence in range(start + 1, start + n + 1):
        event = AuditEvent(sequence=sequence, action="legacy.event", details={"n": sequence},
                           prev_hash=prev, hash_format=LEGACY_HASH_FORMAT)
        event.at = AuditEvent._meta.get_field("at").to_python("2026-11-24T00:00:00+00:00")
        payload = {"format": 1, "sequence": sequence,
                   "at": "2026-11-24T00:00:00.000000+00:00", "actor": None, "incident": None,
                   "action": event.action, "object_type": "", "object_id": "", "before": "",
                   "after": "", "details": event.details, "prev_hash": prev}
        event.hash = hashlib.sha256(canonical_json(payload).encode()).hexdigest()
        event._via_record_event = True
        event.save()
        prev = event.hash
        out.append(event)
    AuditChainHead.objects.update_or_create(pk=1, defaults={"sequence": out[-1].sequence,
                                                            "hash": prev})
    return out


def _upgrade_migration():
    migration = importlib.import_module("rouei.core.migrations.0002_audit_keys")
    migration.anchor_unkeyed_rows(apps, connection.schema_editor())


def test_rows_written_before_keys_still_verify_after_the_upgrade(
        django_capture_on_commit_callbacks):
    legacy = _legacy_rows(3)
    _upgrade_migration()
    with django_capture_on_commit_callbacks(execute=True):
        _record(2)
    result = verify_trail()
    first = json.loads(settings.ROUEI_AUDIT_CHECKPOINT_FILE.read_text().splitlines()[0])
    assert result.ok, result.broken
    assert (first["reason"], first["sequence"], first["legacy_until"]) == ("upgrade", 3, 3)
    assert first["head"] == legacy[-1].hash


def test_an_unkeyed_row_appended_after_the_upgrade_is_a_forgery():
    legacy = _legacy_rows(3)
    _upgrade_migration()
    (forged,) = _legacy_rows(1, after=legacy[-1])  # computable by anyone: no key needed
    result = verify_trail()
    assert result.broken.code == "unkeyed_row"
    assert result.broken.sequence == forged.sequence


def test_an_unkeyed_row_after_a_keyed_row_is_a_forgery_even_without_checkpoints():
    _record(1)
    prev = AuditEvent.objects.get().hash
    event = AuditEvent(sequence=2, at=AuditEvent.objects.get().at, action="auth.login",
                       prev_hash=prev, hash_format=LEGACY_HASH_FORMAT, hash="f" * 64)
    event._via_record_event = True
    event.save()
    AuditChainHead.objects.update(sequence=2, hash="f" * 64)
    broken = verify_chain()
    assert (broken.sequence, broken.code) == (2, "unkeyed_row")
