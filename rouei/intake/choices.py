"""Kinds, channels and statuses of a signal (English keys; Japanese in locale/ja)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint or inquiry")
    SYSTEM_ALERT = "system_alert", _("System alert")
    INTERNAL_REPORT = "internal_report", _("Internal report")
    OTHER = "other", _("Other signal")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter or post")
    WEB_FORM = "web_form", _("Web form")
    IN_PERSON = "in_person", _("In person")
    SIEM = "siem", _("SIEM / monitoring")
    OTHER = "other", _("Other channel")


class SignalStatus(models.TextChoices):
    """受付 → 調査中 → インシデント化 (opened or joined an incident) or 対応不要 (with a reason)."""

    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Under investigation")
    INCIDENT = "incident", _("Became an incident")
    DISMISSED = "dismissed", _("No action needed")


# Set by a person on the signal's page; INCIDENT only by opening or joining an incident.
MANUAL_STATUSES = (SignalStatus.RECEIVED, SignalStatus.INVESTIGATING, SignalStatus.DISMISSED)
OPEN_STATUSES = (SignalStatus.RECEIVED, SignalStatus.INVESTIGATING)

# The audit codes of rouei.intake.actions.
AUDIT_ACTIONS = {
    "signal.create": _("Signal recorded"),
    "signal.update": _("Signal edited"),
    "signal.status": _("Signal status changed"),
    "signal.link": _("Signals linked"),
    "signal.view": _("Signal viewed"),
    "signal.reveal": _("Signal's personal data shown"),
    "signal.open_incident": _("Incident opened from signals"),
    "signal.join_incident": _("Signals joined to an incident"),
}
