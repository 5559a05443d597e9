"""A scan of an incident's evidence files, run in the background, and what it proposes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rouei.core.crypto import EncryptedJSONField, EncryptedTextField


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Scanning")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class EvidenceScan(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="scans")
    items = models.ManyToManyField("evidence.EvidenceItem", related_name="scans")
    status = models.CharField(max_length=10, choices=ScanStatus.choices,
                              default=ScanStatus.QUEUED)
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    # The summary report (masked: no raw values, but file names and column headers, which
    # can name people: encrypted) and the facts it proposes (item ids and counts).
    report = EncryptedJSONField(null=True, blank=True)
    proposed = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    # Passwords for encrypted ZIP members (PPAP), one per line: encrypted at rest, kept only
    # until the scan has run (the task clears them), never shown or audited.
    zip_passwords = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)  # a worker took it
    finished_at = models.DateTimeField(null=True, blank=True)
    # A cancel asked for while the scan runs: the worker sees it within a second or two and
    # stops with what it found so far (status "cancelled").
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    # Why it stopped before reading everything ("time", "memory", "cancelled"; the report's
    # ``stopped`` has the limit): kept in clear for the lists, which do not open the report.
    stop_reason = models.CharField(max_length=10, blank=True, default="")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"scan {self.pk} of incident {self.incident_id}"  # ids only: no file names

    @property
    def percent(self) -> int:
        if self.status == ScanStatus.DONE:
            return 100
        return int(100 * self.bytes_done / self.bytes_total) if self.bytes_total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (ScanStatus.QUEUED, ScanStatus.RUNNING)

    @property
    def stopped(self) -> dict | None:
        """Why the scan stopped before reading everything (its report's ``stopped``: reason
        "time", "memory" or "cancelled", and the limit), or None."""
        return (self.report or {}).get("stopped") if isinstance(self.report, dict) else None
