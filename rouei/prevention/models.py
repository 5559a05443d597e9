"""A measure of the recurrence-prevention plan and its progress history. The description, the
reason for dropping and the progress notes are encrypted: people write names into them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rouei.core.crypto import EncryptedTextField
from rouei.core.models import TimestampedModel
from rouei.prevention.choices import OPEN_STATUSES, MeasureGroup, MeasureStatus


class Measure(TimestampedModel):
    """One measure (再発防止策): who carries it out by when and how its success is measured.
    ``version`` counts the saved changes, so that a form opened before a colleague's change is
    not saved over it."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="measures", verbose_name=_("incident"))
    group = models.CharField(_("group"), max_length=20, choices=MeasureGroup.choices)
    title = models.CharField(_("measure"), max_length=200)
    description = EncryptedTextField(_("description"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    kpi = models.CharField(_("KPI (how success is measured)"), max_length=300, blank=True)
    status = models.CharField(pgettext_lazy("measure", "status"), max_length=20, choices=MeasureStatus.choices,
                              default=MeasureStatus.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    drop_reason = EncryptedTextField(_("why it was dropped"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("added by"))

    class Meta:
        ordering = ("incident", "due_date", "id")
        verbose_name = _("prevention measure")
        verbose_name_plural = _("prevention measures")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


class MeasureProgress(TimestampedModel):
    """A dated entry of a measure's history: what was done (``on`` the day it happened), by
    whom it was recorded, and the status change it brought (``from_status`` → ``to_status``;
    both empty for a note alone)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress",
                                verbose_name=_("measure"))
    on = models.DateField(_("date"))
    note = EncryptedTextField(_("what was done"), blank=True)
    from_status = models.CharField(max_length=20, choices=MeasureStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MeasureStatus.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ("measure", "on", "id")
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.on}"
