"""Notices by e-mail to a local SMTP server started by the test (issue 12: "checks each
message's personal content, then simulates a bounce and sees the person move to the letter
queue")."""

from __future__ import annotations

import hashlib

import pytest
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.models import AuditEvent
from rouei.people import actions, mailer
from rouei.people.models import EventKind, NoticeRun, NoticeStatus, Person, PersonEvent

pytestmark = pytest.mark.django_db

TARO, HANAKO = "taro@example.jp", "hanako@example.jp"


@pytest.fixture
def registry(notice_registry):
    return notice_registry


def _ref(incident, address):
    for person in Person.objects.filter(incident=incident):
        record = person.record()
        if record.email == address:
            return record.ref
    raise AssertionError(address)


def _person(incident, address):
    return next(p for p in Person.objects.filter(incident=incident)
                if p.record().email == address)


def _send(user, incident):
    return actions.do_start_email_notices(user, incident)


def test_everyone_with_an_email_gets_one_message(server, registry, user):
    _send(user, registry)
    assert sorted(r for m in server.received for r in m.recipients) == [HANAKO, TARO]


def test_a_message_gives_the_persons_own_reference_number(server, registry, user):
    _send(user, registry)
    [message] = server.to(HANAKO)
    assert f"受付番号：{_ref(registry, HANAKO)}" in message.body


def test_a_message_lists_the_persons_own_items(server, registry, user):
    _send(user, registry)
    [message] = server.to(TARO)
    assert "・クレジットカード番号" in message.body


def test_a_message_never_lists_another_persons_items(server, registry, user):
    _send(user, registry)
    [message] = server.to(HANAKO)
    assert "クレジットカード" not in message.body.split("■ 原因")[0]


def test_a_message_never_gives_another_persons_reference_number(server, registry, user):
    _send(user, registry)
    [message] = server.to(HANAKO)
    assert _ref(registry, TARO) not in message.body


def test_card_advice_goes_only_to_people_whose_card_leaked(server, registry, user):
    _send(user, registry)
    [message] = server.to(TARO)
    assert "ご利用明細" in message.body


def test_the_message_says_what_we_never_ask_for(server, registry, user):
    _send(user, registry)
    [message] = server.to(HANAKO)
    assert "暗証番号、パスワードをお尋ねすることは一切ございません" in message.body


def test_the_message_gives_the_window(server, registry, user):
    _send(user, registry)
    [message] = server.to(HANAKO)
    assert "電話番号：0120-000-000" in message.body


def test_the_subject_is_an_apology_and_notice(server, registry, user):
    _send(user, registry)
    [message] = server.to(HANAKO)
    assert message.message["Subject"].endswith("に関するお詫びとお知らせ")


def test_the_sent_event_holds_the_hash_of_the_body_received(server, registry, user):
    _send(user, registry)
    [message] = server.to(TARO)
    event = PersonEvent.objects.get(person=_person(registry, TARO), kind=EventKind.EMAILED)
    body = message.body.replace("\r\n", "\n")  # SMTP carries the line ends as CRLF
    assert event.details["sha256"] == hashlib.sha256(body.encode()).hexdigest()


def test_a_sent_notice_moves_the_person_to_emailed(server, registry, user):
    _send(user, registry)
    assert _person(registry, TARO).notice_status == NoticeStatus.EMAILED


def test_re_running_sends_nothing_twice(server, registry, user):
    _send(user, registry)
    _send(user, registry)
    assert len(server.received) == 2


def test_limit_sends_to_that_many(server, registry, user):
    actions.do_start_email_notices(user, registry, limit=1)
    assert len(server.received) == 1


def test_a_550_at_rcpt_moves_the_person_to_the_letter_queue(server, registry, user):
    server.reject.add(HANAKO)
    _send(user, registry)
    assert _person(registry, HANAKO).notice_status == NoticeStatus.EMAIL_BOUNCED


def test_a_bounce_is_in_the_persons_history(server, registry, user):
    server.reject.add(HANAKO)
    _send(user, registry)
    event = PersonEvent.objects.get(person=_person(registry, HANAKO),
                                    kind=EventKind.EMAIL_BOUNCED)
    assert event.details["code"] == 550


