"""Kinds of playbook, due rules and task statuses (English keys; Japanese labels in locale/ja)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class PlaybookKind(models.TextChoices):
    """One playbook per kind of incident; ``selection.playbook_kind`` picks it from the facts."""

    MISDELIVERY = "misdelivery", _("Mis-sent mail or fax")
    UNAUTHORIZED_ACCESS = "unauthorized_access", _("Unauthorised access")
    DEVICE = "device", _("Lost or stolen device")
    RANSOMWARE = "ransomware", _("Ransomware")
    INSIDER = "insider", _("Insider")
    VENDOR = "vendor", _("Vendor-caused")
    GENERAL = "general", _("General")
    # Not a cause: the steps a leak of card data adds to the cause's playbook.
    CARD = "card", _("Card data")


class DueRule(models.TextChoices):
    """What a task's due date counts from (the deadlines of the incident's assessment)."""

    KNEW = "knew", _("Day the company knew")
    PRELIMINARY_FIRST = "preliminary_first", _("Start of the preliminary-report (速報) window")
    PRELIMINARY_LAST = "preliminary_last", _("End of the preliminary-report (速報) window")
    FINAL_REPORT_DUE = "final_report_due", _("Final report (確報) due")
    NONE = "none", _("No due date")


class TaskStatus(models.TextChoices):
    TODO = "todo", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")


OPEN_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.NOT_NEEDED)

# The incident audit page's names for this app's action codes (registered in apps.py).
AUDIT_ACTIONS = {
    "tasks.create": _("Tasks added from a playbook"),
    "task.update": _("Task updated"),
    "task.complete": _("Task completed"),
    "tasks.add_proposed": _("Proposed tasks added"),
}


def describe_rule(rule: str, offset_days: int) -> str:
    """A due rule in words: 「確報の期限の5日前」, "3 days after the day the company knew"."""
    if rule == DueRule.NONE:
        return str(DueRule.NONE.label)
    base = DueRule(rule).label
    if offset_days == 0:
        return str(_("%(base)s (that day)") % {"base": base})
    if offset_days > 0:
        return ngettext("%(base)s + %(days)s day", "%(base)s + %(days)s days",
                        offset_days) % {"base": base, "days": offset_days}
    return ngettext("%(base)s − %(days)s day", "%(base)s − %(days)s days",
                    -offset_days) % {"base": base, "days": -offset_days}
