"""A send run split into parts (``ROUEI_NOTICE_SEND_TASKS``) that several workers send side by
side: everyone still gets exactly one message, the parts share the rate and the limit, add up
their counts, write one audit event, and one part's failure stops the others."""

from __future__ import annotations

import smtplib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.core.models import AuditEvent
from rouei.people import actions, mailer
from rouei.people.models import NoticeRun, RunStatus
from tests.people.conftest import SETTINGS

HEADER = "氏名,メールアドレス\n"
PEOPLE = [f"試験 {i}郎,person{i}@example.jp" for i in range(10)]


@pytest.fixture
def registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE, header=HEADER))
    actions.do_update_notice_settings(user, incident, SETTINGS)
    return incident


@pytest.fixture
def two_parts(settings):
    settings.ROUEI_NOTICE_SEND_TASKS = 2


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_queued_run_is_split_into_the_configured_parts(server, registry, user, two_parts):
    run = actions.do_start_email_notices(user, registry)
    assert run.parts == 2


def test_everyone_gets_exactly_one_message(server, registry, user, two_parts):
    actions.do_start_email_notices(user, registry)
    assert sorted(r.recipients[0] for r in server.received) == sorted(
        f"person{i}@example.jp" for i in range(10))


def test_the_parts_add_up_their_counts(server, registry, user, two_parts):
    server.reject.add("person3@example.jp")
    run = actions.do_start_email_notices(user, registry)
    run.refresh_from_db()
    assert (run.sent, run.bounced) == (9, 1)


def test_the_run_is_done_when_every_part_has_ended(server, registry, user, two_parts):
    run = actions.do_start_email_notices(user, registry)
    run.refresh_from_db()
    assert (run.status, run.parts_done) == (RunStatus.DONE, 2)


def test_a_split_run_writes_one_audit_event(server, registry, user, two_parts):
    actions.do_start_email_notices(user, registry)
    assert AuditEvent.objects.filter(action="people.notices_emailed").count() == 1


def test_the_limit_is_shared_among_the_parts(server, registry, user, two_parts):
    actions.do_start_email_notices(user, registry, limit=3)
    assert len(server.received) == 3


def test_a_run_sent_here_is_one_part(server, registry, user, two_parts):
    run = actions.do_start_email_notices(user, registry, enqueue=False)
    assert run.parts == 1


def _split_run(registry, user, parts=2) -> NoticeRun:
    return NoticeRun.objects.create(incident=registry, started_by=user, parts=parts)


def test_each_part_sends_at_its_share_of_the_rate(server, registry, user, settings):
    settings.ROUEI_NOTICE_EMAILS_PER_MINUTE = 2  # two parts: one message a minute each
    clock = FakeClock()
    run = _split_run(registry, user)
    mailer.run_email_notices(run.pk, 0, clock=clock, sleep=clock.sleep)
    assert clock.now == pytest.approx(60.0 * (len(server.received) - 1))


def test_each_part_sends_to_its_own_people(server, registry, user):
    run = _split_run(registry, user)
    mailer.run_email_notices(run.pk, 0)
    assert 0 < len(server.received) < len(PEOPLE)


class RefusingBackend:
    def send_messages(self, messages):
        raise smtplib.SMTPAuthenticationError(535, b"authentication failed")

    def close(self):
        pass


def test_a_part_refused_by_the_server_fails_the_run(server, registry, user):
    run = _split_run(registry, user)
    mailer.run_email_notices(run.pk, 0, backend=RefusingBackend())
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED


def test_the_other_parts_send_nothing_after_a_failure(server, registry, user):
    run = _split_run(registry, user)
    mailer.run_email_notices(run.pk, 0, backend=RefusingBackend())
    mailer.run_email_notices(run.pk, 1)
    assert server.received == []


def test_the_failure_keeps_its_reason(server, registry, user):
    run = _split_run(registry, user)
    mailer.run_email_notices(run.pk, 0, backend=RefusingBackend())
    mailer.run_email_notices(run.pk, 1)
    run.refresh_from_db()
    assert "535" in run.error


@given(total=st.integers(min_value=0, max_value=10_000), parts=st.integers(1, 64))
def test_the_shares_add_up_to_the_whole(total, parts):
    assert sum(mailer.share(total, part, parts) for part in range(parts)) == total


@given(total=st.integers(min_value=0, max_value=10_000), parts=st.integers(1, 64))
def test_no_share_is_more_than_one_above_another(total, parts):
    shares = [mailer.share(total, part, parts) for part in range(parts)]
    assert max(shares) - min(shares) <= 1
