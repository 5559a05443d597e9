"""Signed checkpoints of the audit trail outside the database: when they are written, what
they hold, where they go, and what ``verify_trail`` makes of them."""

from __future__ import annotations

import json
import socket
import stat

import pytest
from django.conf import settings
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from rouei.core import checkpoints
from rouei.core.audit import record_event, verify_trail
from rouei.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(n: int, capture) -> list[AuditEvent]:
    out = []
    with capture(execute=True):
        for i in range(n):
            with transaction.atomic():
                out.append(record_event(actor=None, action="test.event", details={"n": i}))
    return out


def _lines() -> list[dict]:
    path = settings.ROUEI_AUDIT_CHECKPOINT_FILE
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_checkpoint_is_written_at_the_first_event_and_every_100_events(
        django_capture_on_commit_callbacks):
    _events(250, django_capture_on_commit_callbacks)
    assert [(c["sequence"], c["reason"]) for c in _lines()] == [
        (1, "first"), (101, "events"), (201, "events")]


def test_a_checkpoint_records_the_committed_row(django_capture_on_commit_callbacks):
    (event,) = _events(1, django_capture_on_commit_callbacks)
    (line,) = _lines()
    assert (line["sequence"], line["head"], line["key_id"]) == (event.sequence, event.hash,
                                                               event.key_id)


def test_a_checkpoint_is_written_when_a_minute_passed_with_events(
        django_capture_on_commit_callbacks, monkeypatch):
    clock = [1_800_000_000.0]
    monkeypatch.setattr(checkpoints.time, "time", lambda: clock[0])
    _events(1, django_capture_on_commit_callbacks)
    clock[0] += 30
    _events(1, django_capture_on_commit_callbacks)
    assert [c["sequence"] for c in _lines()] == [1]
    clock[0] += 31
    _events(1, django_capture_on_commit_callbacks)
    assert [(c["sequence"], c["reason"]) for c in _lines()] == [(1, "first"), (3, "time")]


def test_no_checkpoint_for_a_rolled_back_event(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError), \
            transaction.atomic():
        record_event(actor=None, action="test.event")
        raise ValueError("the change fails")
    assert not settings.ROUEI_AUDIT_CHECKPOINT_FILE.exists()


def test_the_checkpoint_file_is_private(django_capture_on_commit_callbacks):
    _events(1, django_capture_on_commit_callbacks)
    mode = stat.S_IMODE(settings.ROUEI_AUDIT_CHECKPOINT_FILE.stat().st_mode)
    assert mode == 0o600


def test_a_failing_checkpoint_does_not_fail_the_event(django_capture_on_commit_callbacks,
                                                     tmp_path, settings):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.ROUEI_AUDIT_CHECKPOINT_FILE = blocker / "audit-checkpoints.jsonl"
    _events(1, django_capture_on_commit_callbacks)
    assert AuditEvent.objects.count() == 1


def test_verify_writes_a_checkpoint_of_the_last_row(django_capture_on_commit_callbacks):
    events = _events(3, django_capture_on_commit_callbacks)
    result = verify_trail()
    assert result.ok, result.broken
    assert (_lines()[-1]["sequence"], _lines()[-1]["reason"]) == (3, "verify")
    assert result.written.head == events[-1].hash


def test_verify_counts_what_it_checked_against(django_capture_on_commit_callbacks):
    _events(120, django_capture_on_commit_callbacks)
    result = verify_trail()
    assert (result.events, result.checkpoints, result.last_checkpoint.sequence) == (120, 2, 101)


def test_a_failed_verification_writes_no_checkpoint(django_capture_on_commit_callbacks):
    _events(3, django_capture_on_commit_callbacks)
    settings.ROUEI_AUDIT_CHECKPOINT_FILE.write_text("not a checkpoint\n", encoding="utf-8")
    result = verify_trail()
    assert result.broken.code == "checkpoint_unreadable"
    assert settings.ROUEI_AUDIT_CHECKPOINT_FILE.read_text(encoding="utf-8") == \
        "not a checkpoint\n"


def test_an_empty_trail_without_checkpoints_is_intact():
    result = verify_trail()
    assert result.ok
    assert result.written is None


def test_a_checkpoint_goes_to_syslog_over_udp_when_configured(
        django_capture_on_commit_callbacks, settings):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.ROUEI_AUDIT_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        _events(1, django_capture_on_commit_callbacks)
        message = receiver.recv(65536).decode("utf-8")
    finally:
        receiver.close()
    assert checkpoints.SYSLOG_PREFIX in message
    assert checkpoints.parse(message).line() == settings.ROUEI_AUDIT_CHECKPOINT_FILE.read_text(
        encoding="utf-8").strip()


def test_verify_against_a_syslog_extract(django_capture_on_commit_callbacks, tmp_path):
    _events(2, django_capture_on_commit_callbacks)
    verify_trail()
    extract = tmp_path / "syslog-extract.txt"
    extract.write_text("".join(
        f"Dec  6 06:07:05 host rouei: {checkpoints.SYSLOG_PREFIX}{line}\n"
        for line in settings.ROUEI_AUDIT_CHECKPOINT_FILE.read_text(encoding="utf-8").splitlines()
    ), encoding="utf-8")
    result = verify_trail(checkpoint_file=extract, write_checkpoint=False)
    assert result.ok, result.broken
    assert result.checkpoints == 2


def test_an_extra_sink_receives_each_checkpoint(django_capture_on_commit_callbacks, settings):
    settings.ROUEI_AUDIT_SINKS = ["tests.core.test_audit_checkpoints.ListSink"]
    ListSink.lines.clear()
    _events(1, django_capture_on_commit_callbacks)
    assert [json.loads(line)["sequence"] for line in ListSink.lines] == [1]


class ListSink:
    name = "a list"
    lines: list[str] = []  # noqa: RUF012 — shared on purpose: the test reads it

    def write(self, line: str) -> None:
        self.lines.append(line)


@given(st.text())
def test_parse_refuses_what_is_not_a_checkpoint(text):
    try:
        checkpoint = checkpoints.parse(text)
    except checkpoints.NotACheckpoint:
        return
    assert isinstance(checkpoint.sequence, int)  # only a well-formed JSON object gets through


@given(st.integers(min_value=1, max_value=2**63 - 1), st.text(alphabet="0123456789abcdef",
       min_size=64, max_size=64), st.integers(min_value=0, max_value=2**63 - 1),
       st.sampled_from(["first", "events", "time", "verify", "rotate", "upgrade"]))
def test_a_checkpoint_line_reads_back_as_itself(sequence, head, legacy_until, reason):
    checkpoint = checkpoints.make(sequence, head, legacy_until=legacy_until, reason=reason)
    assert checkpoints.parse(checkpoint.line()) == checkpoint


def test_a_checkpoint_signature_covers_every_field():
    checkpoint = checkpoints.make(5, "a" * 64, legacy_until=0, reason="verify")
    assert checkpoint.signature_ok()
    for field, value in [("sequence", 4), ("head", "b" * 64), ("at", "2020-01-01T00:00:00"),
                         ("legacy_until", 5), ("reason", "first")]:
        changed = checkpoints.Checkpoint(**{**checkpoint.__dict__, field: value})
        assert not changed.signature_ok(), field


def test_a_sink_that_cannot_be_set_up_leaves_the_file_checkpoint(
        django_capture_on_commit_callbacks, settings):
    settings.ROUEI_AUDIT_SINKS = ["rouei.core.checkpoints.NoSuchSink"]
    _events(1, django_capture_on_commit_callbacks)
    assert [c["sequence"] for c in _lines()] == [1]
