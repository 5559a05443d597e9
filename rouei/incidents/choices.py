"""Statuses and timeline kinds (English keys; labels via gettext, Japanese in locale/ja).
Roles and what each may do are ``rouei.core.access``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    """The lifecycle of the domain reference (response-practice.md): 検知 → 調査中 → 速報済 →
    本人通知・公表 → 確報済 → 再発防止 → 完了. Steps may be skipped (a case that is not
    reportable has no 速報); only the lead closes or reopens."""

    DETECTED = "detected", _("Detected")
    INVESTIGATING = "investigating", _("Investigating")
    PRELIMINARY_REPORTED = "preliminary_reported", _("Preliminary report sent")
    NOTIFIED = "notified", _("Individuals notified / published")
    FINAL_REPORTED = "final_reported", _("Final report sent")
    PREVENTION = "prevention", _("Recurrence prevention")
    CLOSED = "closed", _("Closed")


STATUS_ORDER = list(Status.values)


class TimelineKind(models.TextChoices):
    OCCURRED = "occurred", _("Occurred")
    DETECTED = "detected", _("Detected")
    KNEW = "knew", _("Company knew (deadline clock)")
    ACTION = "action", _("Response action")
    DUTY_CHANGE = "duty_change", _("Duty changed")
    STATUS_CHANGE = "status_change", _("Status changed")
    REPORT_FILED = "report_filed", _("Report filed")


class ReportKind(models.TextChoices):
    """What was filed (keys: ``rouei.domain.duties.REPORT_KINDS``)."""

    PRELIMINARY = "preliminary", pgettext_lazy("report kind", "Preliminary report (速報)")
    FINAL = "final", pgettext_lazy("report kind", "Final report (確報)")
    SUPPLEMENT = "supplement", _("Supplement (追完)")
    MY_NUMBER = "my_number", _("Report under the My Number Act")
    PROCESSOR_NOTICE = "processor_notice", _("Processor's notice to the controller")


class ReportChannel(models.TextChoices):
    PPC_FORM = "ppc_form", _("PPC online form")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    OTHER = "other", _("Other")


# Entered by people; the others are written by the actions that imply them.
MANUAL_TIMELINE_KINDS = (TimelineKind.OCCURRED, TimelineKind.DETECTED, TimelineKind.KNEW,
                         TimelineKind.ACTION)

# The audit page's names for the actions' codes (rouei.incidents.actions).
AUDIT_ACTIONS = {
    "incident.create": _("Incident created"),
    "incident.update": _("Incident details edited"),
    "facts.update": _("Facts updated"),
    "member.add": _("Member added"),
    "member.role_change": _("Member's role changed"),
    "member.remove": _("Member removed"),
    "status.change": _("Status changed"),
    "timeline.add": _("Timeline entry added"),
    "timeline.edit": _("Timeline entry edited"),
    "report.file": _("Filed report recorded"),
    # Views of sensitive data (rouei.core.audit.record_view)
    "audit.view": _("Audit trail viewed"),
    "notes.view": _("Notes viewed"),
    "note.view": _("Note opened for editing"),
}
