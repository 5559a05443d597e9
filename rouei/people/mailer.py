"""E-mail notices through SMTP: a send run (``NoticeRun``), at the configured rate, with
retries on temporary failures and bounces moved to the letter queue.

- Who: people of the incident with an e-mail address whose notice is still ``not_notified``,
  read in batches by primary key (memory does not grow with the registry). Each person is read
  again just before sending, and the status moves only from ``not_notified``, so a re-run (or
  a second run) never sends a notice twice to someone recorded as notified.
- Rate: ``ROUEI_NOTICE_EMAILS_PER_MINUTE`` (default 60): the run waits between messages
  (``Throttle``; the clock and the sleep are injectable for tests).
- Parts: a queued run is split into ``ROUEI_NOTICE_SEND_TASKS`` tasks (default 1), so that
  several workers, on several machines, send one run side by side. Part *i* sends to the people
  whose id modulo the parts is *i*, at its share of the rate and of the limit; the parts add
  their counts to the run; an error in one fails the run and the others stop at their next
  save; the last part to end sets the run's status and writes its audit event.
- Temporary failures (a 4xx answer, a dropped connection): the message is tried again later
  in the run, after a back-off (``BACKOFF``), while the others go on; after the last try the
  person stays ``not_notified`` (counted as deferred) for the next run.
- Permanent failure at RCPT (5xx): a bounce — the person moves to ``email_bounced`` (the letter
  queue) with a ``PersonEvent``. Bounces that arrive later as DSNs: ``rouei.people.bounces``.
- Each notice sent: ``PersonEvent(kind=emailed)`` with the channel and the SHA-256 of the exact
  body sent, and the status ``emailed``.
- The run: one audit event at its end with the counts only (never an address).

Known limit: a crash between the SMTP server's acceptance and the database commit (a
millisecond window) leaves the person ``not_notified``, and a re-run sends that notice again.
"""

from __future__ import annotations

import heapq
import logging
import smtplib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone

from rouei.core.audit import record_event
from rouei.people import notices
from rouei.people.models import EventKind, NoticeRun, NoticeStatus, Person, PersonEvent, RunStatus
from rouei.people.payouts import automatic_policy, pay_with_notice

log = logging.getLogger("rouei.people.mailer")

BATCH = 500
BACKOFF = (30.0, 120.0, 480.0)  # seconds before the 2nd, 3rd and 4th try
STALE_AFTER = timedelta(minutes=15)  # a running run not heard from for this long is dead
HEARTBEAT_EVERY = 20  # messages between saves of the run's counts


