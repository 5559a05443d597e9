"""The groups and statuses of a measure, and the audit labels (English msgids, Japanese in
locale/ja). The groups are the domain reference's (response-practice.md §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeasureGroup(models.TextChoices):
    TECHNICAL = "technical", _("Technical measures")
    ORGANISATIONAL = "organisational", _("Organisational and human measures")
    VENDORS = "vendors", _("Vendor management (委託先管理)")
    GOVERNANCE = "governance", _("Governance")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("measure status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("measure status", "In progress")
    DONE = "done", pgettext_lazy("measure status", "Done")
    DROPPED = "dropped", pgettext_lazy("measure status", "Dropped")


# Measures still to be carried out: they can be overdue, and they are "planned" in item 8.
OPEN_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)

# Documents are written in Japanese whatever the reader's language: the groups as a published
# plan and the PPC report name them.
GROUP_LABELS_JA = {
    MeasureGroup.TECHNICAL: "技術的対策",
    MeasureGroup.ORGANISATIONAL: "組織的・人的対策",
    MeasureGroup.VENDORS: "委託先管理",
    MeasureGroup.GOVERNANCE: "ガバナンス",
}
STATUS_LABELS_JA = {
    MeasureStatus.PLANNED: "実施予定",
    MeasureStatus.IN_PROGRESS: "実施中",
    MeasureStatus.DONE: "実施済み",
    MeasureStatus.DROPPED: "取りやめ",
}

AUDIT_ACTIONS = {
    "measure.add": _("Prevention measure added"),
    "measure.update": _("Prevention measure changed"),
    "measure.progress": _("Progress of a prevention measure recorded"),
}
