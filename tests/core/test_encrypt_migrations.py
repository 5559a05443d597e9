"""The migrations of issue 15 encrypt what the personal-text columns held in clear (in batches),
the rows read back the same through the models, and undoing them puts the clear text back."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rouei.core import crypto

BEFORE = [("incidents", "0004_filed_reports"), ("evidence", "0001_initial"),
          ("signals", "0002_intake_group"), ("playbooks", "0003_task_not_needed_reason_card_playbook"),
          ("scans", "0002_zip_passwords")]
AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
SUMMARY = "山田太郎さんの顧客情報が流出"
NAMES = [f"佐藤 花子{i}" for i in range(5)]  # five custody rows: several batches of two
REVISIONS = [{"kind": "action", "at": "2026-11-20T09:00:00+00:00", "text": "鈴木一郎に連絡",
              "replaced_at": "2026-11-21T09:00:00+00:00", "replaced_by": 1, "reason": "誤記"}]
SENDER = "株式会社ダミー 田中"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM "
                       f"{connection.ops.quote_name(table)} ORDER BY id")
        return [str(row[0]) for row in cursor.fetchall()]


@pytest.fixture
def clear_rows(django_user_model, monkeypatch, tmp_path, settings):
    """Rows written in clear at the schema before issue 15; the schema is back at the latest
    after the test."""
    settings.ROUEI_EVIDENCE_DIR = tmp_path
    monkeypatch.setattr(crypto, "BATCH", 2)
    apps = _migrate(BEFORE)
    user = django_user_model.objects.create_user(username="sato", password="x")
    Incident = apps.get_model("incidents", "Incident")
    incident = Incident.objects.create(title="誤送信", summary=SUMMARY, created_by_id=user.pk)
    apps.get_model("incidents", "TimelineEvent").objects.create(
        incident=incident, kind="action", at=AT, text="鈴木一郎に謝罪", author_id=user.pk,
        revisions=REVISIONS, data={"messages": [{"ja": "理由：鈴木一郎", "en": "x"}]})
    blob = apps.get_model("evidence", "Blob").objects.create(sha256="a" * 64, size=1)
    item = apps.get_model("evidence", "EvidenceItem").objects.create(
        incident=incident, blob=blob, sha256="a" * 64, size=1, original_name="顧客_山田.csv",
        detected_type="csv", media_type="text/csv", description="山田様の申告", collected_from="x",
        collected_at=AT, created_by_id=user.pk)
    Custody = apps.get_model("evidence", "CustodyEvent")
    for name in NAMES:
        Custody.objects.create(item=item, kind="transferred", at=AT, from_person=name)
    apps.get_model("signals", "Signal").objects.create(
        received_at=AT, subject="DM", sender_name=SENDER, created_by_id=user.pk)
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migrating_encrypts_existing_rows_and_undoing_decrypts_them(clear_rows):
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from rouei.evidence.models import CustodyEvent
    from rouei.incidents.models import Incident, TimelineEvent
    from rouei.intake.models import Signal

    stored = (_raw("incidents_incident", "summary") + _raw("incidents_timelineevent", "revisions")
              + _raw("incidents_timelineevent", "data")
              + _raw("evidence_custodyevent", "from_person")
              + _raw("evidence_evidenceitem", "original_name") + _raw("signals_signal", "sender_name"))
    assert [v for v in stored if not v.startswith("gAAAA")] == []
    assert Incident.objects.get().summary == SUMMARY
    assert TimelineEvent.objects.get().revisions == REVISIONS
    assert [c.from_person for c in CustodyEvent.objects.order_by("id")] == NAMES
    assert Signal.objects.get().sender_name == SENDER

    _migrate(BEFORE)
    assert _raw("incidents_incident", "summary") == [SUMMARY]
    assert _raw("evidence_custodyevent", "from_person") == NAMES
    assert json.loads(_raw("incidents_timelineevent", "revisions")[0]) == REVISIONS


@pytest.mark.django_db(transaction=True)
def test_encrypting_twice_leaves_encrypted_rows_as_they_are(clear_rows):
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    first = _raw("evidence_custodyevent", "from_person")
    operation = crypto.encrypt_existing("evidence", "custodyevent", "from_person")
    apps = MigrationExecutor(connection).loader.project_state().apps
    with connection.schema_editor() as editor:
        operation.code(apps, editor)
    assert _raw("evidence_custodyevent", "from_person") == first
