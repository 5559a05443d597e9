"""`rouei audit verify` against someone who can write to the database (and to the checkpoint
file) but does not hold the audit key: every kind of tampering found in issue 15 is reported
and exits 1.

The tampering is done the way an attacker would: raw SQL on the tables, hashes recomputed with
the unkeyed SHA-256 the rows used to carry (the app's old function) or with a key of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.conf import settings
from django.db import connection, transaction
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.audit import record_event
from rouei.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _verify(*args: str):
    return CliRunner().invoke(app, ["audit", "verify", *args])


def _events(n: int, capture, action: str = "test.event") -> None:
    """``n`` events committed as in production: each commit may write a checkpoint."""
    with capture(execute=True):
        for i in range(n):
            with transaction.atomic():
                record_event(actor=None, action=action, incident_id=7, details={"n": i})


@pytest.fixture
def trail(django_capture_on_commit_callbacks):
    """Five events, then one verification (which checkpoints the head, sequence 5)."""
    _events(5, django_capture_on_commit_callbacks)
    first = _verify()
    assert first.exit_code == 0, first.output
    return list(AuditEvent.objects.order_by("sequence"))


def _sql(sql: str, params: list | tuple = ()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _columns() -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in
                connection.introspection.get_table_description(cursor, "core_auditevent")]


def _set_head(sequence: int, head: str) -> None:
    _sql("UPDATE core_auditchainhead SET sequence = %s, hash = %s", [sequence, head])


def _payload(event: AuditEvent, *, key_id: str | None = None, **changes) -> str:
    """The canonical JSON a row's hash covers; without ``key_id`` the old (format 1) one."""
    payload = {
        "format": 1 if key_id is None else 2,
        "sequence": event.sequence,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id, "incident": event.incident_id, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id,
        "before": event.before_digest, "after": event.after_digest,
        "details": event.details, "prev_hash": event.prev_hash, **changes,
    }
    if key_id is not None:
        payload["key_id"] = key_id
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _unkeyed(event: AuditEvent, **changes) -> str:
    """The app's old, unkeyed function: anybody can compute it."""
    return hashlib.sha256(_payload(event, **changes).encode("utf-8")).hexdigest()


def _rewrite_from(sequence: int, new_action: str, sign) -> None:
    """Change the action of the row at ``sequence`` and recompute that row's hash and every
    following link with ``sign(event, prev_hash, action) -> (hash, format, key_id)``."""
    prev = None
    has_format = "hash_format" in _columns()
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        prev_hash = prev if prev is not None else event.prev_hash
        action = new_action if event.sequence == sequence else event.action
        digest, hash_format, key_id = sign(event, prev_hash, action)
        if has_format:
            _sql("UPDATE core_auditevent SET action = %s, prev_hash = %s, hash = %s, "
                 "hash_format = %s, key_id = %s WHERE id = %s",
                 [action, prev_hash, digest, hash_format, key_id, event.pk])
        else:
            _sql("UPDATE core_auditevent SET action = %s, prev_hash = %s, hash = %s "
                 "WHERE id = %s", [action, prev_hash, digest, event.pk])
        prev = digest
    _set_head(AuditEvent.objects.order_by("-sequence").first().sequence, prev)


