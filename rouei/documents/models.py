"""The public notice in versions (公表: 第一報, 第二報, … 最終報; notices-and-victims.md §3).

- ``NoticeDraft``: the next version being prepared — the sections a person rewrote (the others
  follow the incident's facts as they change), the 最終報 flag and, for a card leak, the reason
  publication took time.
- ``NoticeVersion``: a published version, frozen: the content as published (canonical JSON
  text) and its SHA-256. Never changed or removed once saved.
- ``PublicNoticePage``: the unguessable token of the incident's public page (created on the
  first publication; the address names no incident).

The notice is public text, so nothing here is encrypted: it must never hold more about a
person than the published notice says.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rouei.core.models import TimestampedModel


class NoticeVersionImmutable(Exception):
    """A published notice version cannot be changed or removed (publish a new one)."""


class NoticeVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise NoticeVersionImmutable("published notice versions are frozen")

    def delete(self):
        raise NoticeVersionImmutable("published notice versions are frozen")

    def bulk_update(self, *args, **kwargs):
        raise NoticeVersionImmutable("published notice versions are frozen")


class PublicNoticePage(models.Model):
    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="public_notice_page")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public notice page")

    def __str__(self) -> str:
        return f"Public notice page of incident {self.incident_id}"


class NoticeDraft(TimestampedModel):
    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="notice_draft")
    # {section key: {"text": what the person wrote, "based_on": the drafted text they started
    # from}}: a section not here is drafted afresh from the incident every time.
    sections = models.JSONField(default=dict, blank=True)
    is_final = models.BooleanField(_("final notice (最終報)"), default=False)
    delay_reason = models.TextField(_("why publication took time"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)  # optimistic locking of the edit form

    class Meta:
        verbose_name = _("public notice draft")

    def __str__(self) -> str:
        return f"Notice draft of incident {self.incident_id}"


class NoticeVersion(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="notice_versions")
    number = models.PositiveIntegerField(_("number"))  # 1 = 第一報
    is_final = models.BooleanField(_("final notice (最終報)"), default=False)
    published_at = models.DateTimeField(_("published at"))
    # The content exactly as published: canonical JSON (sorted keys, UTF-8); the SHA-256 is of
    # these bytes, so anyone holding the text can check it.
    content_json = models.TextField()
    sha256 = models.CharField(max_length=64)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    objects = NoticeVersionQuerySet.as_manager()

    class Meta:
        ordering = ("incident", "number")
        verbose_name = _("published notice version")
        constraints = (models.UniqueConstraint(fields=["incident", "number"],
                                               name="notice_version_number_unique"),)

    def __str__(self) -> str:
        return f"Notice {self.number} of incident {self.incident_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not kwargs.pop("_publishing", False):
            raise NoticeVersionImmutable("published notice versions are frozen; "
                                         "use do_publish_notice for a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise NoticeVersionImmutable("published notice versions are frozen")

    @property
    def content(self) -> dict:
        return json.loads(self.content_json)