class Throttle:
    """At most ``per_minute`` messages a minute: each waits until 60/per_minute seconds after
    the previous one."""

    def __init__(self, per_minute: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if not per_minute > 0:
            raise ValueError("the send rate must be above zero")
        self.interval = 60.0 / per_minute
        self.clock, self.sleep = clock, sleep
        self._next: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self._next is not None and now < self._next:
            self.sleep(self._next - now)
            now = max(self.clock(), self._next)
        self._next = now + self.interval


class Outcome:
    SENT = "sent"
    BOUNCED = "bounced"
    TEMPORARY = "temporary"
    FATAL = "fatal"  # the run cannot go on (our sender or credentials refused)


def classify(exc: Exception) -> tuple[str, int | None]:
    """(outcome, SMTP code) of a failed send."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        code = codes[0] if codes else None
        if code is not None and 500 <= code < 600:
            return Outcome.BOUNCED, code
        return Outcome.TEMPORARY, code
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Outcome.FATAL, exc.smtp_code
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        if isinstance(exc, smtplib.SMTPSenderRefused) and 500 <= code < 600:
            return Outcome.FATAL, code
        return (Outcome.TEMPORARY, code)
    if isinstance(exc, (smtplib.SMTPException, OSError)):
        return Outcome.TEMPORARY, None
    raise exc


def smtp_backend() -> EmailBackend:
    """Django's SMTP backend from the ROUEI_EMAIL_* settings (README), raising on errors."""
    return EmailBackend(host=settings.EMAIL_HOST, port=settings.EMAIL_PORT,
                        username=settings.EMAIL_HOST_USER, password=settings.EMAIL_HOST_PASSWORD,
                        use_tls=settings.EMAIL_USE_TLS, use_ssl=settings.EMAIL_USE_SSL,
                        timeout=settings.EMAIL_TIMEOUT, fail_silently=False)


def eligible(incident):
    """Who a run sends to: an e-mail address on record and no notice yet."""
    return Person.objects.filter(incident=incident, has_email=True,
                                 notice_status=NoticeStatus.NOT_NOTIFIED)


def share(total: int | None, part: int, parts: int) -> int | None:
    """Part ``part``'s share of ``total`` (the run's limit, or its rate) among ``parts``."""
    if total is None:
        return None
    return total // parts + (1 if part < total % parts else 0)


def _fresh_ids(incident, limit: int | None, part: int = 0, parts: int = 1) -> Iterator[int]:
    """The people of part ``part``: those whose id modulo ``parts`` is ``part``."""
    people = eligible(incident)
    if parts > 1:
        people = people.annotate(rouei_part=Mod("pk", parts)).filter(rouei_part=part)
    last, given = 0, 0
    while limit is None or given < limit:
        size = BATCH if limit is None else min(BATCH, limit - given)
        ids = list(people.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield from ids
        last, given = ids[-1], given + len(ids)


@dataclass
class _Counts:
    sent: int = 0
    bounced: int = 0
    deferred: int = 0


def build_message(texts: notices.IncidentTexts, notice_settings, person,
                  record) -> EmailMessage:
    body = notices.render(notices.EMAIL_TEMPLATE, texts, notices.Addressee.of(person, record))
    sender = formataddr((notice_settings.sender_name, notice_settings.from_address))
    domain = notice_settings.from_address.rpartition("@")[2] or None
    return EmailMessage(subject=texts.subject, body=body, from_email=sender, to=[record.email],
                        headers={"Auto-Submitted": "auto-generated",
                                 "Message-ID": make_msgid(domain=domain)})


def run_email_notices(run_id: int, part: int | None = None, *,
                      clock: Callable[[], float] = time.monotonic,
                      sleep: Callable[[float], None] = time.sleep,
                      backend: EmailBackend | None = None) -> NoticeRun:
    """Send the run's notices: part ``part`` of the run (the background task, one per part),
    or every part in turn (``part=None``: ``notify --now``)."""
    if part is None:
        run = NoticeRun.objects.get(pk=run_id)
        for each in range(run.parts):
            run = run_email_notices(run_id, each, clock=clock, sleep=sleep, backend=backend)
        return run
    run = NoticeRun.objects.select_related("incident", "started_by").get(pk=run_id)
    incident = run.incident
    busy = (NoticeRun.objects.filter(incident=incident, status=RunStatus.RUNNING,
                                     updated_at__gte=timezone.now() - STALE_AFTER)
            .exclude(pk=run.pk).exists())
    if busy:
        return _finish(run, _Counts(), "another send run of this incident is in progress")
    NoticeRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, updated_at=timezone.now())
    if not NoticeRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).exists():
        log.warning("notice run %s part %s: the run has ended already", run.pk, part)
        return run  # a late or repeated task of a run that failed or finished
    notice_settings = notices.settings_of(incident)
    missing = notices.missing_settings(notice_settings)
    if missing:
        return _finish(run, _Counts(), "notice settings incomplete: " + ", ".join(missing))
    texts = notices.IncidentTexts.build(incident, notice_settings)
    policy = automatic_policy(incident)
    # The parts share the rate: each waits parts × the interval between its messages.
    throttle = Throttle(settings.ROUEI_NOTICE_EMAILS_PER_MINUTE / run.parts, clock=clock,
                        sleep=sleep)
    backend = backend or smtp_backend()
    counts = _Counts()
    saved = _Counts()  # what this part has added to the run's counts so far
    fresh = _fresh_ids(incident, share(run.limit, part, run.parts), part, run.parts)
    retry: list[tuple[float, int, int]] = []  # (due, tries so far, person id)
    done = 0
    try:
        while True:
            if retry and retry[0][0] <= clock():
                _due, tries, pk = heapq.heappop(retry)
            else:
                pk = next(fresh, None)
                tries = 0
                if pk is None:
                    if not retry:
                        break
                    sleep(max(0.0, retry[0][0] - clock()))
                    continue
            outcome, code = _send_one(run, pk, texts, notice_settings, backend, throttle,
                                      policy)
            if outcome == Outcome.SENT:
                counts.sent += 1
            elif outcome == Outcome.BOUNCED:
                counts.bounced += 1
            elif outcome == Outcome.TEMPORARY:
                if tries < len(BACKOFF):
                    heapq.heappush(retry, (clock() + BACKOFF[tries], tries + 1, pk))
                else:
                    counts.deferred += 1
            elif outcome == Outcome.FATAL:
                counts.deferred += 1 + len(retry)
                return _finish(run, counts,
                               f"the SMTP server refused the sender or the sign-in ({code})",
                               saved=saved)
            done += 1
            if done % HEARTBEAT_EVERY == 0:
                _add_counts(run, counts, saved)
                if run.parts > 1 and NoticeRun.objects.filter(
                        pk=run.pk, status=RunStatus.FAILED).exists():
                    counts.deferred += len(retry)  # another part failed the run: stop too
                    return _finish(run, counts, saved=saved)
    finally:
        backend.close()
    return _finish(run, counts, saved=saved)


