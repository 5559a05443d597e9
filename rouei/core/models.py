"""Base models and the tamper-evident audit trail (監査ログ).

``AuditEvent`` rows are written only by ``rouei.core.audit.record_event`` and never changed or
removed: ``save`` refuses updates, ``delete`` and the queryset's ``update``/``delete`` refuse
outright. Each row carries the HMAC-SHA256 (under an audit key kept outside the database, see
``rouei.core.audit_keys``) of its own canonical content and the previous row's hash, so an edit
or a removal made behind Django's back (raw SQL) breaks the chain and cannot be re-signed, and
``rouei audit verify`` names the first broken link; signed checkpoints outside the database
(``rouei.core.checkpoints``) catch removed newest rows and an older copy put back. ``AuditChainHead`` is a single row holding
the last sequence number and hash: writers lock it, so the chain never forks, and a removal of
the newest rows shows as a head that points past the last row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """``created_at`` and ``updated_at``, set by the database layer, stored in UTC."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or remove an audit event through Django."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("audit events are append-only")

    def delete(self):
        raise AuditLogImmutable("audit events are append-only")

    def bulk_update(self, *args, **kwargs):
        raise AuditLogImmutable("audit events are append-only")

    def bulk_create(self, *args, **kwargs):
        raise AuditLogImmutable("audit events are written one by one by record_event()")


class AuditEvent(models.Model):
    """One audited change (or view of sensitive data): who, when, what, before/after digests.

    ``incident_id`` is a plain integer rather than a foreign key: the trail outlives what it
    describes, and ``core`` does not depend on the incident app. ``details`` holds codes and
    ids only (no free text, no personal data), because a row can never be erased; the one
    exception is the client's IP address (``ip``) on sign-in and account events, which a
    security review needs. Views of sensitive data are ``<what>.view`` events
    (``rouei.core.audit.record_view``).
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("actor"))
    incident_id = models.BigIntegerField(_("incident"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    before_digest = models.CharField(_("before (SHA-256)"), max_length=64, blank=True)
    after_digest = models.CharField(_("after (SHA-256)"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    # 1: unkeyed SHA-256 (rows written before audit keys); 2: HMAC-SHA256 under ``key_id``.
    hash_format = models.PositiveSmallIntegerField(_("hash format"), default=1)
    key_id = models.CharField(_("signing key id"), max_length=16, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("sequence",)
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("audit events cannot be changed")
        if not getattr(self, "_via_record_event", False):
            raise AuditLogImmutable("audit events are written only by record_event()")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("audit events cannot be deleted")


class AuditChainHead(models.Model):
    """The single row (pk 1) holding the end of the chain; locked by every writer."""

    SINGLETON = 1

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class CheckpointSinkStatus(models.Model):
    """How the writes of audit checkpoints to a sink besides the file (syslog, object storage)
    have gone, one row per sink, so that ``rouei audit verify`` and the audit pages can say a
    sink is failing even when the failure happened in another process. A failed write loses
    nothing (the event is in the database, the checkpoint in the file); it is counted here.
    ``last_error`` holds the error's type and code only, never a checkpoint or personal data."""

    name = models.CharField(_("sink"), max_length=200, unique=True)
    written = models.PositiveBigIntegerField(_("checkpoints written"), default=0)
    failures = models.PositiveBigIntegerField(_("failed writes"), default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit checkpoint sink")

    def __str__(self) -> str:
        return self.name

    @property
    def failing(self) -> bool:
        return self.failing_since is not None


class RelationChange(models.Model):
    """A row per statement that wrote rows of an incident's large relations (the people
    registry, its inquiries, claims and requests), written by the database's triggers
    (``rouei.core.changes``) and never by the app: the incident page learns that such a
    relation changed from an index look-up here instead of reading its rows."""

    incident_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("relation change")
        indexes = (models.Index(fields=("incident_id", "id"), name="core_change_incident_idx"),)

    def __str__(self) -> str:
        return f"change #{self.pk} of incident {self.incident_id}"