def _snapshot() -> tuple[list[str], list[tuple], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_auditevent ORDER BY sequence")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return names, rows, _sql("SELECT id, sequence, hash FROM core_auditchainhead")


def _restore(snapshot) -> None:
    names, rows, head = snapshot
    _sql("DELETE FROM core_auditevent")
    _sql("DELETE FROM core_auditchainhead")
    marks = ", ".join(["%s"] * len(names))
    for row in rows:
        _sql(f"INSERT INTO core_auditevent ({', '.join(names)}) VALUES ({marks})", row)
    for row in head:
        _sql("INSERT INTO core_auditchainhead (id, sequence, hash) VALUES (%s, %s, %s)", row)


def test_intact_trail_says_what_it_was_checked_against(trail):
    result = _verify()
    assert result.exit_code == 0, result.output
    assert "OK: 5 events checked" in result.output
    assert "against 2 checkpoints in" in result.output
    assert "audit-checkpoints.jsonl" in result.output


def test_deleting_the_newest_rows_is_found(trail):
    _sql("DELETE FROM core_auditevent WHERE sequence > 3")
    _set_head(3, trail[2].hash)  # the head row set back too: the database agrees with itself
    result = _verify()
    assert result.exit_code == 1
    assert "監査ログの末尾が削除されたか、古いデータベースが戻されています" in result.output
    assert "the trail ends at sequence 3" in result.output


def test_wiping_the_table_is_found(trail):
    _sql("DELETE FROM core_auditevent")
    _sql("DELETE FROM core_auditchainhead")
    result = _verify()
    assert result.exit_code == 1
    assert "監査ログが全件削除されています" in result.output


def test_appending_a_forged_unkeyed_row_is_found(trail):
    last = trail[-1]
    forged = AuditEvent(sequence=6, at=last.at, action="auth.login", incident_id=None,
                        object_type="", object_id="", before_digest="", after_digest="",
                        details={}, prev_hash=last.hash)
    digest = _unkeyed(forged)
    values = {"sequence": 6, "at": connection.ops.adapt_datetimefield_value(last.at),
              "action": "auth.login", "object_type": "",
              "object_id": "", "before_digest": "", "after_digest": "", "details": "{}",
              "prev_hash": last.hash, "hash": digest}
    if "hash_format" in _columns():
        values |= {"hash_format": 1, "key_id": ""}
    _sql(f"INSERT INTO core_auditevent ({', '.join(values)}) "
         f"VALUES ({', '.join(['%s'] * len(values))})", list(values.values()))
    _set_head(6, digest)
    result = _verify()
    assert result.exit_code == 1
    assert "署名のない監査記録が追加されています" in result.output
    assert "sequence 6" in result.output


def test_rewriting_a_row_and_recomputing_with_the_old_unkeyed_function_is_found(trail):
    def unkeyed(event, prev_hash, action):
        return _unkeyed(event, prev_hash=prev_hash, action=action), 1, ""

    _rewrite_from(2, "test.rewritten", unkeyed)
    result = _verify()
    assert result.exit_code == 1
    assert f"event id {trail[1].pk}, sequence 2" in result.output


@pytest.mark.parametrize("key_id", ["attacker", "configured"])
def test_rewriting_a_row_and_recomputing_with_another_key_is_found(trail, key_id):
    own_key = b"an attacker's own key, long enough to pass"
    own_id = hashlib.sha256(b"rouei audit key id\x00" + own_key).hexdigest()[:16]
    kid = own_id if key_id == "attacker" else trail[0].key_id

    def keyed(event, prev_hash, action):
        message = _payload(event, key_id=kid, prev_hash=prev_hash, action=action)
        return hmac.new(own_key, message.encode(), hashlib.sha256).hexdigest(), 2, kid

    _rewrite_from(2, "test.rewritten", keyed)
    result = _verify()
    assert result.exit_code == 1
    assert f"event id {trail[1].pk}, sequence 2" in result.output


def test_putting_back_an_older_copy_of_the_database_is_found(trail,
                                                           django_capture_on_commit_callbacks):
    older = _snapshot()
    _events(3, django_capture_on_commit_callbacks, action="test.later")
    assert _verify().exit_code == 0  # checkpoints sequence 8
    _restore(older)
    result = _verify()
    assert result.exit_code == 1
    assert "the trail ends at sequence 5" in result.output


def test_an_older_copy_written_on_after_it_was_put_back_is_found(
        trail, django_capture_on_commit_callbacks):
    older = _snapshot()
    _events(3, django_capture_on_commit_callbacks, action="test.later")
    assert _verify().exit_code == 0  # checkpoints sequence 8
    _restore(older)
    _events(4, django_capture_on_commit_callbacks, action="test.after_restore")  # 6 to 9
    result = _verify()
    assert result.exit_code == 1
    assert "監査ログがチェックポイントと一致しません" in result.output
    assert "sequence 8" in result.output


def test_editing_the_checkpoint_file_to_hide_removed_rows_is_found(trail):
    _sql("DELETE FROM core_auditevent WHERE sequence > 3")
    _set_head(3, trail[2].hash)
    path = settings.ROUEI_AUDIT_CHECKPOINT_FILE
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        checkpoint = json.loads(line)
        if checkpoint["sequence"] > 3:
            checkpoint |= {"sequence": 3, "head": trail[2].hash}
        lines.append(json.dumps(checkpoint))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _verify()
    assert result.exit_code == 1
    assert "チェックポイントファイルが改ざんされています" in result.output
    assert "line 2" in result.output


def test_deleting_the_checkpoint_file_is_a_failure(trail):
    settings.ROUEI_AUDIT_CHECKPOINT_FILE.unlink()
    result = _verify()
    assert result.exit_code == 1
    assert "チェックポイントファイルがない" in result.output
    assert "--no-checkpoints" in result.output


def test_no_checkpoints_checks_the_database_alone_and_says_so(trail):
    settings.ROUEI_AUDIT_CHECKPOINT_FILE.unlink()
    result = _verify("--no-checkpoints")
    assert result.exit_code == 0, result.output
    assert "not checked against checkpoints (--no-checkpoints)" in result.output
    assert settings.ROUEI_AUDIT_CHECKPOINT_FILE.exists()  # the verification anchored the head