def _add_counts(run: NoticeRun, counts: _Counts, saved: _Counts) -> None:
    """Add what this part counted since its last save to the run (the parts add, never set)."""
    NoticeRun.objects.filter(pk=run.pk).update(
        sent=F("sent") + counts.sent - saved.sent,
        bounced=F("bounced") + counts.bounced - saved.bounced,
        deferred=F("deferred") + counts.deferred - saved.deferred, updated_at=timezone.now())
    saved.sent, saved.bounced, saved.deferred = counts.sent, counts.bounced, counts.deferred


def _send_one(run, pk, texts, notice_settings, backend, throttle,
              policy=None) -> tuple[str, int | None]:
    person = Person.objects.filter(pk=pk).first()
    if person is None or person.notice_status != NoticeStatus.NOT_NOTIFIED:
        return "skipped", None  # notified meanwhile (another channel, a bounce file)
    record = person.record()
    if not record.email:
        return "skipped", None
    message = build_message(texts, notice_settings, person, record)
    throttle.wait()
    try:
        backend.send_messages([message])
    except Exception as exc:
        outcome, code = classify(exc)
        backend.close()  # a fresh connection for the next message
        log.warning("notice e-mail of person %s failed: %s (SMTP %s)", pk, outcome, code)
        if outcome == Outcome.BOUNCED:
            with transaction.atomic():
                moved = Person.objects.filter(
                    pk=pk, notice_status=NoticeStatus.NOT_NOTIFIED).update(
                    notice_status=NoticeStatus.EMAIL_BOUNCED, updated_at=timezone.now())
                if moved:
                    PersonEvent.objects.create(
                        person_id=pk, kind=EventKind.EMAIL_BOUNCED, actor=run.started_by,
                        details={"channel": "email", "run": run.pk, "code": code,
                                 "stage": "rcpt"})
        return outcome, code
    with transaction.atomic():
        Person.objects.filter(pk=pk, notice_status=NoticeStatus.NOT_NOTIFIED).update(
            notice_status=NoticeStatus.EMAILED, updated_at=timezone.now())
        PersonEvent.objects.create(
            person_id=pk, kind=EventKind.EMAILED, actor=run.started_by,
            details={"channel": "email", "run": run.pk,
                     "sha256": notices.body_digest(message.body),
                     "template": notices.EMAIL_TEMPLATE})
        pay_with_notice(person, policy, actor=run.started_by, channel="email")
    return Outcome.SENT, None


def _finish(run: NoticeRun, counts: _Counts, error: str = "", *,
            saved: _Counts | None = None) -> NoticeRun:
    """This part's end: its counts added to the run; an error fails the run at once (the first
    error is kept; the other parts stop at their next save). The last part to end sets the
    run's status and writes its one audit event (counts only)."""
    with transaction.atomic():
        _add_counts(run, counts, saved or _Counts())
        if error:
            NoticeRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
            NoticeRun.objects.filter(pk=run.pk, error="").update(error=error[:500])
        NoticeRun.objects.filter(pk=run.pk).update(parts_done=F("parts_done") + 1)
        run = NoticeRun.objects.select_related("incident", "started_by").get(pk=run.pk)
        if run.parts_done != run.parts:
            return run  # other parts are still sending
        if run.status != RunStatus.FAILED:
            NoticeRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
            run.status = RunStatus.DONE
        record_event(actor=run.started_by, action="people.notices_emailed", obj=run,
                     incident_id=run.incident_id,
                     details={"run": run.pk, "status": run.status, "sent": run.sent,
                              "bounced": run.bounced, "deferred": run.deferred,
                              "limit": run.limit, "parts": run.parts})
    return run
