"""Reading the prevention plan: the measures by group with their overdue marks, a measure's
status as it stood at a time (for the PPC report's "what changed since"), item 8 of the PPC
report, and the publishable summary (no personal data, no owners' names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone

from rouei.assessments.services import Deadline
from rouei.core.access import parse_id
from rouei.prevention.choices import (
    GROUP_LABELS_JA,
    OPEN_STATUSES,
    STATUS_LABELS_JA,
    MeasureGroup,
    MeasureStatus,
)
from rouei.prevention.models import Measure
from rouei.ui.lang import current_lang


def measures_of(incident):
    return (Measure.objects.filter(incident=incident).select_related("owner")
            .order_by("due_date", "id"))


def measure_of(incident, measure_id) -> Measure:
    """A measure of this incident, or 404 (another incident's measure is not found here)."""
    measure = measures_of(incident).filter(pk=parse_id(measure_id)).first()
    if measure is None:
        raise Http404
    return measure


def plan(incident, today: dt.date | None = None) -> dict[str, Any]:
    """The measures by group (every group, in the domain reference's order) and the counts the
    page heads with."""
    today = today or timezone.localdate()
    lang = current_lang()
    measures = list(measures_of(incident))
    for m in measures:
        m.overdue = m.is_overdue(today)
        m.due = Deadline.on(m.due_date, lang, today)
        m.done = Deadline.on(m.done_on, lang, today)
    groups = [{"value": value, "label": label,
               "measures": [m for m in measures if m.group == value]}
              for value, label in MeasureGroup.choices]
    return {
        "groups": groups,
        "total": len(measures),
        "done": sum(m.status == MeasureStatus.DONE for m in measures),
        "open": sum(m.is_open for m in measures),
        "overdue": sum(m.overdue for m in measures),
        "without_owner_or_due": sum(m.is_open and (m.owner_id is None or m.due_date is None)
                                    for m in measures),
    }


def status_at(measure: Measure, as_of: dt.datetime | None) -> str | None:
    """The measure's status at ``as_of`` (None: now); None if it did not exist yet. Every
    status change left an entry, so the first change after ``as_of`` says what it was."""
    if as_of is None:
        return measure.status
    if measure.created_at > as_of:
        return None
    later = (measure.progress.filter(created_at__gt=as_of).exclude(to_status="")
             .order_by("created_at", "id").first())
    return later.from_status if later else measure.status


def _jst_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def report_lines(incident, as_of: dt.datetime | None = None) -> dict[str, list[dict]] | None:
    """Item 8 of the PPC report (再発防止のための措置, 規則8条1項8号) from the measures: done and
    planned apart, in the shape of the report's task lines (``key``, ``title``, ``status``,
    ``completed_on``, ``due``) with the measure's own keys added. None when the incident has no
    measure (at ``as_of``): the report then takes its playbook tasks."""
    done, planned = [], []
    for measure in measures_of(incident).prefetch_related("progress"):
        status = status_at(measure, as_of)
        if status is None or status == MeasureStatus.DROPPED:
            continue
        is_done = status == MeasureStatus.DONE
        line = {
            "key": f"measure-{measure.pk}",
            "title": measure.title,
            "status": status,
            "completed_on": (measure.done_on.isoformat() if is_done and measure.done_on
                             else None),
            "due": measure.due_date.isoformat() if measure.due_date and not is_done else None,
            "source": "measure",
            "measure_id": measure.pk,
            "group": measure.group,
            "group_label": GROUP_LABELS_JA[measure.group],
            "kpi": measure.kpi or None,
        }
        (done if is_done else planned).append(line)
    if not done and not planned:
        exists = measures_of(incident)
        if as_of is not None:
            exists = exists.filter(created_at__lte=as_of)
        if not exists.exists():
            return None
    done.sort(key=lambda x: x["completed_on"] or "")
    planned.sort(key=lambda x: (x["due"] is None, x["due"] or ""))
    return {"done": done, "planned": planned}


def month_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月" if day else ""


def published_summary(incident, today: dt.date | None = None) -> dict[str, Any]:
    """再発防止策の進捗 as a company publishes it: per group what is done (with its month) and
    what is planned (with the month it is due), and what was dropped with the reason given for
    it; never an owner's name or a progress note (they may name people)."""
    today = today or timezone.localdate()
    groups = []
    measures = list(measures_of(incident))
    for value, _label in MeasureGroup.choices:
        rows = [m for m in measures if m.group == value]
        if not rows:
            continue
        done = [{"title": m.title, "month": month_text(m.done_on), "kpi": m.kpi}
                for m in rows if m.status == MeasureStatus.DONE]
        planned = [{"title": m.title, "month": month_text(m.due_date), "kpi": m.kpi,
                    "in_progress": m.status == MeasureStatus.IN_PROGRESS}
                   for m in rows if m.status in OPEN_STATUSES]
        groups.append({"value": value, "label": GROUP_LABELS_JA[value], "done": done,
                       "planned": planned})
    return {"as_of": today, "groups": groups, "text": summary_text(groups, today)}


def summary_text(groups: list[dict], today: dt.date) -> str:
    """The summary as plain Japanese text, ready to paste into the company's notice."""
    from rouei.domain.jdates import format_date

    lines = [f"再発防止策の進捗状況（{format_date(today)}現在）", ""]
    for group in groups:
        lines.append(f"■ {group['label']}")
        for m in group["done"]:
            when = f"（{m['month']}実施）" if m["month"] else "（実施済み）"
            lines.append(f"　・{m['title']}{when}")
        for m in group["planned"]:
            state = "実施中" if m["in_progress"] else "実施予定"
            when = f"（{m['month']}までに完了予定・{state}）" if m["month"] else f"（{state}）"
            lines.append(f"　・{m['title']}{when}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def status_label_ja(status: str) -> str:
    return STATUS_LABELS_JA.get(status, status)
