"""The ICS calendar of a user's deadlines: 速報 and 確報 of each incident and open task due dates.

All-day events (``VALUE=DATE``) with UIDs that stay the same while the dates move, so a calendar
application updates an event instead of adding another. Nothing personal: the incident's title,
the kind of deadline or the task's title (from the playbook), and a link to the page, which
asks the reader to sign in.

Each event carries two reminders (VALARM, RFC 5545 §3.6.6). An all-day event starts at 00:00 of
the due day, which is the last day to act (``rouei.domain.deadlines.due_date``), so "a day
before" and "hours before" are set as working-day mornings relative to the start: 09:00 the day
before (``-PT15H``: a whole working day left) and 09:00 on the due day (``PT9H``: the last
working day starts), in the calendar's own time zone (the dates are floating). Alarms relative
to midnight ("two hours before" = 22:00 the evening before) would ring when nobody can act.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.core.access import incidents_for
from rouei.domain.duties import FINAL, PRELIMINARY
from rouei.incidents.choices import Status
from rouei.incidents.services import with_latest_snapshots
from rouei.playbooks.choices import OPEN_STATUSES
from rouei.playbooks.models import Task

# (trigger relative to the all-day event's start, the alarm's own uid suffix)
REMINDERS = (
    (dt.timedelta(hours=-15), "day-before"),  # 09:00 the day before
    (dt.timedelta(hours=9), "due-day"),  # 09:00 on the due day
)


def _alarm(uid: str, trigger: dt.timedelta, summary: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("uid", uid)  # RFC 9074: lets a calendar application keep a dismissed alarm dismissed
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", trigger)  # relative to DTSTART (RELATED=START is the default)
    alarm.add("description", summary)
    return alarm


def _event(uid: str, day: dt.date, summary: str, url: str, stamp: dt.datetime,
           category: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    local, _at, host = uid.partition("@")
    for trigger, suffix in REMINDERS:
        event.add_component(_alarm(f"{local}-{suffix}@{host}", trigger, summary))
    return event


def build(user, *, base_url: str, host: str) -> bytes:
    """The calendar for ``user``: every deadline of the incidents they are a member of that is
    still open. A report's deadline leaves the feed when the report is recorded as filed, never
    because of the case's status (issue 11): a case closed over open duties keeps them here,
    marked as closed, so nothing vanishes silently."""
    stamp = timezone.now().replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//rouei//deadlines//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("rouei deadlines"))
    incidents = with_latest_snapshots(incidents_for(user).order_by("id"))
    titles = {i.pk: _title(i) for i in incidents}
    for incident in incidents:
        url = base_url + reverse("incidents:detail", args=[incident.pk])
        snapshot = incident.latest_snapshot_obj
        if snapshot is None or snapshot.report_required is False:
            continue
        if snapshot.preliminary_report_due and PRELIMINARY not in incident.filed:
            cal.add_component(_event(
                f"rouei-incident-{incident.pk}-preliminary@{host}",
                snapshot.preliminary_report_due,
                _("Preliminary report (速報) due: %(title)s") % {"title": titles[incident.pk]},
                url, stamp, "preliminary_report"))
        if snapshot.final_report_due and FINAL not in incident.filed:
            cal.add_component(_event(
                f"rouei-incident-{incident.pk}-final@{host}", snapshot.final_report_due,
                _("Final report (確報) due: %(title)s") % {"title": titles[incident.pk]}, url,
                stamp, "final_report"))
    tasks = (Task.objects.filter(incident_id__in=list(titles), status__in=OPEN_STATUSES,
                                 due_date__isnull=False).order_by("incident_id", "due_date", "id"))
    for task in tasks:
        url = base_url + reverse("playbooks:tasks", args=[task.incident_id])
        cal.add_component(_event(
            f"rouei-task-{task.pk}@{host}", task.due_date,
            _("Task: %(task)s — %(title)s") % {"task": task.display_title,
                                               "title": titles[task.incident_id]},
            url, stamp, "task"))
    return cal.to_ical()


def _title(incident) -> str:
    """The incident's title; a closed one says so, since its open deadlines stay."""
    if incident.status == Status.CLOSED:
        return _("%(title)s (closed with this open)") % {"title": incident.title}
    return incident.title
