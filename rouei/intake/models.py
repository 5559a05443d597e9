"""Signals before an incident (苦情・シグナル). Written only through ``actions.py`` (audited).

The complainant's name and contact, the sender's name and contact, the free-text hearing notes
and the reason a signal needs no action are personal data and are encrypted at rest
(``rouei.core.crypto.EncryptedTextField``): the similarity of signals is computed in Python on
the decrypted sender and the items. The subject (a short line without personal data, shown in
lists), the reference and the items stay in clear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rouei.core.crypto import EncryptedTextField
from rouei.core.models import TimestampedModel
from rouei.intake.choices import Channel, SignalKind, SignalStatus


class SignalGroup(TimestampedModel):
    """Signals a person linked as being about the same thing."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"group {self.pk}"


class Signal(TimestampedModel):
    """A complaint, alert or report that may point to a leak (response-practice.md §9)."""

    kind = models.CharField(_("kind of signal"), max_length=20, choices=SignalKind.choices,
                            default=SignalKind.COMPLAINT)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices,
                               default=Channel.PHONE)
    subject = models.CharField(_("subject"), max_length=200)
    reference = models.CharField(_("reference (alert or ticket id)"), max_length=200,
                                 blank=True)
    # The hearing items of §9. Free text can hold names and addresses: encrypted.
    suspicion_reason = EncryptedTextField(_("why a leak is suspected"), blank=True)
    origin_reason = EncryptedTextField(_("why it is thought to come from us"), blank=True)
    # The sender may be a person too; similarity compares it in Python (``similarity.py``).
    sender_name = EncryptedTextField(_("sender's name"), blank=True)
    sender_contact = EncryptedTextField(_("sender's contact"), blank=True)
    items = models.JSONField(_("data items involved"), default=list, blank=True)
    complainant_name = EncryptedTextField(_("complainant's name"), blank=True)
    complainant_contact = EncryptedTextField(_("complainant's contact"), blank=True)
    notes = EncryptedTextField(_("hearing notes"), blank=True)

    status = models.CharField(_("signal status"), max_length=20, choices=SignalStatus.choices,
                              default=SignalStatus.RECEIVED)
    dismissed_reason = EncryptedTextField(_("reason no action is needed"), blank=True)
    group = models.ForeignKey(SignalGroup, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="signals")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="signals")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ("-received_at", "-id")
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = (models.Index(fields=["status", "received_at"]),)

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.incident_id is None and self.status in (SignalStatus.RECEIVED,
                                                            SignalStatus.INVESTIGATING)

    def linked(self):
        """The other signals of its group."""
        if self.group_id is None:
            return Signal.objects.none()
        return Signal.objects.filter(group_id=self.group_id).exclude(pk=self.pk)
