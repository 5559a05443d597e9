"""Audit checkpoints in object storage (S3 API), against moto's in-process S3: one object per
checkpoint, never overwritten, under Object Lock where the bucket has it; read back by
`rouei audit verify --checkpoints-from s3`; a failing bucket loses nothing and is reported."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

import boto3
import pytest
from django.db import connection, transaction
from moto import mock_aws
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.config import env
from rouei.core import checkpoint_s3, checkpoints
from rouei.core.audit import record_event, verify_trail
from rouei.core.models import AuditEvent, CheckpointSinkStatus

pytestmark = pytest.mark.django_db

BUCKET = "rouei-audit-test"
REGION = "ap-northeast-1"
PREFIX = "tenant-a/checkpoints/"
MARKER = "yamada.taro@example.jp"  # personal data that must never reach a log


@pytest.fixture
def s3(monkeypatch, settings):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    settings.ROUEI_AUDIT_S3 = env.audit_s3({"ROUEI_AUDIT_S3_BUCKET": BUCKET,
                                            "ROUEI_AUDIT_S3_PREFIX": PREFIX,
                                            "ROUEI_AUDIT_S3_REGION": REGION,
                                            "ROUEI_AUDIT_S3_LOCK_DAYS": "30"})
    checkpoints._extra_sinks.clear()
    with mock_aws():
        yield boto3.client("s3", region_name=REGION)
    checkpoints._extra_sinks.clear()


def _bucket(client, *, lock: bool = False) -> None:
    client.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=lock,
                         CreateBucketConfiguration={"LocationConstraint": REGION})


def _events(n: int, capture) -> list[AuditEvent]:
    out = []
    with capture(execute=True):
        for i in range(n):
            with transaction.atomic():
                out.append(record_event(actor=None, action="test.event",
                                        details={"n": i, "contact": MARKER}))
    return out


def _keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=PREFIX)
    return [item["Key"] for item in listing.get("Contents", ())]


def _body(client, key: str) -> str:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()


def _verify_s3():
    return CliRunner().invoke(app, ["audit", "verify", "--checkpoints-from", "s3"])


def test_each_checkpoint_is_one_object_keyed_by_sequence(s3, django_capture_on_commit_callbacks):
    _bucket(s3)
    _events(101, django_capture_on_commit_callbacks)
    sequences = [key.removeprefix(PREFIX).split("-")[0] for key in _keys(s3)]
    assert sequences == ["1".zfill(20), "101".zfill(20)]


def test_an_object_holds_the_same_signed_line_as_the_file(s3, settings,
                                                          django_capture_on_commit_callbacks):
    _bucket(s3)
    _events(1, django_capture_on_commit_callbacks)
    line = settings.ROUEI_AUDIT_CHECKPOINT_FILE.read_text(encoding="utf-8")
    assert _body(s3, _keys(s3)[0]) == line


def test_an_existing_object_is_never_overwritten(s3):
    _bucket(s3)
    sink = checkpoint_s3.S3Sink()
    checkpoint = checkpoints.make(7, "a" * 64, legacy_until=0, reason="verify")
    key = sink.write(checkpoint.line())
    forged = checkpoints.Checkpoint(**{**checkpoint.__dict__, "head": "b" * 64})
    with pytest.raises(checkpoint_s3.S3ObjectExists):
        sink.write(forged.line())
    assert json.loads(_body(s3, key))["head"] == "a" * 64


def test_a_store_without_conditional_writes_is_checked_before_the_put(s3, monkeypatch):
    _bucket(s3)
    sink = checkpoint_s3.S3Sink()
    real_put = sink.client.put_object

    def put_without_if_none_match(**kwargs):
        if "IfNoneMatch" in kwargs:
            from botocore.exceptions import ClientError

            raise ClientError({"Error": {"Code": "NotImplemented", "Message": "no"},
                               "ResponseMetadata": {"HTTPStatusCode": 501}}, "PutObject")
        return real_put(**kwargs)

    monkeypatch.setattr(sink.client, "put_object", put_without_if_none_match)
    checkpoint = checkpoints.make(7, "a" * 64, legacy_until=0, reason="verify")
    sink.write(checkpoint.line())
    with pytest.raises(checkpoint_s3.S3ObjectExists):
        sink.write(checkpoint.line())


def test_a_bucket_with_object_lock_gets_a_retention(s3, django_capture_on_commit_callbacks):
    _bucket(s3, lock=True)
    _events(1, django_capture_on_commit_callbacks)
    head = s3.head_object(Bucket=BUCKET, Key=_keys(s3)[0])
    assert head["ObjectLockMode"] == "GOVERNANCE"
    retained = head["ObjectLockRetainUntilDate"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29) < retained <= dt.timedelta(days=30)


def test_compliance_mode_is_used_when_configured(s3, settings,
                                                 django_capture_on_commit_callbacks):
    settings.ROUEI_AUDIT_S3 = {**settings.ROUEI_AUDIT_S3, "lock_mode": "COMPLIANCE"}
    _bucket(s3, lock=True)
    _events(1, django_capture_on_commit_callbacks)
    assert s3.head_object(Bucket=BUCKET, Key=_keys(s3)[0])["ObjectLockMode"] == "COMPLIANCE"


def test_a_bucket_without_object_lock_gets_plain_objects(s3, django_capture_on_commit_callbacks):
    _bucket(s3)
    _events(1, django_capture_on_commit_callbacks)
    assert "ObjectLockMode" not in s3.head_object(Bucket=BUCKET, Key=_keys(s3)[0])


def test_verify_from_the_bucket_says_what_it_checked_against(
        s3, django_capture_on_commit_callbacks):
    _bucket(s3)
    _events(3, django_capture_on_commit_callbacks)
    result = _verify_s3()
    assert result.exit_code == 0, result.output
    assert f"in s3://{BUCKET}/{PREFIX}" in result.output


def test_removed_newest_rows_are_found_against_the_bucket_when_the_file_is_gone(
        s3, settings, django_capture_on_commit_callbacks):
    _bucket(s3)
    trail = _events(3, django_capture_on_commit_callbacks)
    verify_trail()  # a checkpoint of sequence 3, in the file and the bucket
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE sequence > 1")
        cursor.execute("UPDATE core_auditchainhead SET sequence = 1, hash = %s",
                       [trail[0].hash])
    settings.ROUEI_AUDIT_CHECKPOINT_FILE.unlink()  # the attacker also removed the file
    result = _verify_s3()
    assert result.exit_code == 1
    assert "古いデータベースが戻されています" in result.output


def test_a_checkpoint_edited_in_the_bucket_is_found(s3, django_capture_on_commit_callbacks):
    _bucket(s3)
    _events(1, django_capture_on_commit_callbacks)
    key = _keys(s3)[0]
    edited = json.loads(_body(s3, key)) | {"head": "c" * 64}
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(edited).encode())
    result = _verify_s3()
    assert result.exit_code == 1
    assert key in result.output


def test_an_empty_bucket_fails_verification_of_a_trail_with_events(
        s3, django_capture_on_commit_callbacks):
    _events(2, django_capture_on_commit_callbacks)  # no bucket yet: nothing reached it
    _bucket(s3)
    result = _verify_s3()
    assert result.exit_code == 1
    assert "チェックポイントファイルがない" in result.output


# --- a failing sink ------------------------------------------------------------------------


def test_a_missing_bucket_loses_no_event_and_no_file_checkpoint(
        s3, settings, django_capture_on_commit_callbacks):
    _events(1, django_capture_on_commit_callbacks)  # the bucket does not exist
    assert AuditEvent.objects.count() == 1
    assert settings.ROUEI_AUDIT_CHECKPOINT_FILE.read_text(encoding="utf-8").count("\n") == 1


def test_failed_writes_are_counted(s3, django_capture_on_commit_callbacks):
    _events(1, django_capture_on_commit_callbacks)
    verify_trail()
    status = CheckpointSinkStatus.objects.get()
    assert (status.failures, status.last_error) == (2, "NoSuchBucket NoSuchBucket 404")


def test_a_failing_sink_is_logged_without_personal_data(s3, caplog,
                                                        django_capture_on_commit_callbacks):
    with caplog.at_level(logging.DEBUG):
        _events(1, django_capture_on_commit_callbacks)
    assert "could not write the audit checkpoint" in caplog.text
    assert MARKER not in caplog.text


def test_verify_says_the_sink_is_failing(s3, django_capture_on_commit_callbacks):
    _events(1, django_capture_on_commit_callbacks)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "the checkpoint sink is failing since" in result.output


def test_a_sink_that_works_again_is_no_longer_failing(s3, django_capture_on_commit_callbacks):
    _events(1, django_capture_on_commit_callbacks)
    _bucket(s3)
    verify_trail()
    status = CheckpointSinkStatus.objects.get()
    assert (status.failing, status.written) == (False, 1)


def test_without_boto3_the_sink_fails_with_a_clear_reason(s3, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    monkeypatch.setitem(sys.modules, "boto3", None)
    checkpoints._extra_sinks.clear()
    _events(1, django_capture_on_commit_callbacks)
    assert CheckpointSinkStatus.objects.get().last_error == "S3NotInstalled"


def test_verify_from_s3_without_boto3_names_the_extra(s3, monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)
    result = _verify_s3()
    assert result.exit_code == 1
    assert "rouei[s3]" in result.output


def test_verify_from_s3_when_not_configured_says_so(settings):
    settings.ROUEI_AUDIT_S3 = None
    result = _verify_s3()
    assert "ROUEI_AUDIT_S3_BUCKET" in result.output


# --- configuration -------------------------------------------------------------------------


def test_no_bucket_no_object_storage():
    assert env.audit_s3({}) is None


def test_the_prefix_ends_with_a_slash():
    assert env.audit_s3({"ROUEI_AUDIT_S3_BUCKET": "b", "ROUEI_AUDIT_S3_PREFIX": "/a/b"})[
        "prefix"] == "a/b/"


def test_an_unknown_lock_mode_is_refused():
    with pytest.raises(ValueError, match="GOVERNANCE"):
        env.audit_s3({"ROUEI_AUDIT_S3_BUCKET": "b", "ROUEI_AUDIT_S3_LOCK_MODE": "forever"})


def test_the_lock_mode_defaults_to_governance():
    assert env.audit_s3({"ROUEI_AUDIT_S3_BUCKET": "b"})["lock_mode"] == "GOVERNANCE"


# --- the audit pages -----------------------------------------------------------------------


def _incident(user):
    from rouei.incidents import actions

    return actions.do_create_incident(title="監査テスト", facts={}, actor=user)


def test_the_incident_audit_page_says_the_sink_is_failing(
        s3, user, logged_in_client, django_capture_on_commit_callbacks):
    incident = _incident(user)
    _events(1, django_capture_on_commit_callbacks)
    html = logged_in_client.get(f"/incidents/{incident.pk}/audit/",
                                HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert f"チェックポイントを s3://{BUCKET}/{PREFIX} に書き込めていません" in html


def test_the_audit_page_is_quiet_while_the_sink_works(
        s3, user, logged_in_client, django_capture_on_commit_callbacks):
    _bucket(s3)
    incident = _incident(user)
    _events(1, django_capture_on_commit_callbacks)
    html = logged_in_client.get(f"/incidents/{incident.pk}/audit/").content.decode()
    assert "data-sink-failing" not in html


def test_the_account_events_page_says_the_sink_is_failing(
        s3, user, logged_in_client, django_capture_on_commit_callbacks):
    user.is_staff = True
    user.save()
    _events(1, django_capture_on_commit_callbacks)
    html = logged_in_client.get("/accounts/audit/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "data-sink-failing" in html
