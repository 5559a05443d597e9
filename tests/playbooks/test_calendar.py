"""The ICS feed: a secret address per user (stored hashed, regenerable), the deadlines and open
task due dates of their incidents as all-day events with stable UIDs; anything else is 404."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.urls import reverse

from rouei.core.models import AuditEvent
from rouei.incidents import actions as incident_actions
from rouei.playbooks import actions
from rouei.playbooks.actions import hash_token
from rouei.playbooks.models import CalendarFeed
from tests.filing import close_over_open_duties, file_report
from tests.playbooks.conftest import FACTS_ACCESS, FACTS_MISSENT

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("playbooks:dashboard")


def _issue(client) -> str:
    html = client.post(DASHBOARD, {"feed": "issue"}).content.decode()
    return re.search(r"<pre class=\"formula\" data-feed-url>([^<]+)</pre>", html).group(1)


def _events(body: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def feed(client, user, access_incident):
    """The calendar address of ``user`` (tanaka), issued on the dashboard."""
    client.force_login(user)
    url = _issue(client)
    client.logout()  # a calendar application has no session
    return url


def test_calendar_feed_parses_and_holds_the_final_report_date(client, feed, access_incident):
    response = client.get(feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    final = events[f"rouei-incident-{access_incident.pk}-final@testserver"]
    assert final.decoded("DTSTART") == dt.date(2027, 1, 22)  # an all-day event
    assert final.decoded("DTEND") == dt.date(2027, 1, 23)
    assert str(final["SUMMARY"]) == "確報の期限: 顧客管理システムへの不正アクセス"
    assert str(final["URL"]).endswith(f"/incidents/{access_incident.pk}/")
    preliminary = events[f"rouei-incident-{access_incident.pk}-preliminary@testserver"]
    assert preliminary.decoded("DTSTART") == dt.date(2026, 11, 28)
    task = access_incident.tasks.get(key="final_report")
    assert events[f"rouei-task-{task.pk}@testserver"].decoded("DTSTART") == dt.date(2027, 1, 22)


def test_calendar_feed_lists_only_open_tasks_of_the_users_incidents(client, feed, user,
                                                                    access_incident,
                                                                    make_user):
    done = access_incident.tasks.get(key="isolate_systems")
    actions.do_complete_task(done, actor=user)
    foreign = incident_actions.do_create_incident(title="他部署の事案", facts=FACTS_ACCESS,
                                                  actor=make_user("suzuki"))
    body = client.get(feed).content
    events = _events(body)
    assert f"rouei-task-{done.pk}@testserver" not in events
    assert not [uid for uid in events if f"incident-{foreign.pk}-" in uid]
    assert "他部署の事案".encode() not in body
    assert len(events) == 2 + access_incident.tasks.filter(
        status__in=["todo", "in_progress"], due_date__isnull=False).count()


def test_calendar_feed_uids_stay_while_the_dates_move(client, feed, user, open_incident):
    incident = open_incident(FACTS_MISSENT, title="健康診断結果の誤送信")
    uid = f"rouei-incident-{incident.pk}-final@testserver"
    assert _events(client.get(feed).content)[uid].decoded("DTSTART") == dt.date(2026, 12, 23)
    incident_actions.do_update_facts(incident, {**FACTS_MISSENT, "cause": "unauthorized_access",
                                                "malicious": True},
                                     expected_version=1, actor=user)
    assert _events(client.get(feed).content)[uid].decoded("DTSTART") == dt.date(2027, 1, 22)


def test_calendar_feed_wrong_token_is_404(client, feed):
    token = feed.rsplit("/", 1)[1].removesuffix(".ics")
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("playbooks:calendar", args=[wrong])).status_code == 404
    assert client.get(reverse("playbooks:calendar", args=["short"])).status_code == 404


def test_calendar_token_is_stored_hashed_and_a_new_one_stops_the_old(client, user, feed):
    token = feed.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get(user=user)
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    client.force_login(user)
    new = _issue(client)
    client.logout()
    assert new != feed
    assert client.get(feed).status_code == 404
    assert client.get(new).status_code == 200
    assert list(AuditEvent.objects.filter(action__startswith="calendar_feed")
                .values_list("action", "details__replaced")) == [
        ("calendar_feed.issue", False), ("calendar_feed.issue", True)]


def test_calendar_address_is_shown_once(client, user, feed):
    client.force_login(user)
    html = client.get(DASHBOARD).content.decode()
    assert "data-feed-url" not in html and "新しいアドレスを発行" in html


def test_calendar_feed_stopped_is_404(client, user, feed):
    client.force_login(user)
    client.post(DASHBOARD, {"feed": "revoke"})
    client.logout()
    assert client.get(feed).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_calendar_feed_of_a_disabled_user_is_404(client, user, feed):
    user.is_active = False
    user.save()
    assert client.get(feed).status_code == 404


def test_calendar_feed_closed_over_open_duties_keeps_the_unfiled_reports(client, feed, user,
                                                                         access_incident):
    close_over_open_duties(access_incident, user)
    uids = set(_events(client.get(feed).content))
    assert {f"rouei-incident-{access_incident.pk}-preliminary@testserver",
            f"rouei-incident-{access_incident.pk}-final@testserver"} <= uids


def test_calendar_feed_closed_over_open_duties_says_closed_in_the_summary(client, feed, user,
                                                                         access_incident):
    close_over_open_duties(access_incident, user)
    event = _events(client.get(feed).content)[
        f"rouei-incident-{access_incident.pk}-final@testserver"]
    assert "完了" in str(event["SUMMARY"])


def test_calendar_feed_closed_with_both_reports_filed_has_no_report_events(client, feed, user,
                                                                          access_incident):
    file_report(access_incident, "preliminary", user)
    file_report(access_incident, "final", user)
    close_over_open_duties(access_incident, user)
    uids = set(_events(client.get(feed).content))
    assert not {u for u in uids if u.startswith(f"rouei-incident-{access_incident.pk}-")}


def test_calendar_feed_after_the_preliminary_report_filed_keeps_the_final(client, feed, user,
                                                                          access_incident):
    file_report(access_incident, "preliminary", user)
    uids = set(_events(client.get(feed).content))
    assert f"rouei-incident-{access_incident.pk}-final@testserver" in uids
    assert f"rouei-incident-{access_incident.pk}-preliminary@testserver" not in uids


def test_calendar_feed_status_preliminary_reported_alone_keeps_the_preliminary(
        client, feed, user, access_incident):
    incident_actions.do_change_status(access_incident, "preliminary_reported", actor=user)
    uids = set(_events(client.get(feed).content))
    assert f"rouei-incident-{access_incident.pk}-preliminary@testserver" in uids


def test_calendar_feed_issue_needs_login_and_post(client, user):
    assert client.post(DASHBOARD, {"feed": "issue"}).status_code == 302
    assert not CalendarFeed.objects.exists()
    client.force_login(user)
    client.get(DASHBOARD, {"feed": "issue"})
    assert not CalendarFeed.objects.exists()


def _alarms(event: icalendar.Event) -> list[icalendar.Alarm]:
    return [c for c in event.subcomponents if c.name == "VALARM"]


def _ring_times(event: icalendar.Event) -> list[dt.datetime]:
    """When each alarm of an all-day event rings: its trigger from 00:00 of the start day."""
    start = dt.datetime.combine(event.decoded("DTSTART"), dt.time())
    return sorted(start + alarm.decoded("TRIGGER") for alarm in _alarms(event))


def test_calendar_report_deadline_reminds_at_nine_the_day_before_and_on_the_day(
        client, feed, access_incident):
    final = _events(client.get(feed).content)[
        f"rouei-incident-{access_incident.pk}-final@testserver"]
    assert _ring_times(final) == [dt.datetime(2027, 1, 21, 9, 0), dt.datetime(2027, 1, 22, 9, 0)]


def test_calendar_task_due_date_carries_the_same_two_reminders(client, feed, access_incident):
    task = access_incident.tasks.get(key="final_report")
    event = _events(client.get(feed).content)[f"rouei-task-{task.pk}@testserver"]
    assert _ring_times(event) == [dt.datetime(2027, 1, 21, 9, 0), dt.datetime(2027, 1, 22, 9, 0)]


def test_calendar_reminders_show_the_events_title(client, feed, access_incident):
    final = _events(client.get(feed).content)[
        f"rouei-incident-{access_incident.pk}-final@testserver"]
    assert [(str(a["ACTION"]), str(a["DESCRIPTION"])) for a in _alarms(final)] == [
        ("DISPLAY", "確報の期限: 顧客管理システムへの不正アクセス")] * 2


def test_calendar_reminder_uids_differ_per_alarm_and_stay_with_the_event(client, feed,
                                                                         access_incident):
    body = client.get(feed).content
    uid = f"rouei-incident-{access_incident.pk}-final"
    alarm_uids = [str(a["UID"]) for a in _alarms(_events(body)[f"{uid}@testserver"])]
    assert alarm_uids == [f"{uid}-day-before@testserver", f"{uid}-due-day@testserver"]
    assert alarm_uids == [str(a["UID"]) for a in
                          _alarms(_events(client.get(feed).content)[f"{uid}@testserver"])]


def test_calendar_card_tells_when_the_reminders_ring(client, user):
    client.force_login(user)
    page = client.get(DASHBOARD).content.decode()
    assert "各予定には前日の9時と当日の9時に通知が付いています" in page