def test_a_bounced_person_is_in_the_unreached_print_data(server, registry, user, tmp_path):
    server.reject.add(HANAKO)
    _send(user, registry)
    out = tmp_path / "print.csv"
    result = CliRunner().invoke(app, ["people", "print-data", str(registry.pk), "--out",
                                      str(out), "--only-unreached"])
    assert result.exit_code == 0, result.output
    refs = [line.split(",")[0] for line in out.read_bytes().decode("cp932").splitlines()[1:]]
    assert refs == [_ref(registry, HANAKO)]


def test_a_temporary_failure_is_retried_after_a_back_off(server, registry, user):
    server.temporary[TARO] = 2
    clock = FakeClock()
    run = actions.do_start_email_notices(user, registry, enqueue=False)
    mailer.run_email_notices(run.pk, clock=clock, sleep=clock.sleep)
    assert len(server.to(TARO)) == 1


def test_the_back_off_waits_before_each_retry(server, registry, user):
    server.temporary[TARO] = 2
    clock = FakeClock()
    run = actions.do_start_email_notices(user, registry, enqueue=False)
    mailer.run_email_notices(run.pk, clock=clock, sleep=clock.sleep)
    assert clock.now >= mailer.BACKOFF[0] + mailer.BACKOFF[1]


def test_a_person_still_failing_after_the_last_try_stays_for_the_next_run(server, registry,
                                                                         user):
    server.temporary[TARO] = len(mailer.BACKOFF) + 1
    clock = FakeClock()
    run = actions.do_start_email_notices(user, registry, enqueue=False)
    run = mailer.run_email_notices(run.pk, clock=clock, sleep=clock.sleep)
    assert (run.deferred, _person(registry, TARO).notice_status) == (1, NoticeStatus.NOT_NOTIFIED)


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sends: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_rate_limit_spaces_the_messages(server, registry, user, settings):
    settings.ROUEI_NOTICE_EMAILS_PER_MINUTE = 2
    clock = FakeClock()
    run = actions.do_start_email_notices(user, registry, enqueue=False)
    mailer.run_email_notices(run.pk, clock=clock, sleep=clock.sleep)
    assert clock.now == pytest.approx(30.0)


def test_the_throttle_allows_no_more_than_the_rate_in_a_minute():
    clock = FakeClock()
    throttle = mailer.Throttle(60, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(121):
        throttle.wait()
        times.append(clock.now)
    assert max(sum(1 for t in times if start <= t < start + 60) for start in times) == 60


def test_one_audit_event_per_run(server, registry, user):
    _send(user, registry)
    assert AuditEvent.objects.filter(action="people.notices_emailed").count() == 1


def test_the_run_event_holds_counts_only(server, registry, user):
    server.reject.add(HANAKO)
    _send(user, registry)
    event = AuditEvent.objects.get(action="people.notices_emailed")
    assert event.details == {"run": NoticeRun.objects.get().pk, "status": "done", "sent": 1,
                             "bounced": 1, "deferred": 0, "limit": None, "parts": 1}


def test_no_run_without_the_window_in_the_settings(server, incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    with pytest.raises(actions.ActionError) as caught:
        actions.do_start_email_notices(user, incident)
    assert caught.value.code == "notice_settings_incomplete"


def test_administrator_templates_override_the_shipped_ones(server, registry, user, settings,
                                                          tmp_path):
    (tmp_path / "email.txt").write_text("{{ person.name }} 様\n独自の文面 {{ person.ref }}\n",
                                        encoding="utf-8")
    settings.ROUEI_NOTICE_TEMPLATES_DIR = str(tmp_path)
    _send(user, registry)
    [message] = server.to(HANAKO)
    assert message.body.splitlines()[1] == f"独自の文面 {_ref(registry, HANAKO)}"


def _cli(*args):
    return CliRunner().invoke(app, ["people", *map(str, args)])


def test_notify_dry_run_sends_nothing(server, registry):
    result = _cli("notify", registry.pk, "--email", "--dry-run")
    assert (result.exit_code, server.received) == (0, [])


def test_notify_dry_run_says_how_many_would_be_sent(server, registry):
    result = _cli("notify", registry.pk, "--email", "--dry-run")
    assert result.stdout.startswith("2 人にメールを送ります")


def test_notify_dry_run_preview_is_masked(server, registry):
    result = _cli("notify", registry.pk, "--email", "--dry-run")
    assert "山田 太郎" not in result.stdout


def test_notify_now_sends(server, registry):
    result = _cli("notify", registry.pk, "--email", "--now")
    assert (result.exit_code, len(server.received)) == (0, 2)
