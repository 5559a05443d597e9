"""Reading tasks and deadlines for the pages and the calendar: grouped, dated, ranked.

Read-only; writes are in actions.py, access checks in ``rouei.core.access``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rouei.assessments.services import Deadline
from rouei.core.access import incidents_for
from rouei.incidents.choices import Status
from rouei.incidents.services import next_deadline, with_latest_snapshots
from rouei.playbooks.choices import OPEN_STATUSES, TaskStatus
from rouei.playbooks.models import Task


def ordered(tasks):
    """Open tasks by due date (undated last), then by the playbook's order."""
    return tasks.annotate(undated=Case(When(due_date__isnull=True, then=Value(1)),
                                       default=Value(0), output_field=IntegerField())
                          ).order_by("undated", "due_date", "order", "id")


def decorate(tasks, lang: str, today: dt.date | None = None) -> list[Task]:
    """Each task with ``due`` (a ``Deadline`` with days left) and ``overdue``."""
    today = today or timezone.localdate()
    out = list(tasks)
    for task in out:
        task.due = Deadline.of(task.due_date.isoformat(), lang, today) if task.due_date else None
        task.overdue = bool(task.is_open and task.due_date and task.due_date < today)
    return out


@dataclass
class StatusGroup:
    status: str
    label: str
    tasks: list[Task] = field(default_factory=list)


def grouped(incident, lang: str, today: dt.date | None = None) -> list[StatusGroup]:
    """The incident's tasks by status (未着手, 進行中, 完了, 不要)."""
    tasks = decorate(ordered(incident.tasks.select_related("owner", "completed_by")), lang,
                     today)
    groups = {s.value: StatusGroup(s.value, str(s.label)) for s in TaskStatus}
    for task in tasks:
        groups[task.status].tasks.append(task)
    return list(groups.values())


def open_tasks(incident, lang: str, today: dt.date | None = None) -> list[Task]:
    return decorate(ordered(incident.tasks.filter(status__in=OPEN_STATUSES)
                            .select_related("owner")), lang, today)


@dataclass(frozen=True)
class DashboardRow:
    incident: object
    next_name: str | None  # what is due next: 速報, 確報 or a task's title
    next_kind: str | None  # preliminary · final · task
    deadline: Deadline | None
    report: object | None  # the report still to make (``NextDeadline``: 速報, then 確報)
    open_count: int
    overdue_count: int

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline.days_left < 0


def dashboard(user, lang: str, today: dt.date | None = None) -> list[DashboardRow]:
    """The user's incidents, the most urgent first: the nearest of the report still to make
    (速報 until one is recorded as filed, then 確報) and the earliest open task; overdue ones
    lead. A closed case keeps what is still unfiled or open (closed over open duties, issue
    11): it is listed last, marked closed, but its deadlines never vanish."""
    today = today or timezone.localdate()
    incidents = with_latest_snapshots(incidents_for(user))
    tasks: dict[int, list[Task]] = {}
    for task in ordered(Task.objects.filter(incident__in=[i.pk for i in incidents],
                                            status__in=OPEN_STATUSES)):
        tasks.setdefault(task.incident_id, []).append(task)
    rows = []
    for incident in incidents:
        mine = tasks.get(incident.pk, [])
        dated = [t for t in mine if t.due_date]
        candidates = []
        report = next_deadline(incident.latest_snapshot_obj, incident.filed, lang, today)
        if report is not None:
            candidates.append((report.deadline.day, 0, report.name, report.kind))
        if dated:
            first = dated[0]
            candidates.append((first.due_date, 1, str(_("Task: %(title)s")
                                                      % {"title": first.display_title}), "task"))
        name = kind = deadline = None
        if candidates:
            day, _order, name, kind = min(candidates)
            deadline = Deadline.of(day.isoformat(), lang, today)
        rows.append(DashboardRow(incident, name, kind, deadline, report, len(mine),
                                 sum(1 for t in dated if t.due_date < today)))

    def urgency(row: DashboardRow):
        closed = row.incident.status == Status.CLOSED
        return (closed, row.deadline is None,
                row.deadline.day if row.deadline else dt.date.max, -row.incident.pk)
    return sorted(rows, key=urgency)
