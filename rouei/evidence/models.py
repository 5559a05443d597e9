"""The evidence register (証拠の登録簿), its chain of custody, and the incident's notes.

Written only through ``actions.py`` (audited). ``Blob``, ``EvidenceItem`` and ``CustodyEvent``
are append-only: once saved they are never changed or removed through Django (``save`` refuses
updates; ``delete`` and the querysets' bulk changes refuse), because evidence and its record
must stand up in regulatory reports, insurance claims and lawsuits (response-practice.md §2).
An incident holding evidence cannot be deleted (``PROTECT``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rouei.core.crypto import EncryptedJSONField, EncryptedTextField
from rouei.evidence.choices import CustodyKind, FileType, VerifyResult


class AppendOnly(Exception):
    """Raised on any attempt to change or remove evidence records through Django."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("evidence records are append-only")

    def delete(self):
        raise AppendOnly("evidence records are append-only")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnly("evidence records are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"{self._meta.label} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{self._meta.label} rows are never removed")


class Blob(AppendOnlyModel):
    """One stored content, named by its SHA-256 (``store.blob_path``). The same content
    uploaded twice is one blob with two evidence items."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        ordering = ("id",)
        verbose_name = _("stored file")

    def __str__(self) -> str:
        return self.sha256


class EvidenceItem(AppendOnlyModel):
    """A piece of evidence registered for an incident. ``original_name`` is the name the sender
    gave the file: kept as data (shown escaped, used in the download's Content-Disposition),
    never as a path."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT,
                                 related_name="evidence_items", verbose_name=_("incident"))
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="items")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    # What people typed or named (a file name can name a person): encrypted at rest.
    original_name = EncryptedTextField(_("original file name"))
    detected_type = models.CharField(_("type"), max_length=20, choices=FileType.choices)
    media_type = models.CharField(_("media type"), max_length=100)
    description = EncryptedTextField(_("description"))
    collected_from = EncryptedTextField(_("collected from (system, host or place)"))
    collected_at = models.DateTimeField(_("collected at"))
    # Either a member (collected_by_user) or someone named (an outside forensic examiner).
    collected_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+",
                                          verbose_name=_("collected by (member)"))
    collected_by_name = EncryptedTextField(_("collected by (name)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"evidence #{self.pk}"

    @property
    def collected_by(self) -> str:
        names = [self.collected_by_user.get_username()] if self.collected_by_user else []
        if self.collected_by_name:
            names.append(self.collected_by_name)
        return " / ".join(names)


class CustodyEvent(AppendOnlyModel):
    """One link of an item's chain of custody: who had it, gave it to whom, when, and why.
    ``at`` is when it happened (entered or now); ``recorded_at`` when rouei recorded it."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT,
                             related_name="custody_events")
    kind = models.CharField(_("kind"), max_length=20, choices=CustodyKind.choices)
    at = models.DateTimeField(_("when"))
    # Who handed it to whom, why, and the note: people's names, encrypted at rest.
    from_person = EncryptedTextField(_("from"), blank=True)
    to_person = EncryptedTextField(_("to"), blank=True)
    purpose = EncryptedTextField(_("purpose"), blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    # For "verified": the result and the hash found on disk ('' when the file is missing).
    result = models.CharField(_("result"), max_length=10, choices=VerifyResult.choices,
                              blank=True)
    observed_sha256 = models.CharField(_("SHA-256 found"), max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("custody event")
        verbose_name_plural = _("chain of custody")

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"

    @property
    def failed(self) -> bool:
        return self.kind == CustodyKind.VERIFIED and self.result != VerifyResult.OK


class Note(models.Model):
    """A note on the incident (Markdown, rendered safely by ``rendering.render_markdown``).
    ``version`` counts edits (a save from an out-of-date form is refused); every earlier text is
    kept in ``revisions``."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="notes", verbose_name=_("incident"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    # Earlier texts, oldest first: [{"version", "body", "by", "at"}] (who wrote it, when).
    revisions = EncryptedJSONField(default=list, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"note #{self.pk}"
