"""An incident's own unit prices for the response-cost model (rouei.domain.damage), and the
money actually spent on its response."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rouei.core.crypto import EncryptedTextField
from rouei.core.models import TimestampedModel
from rouei.domain.damage import ResponsePrices


class UnitPrices(TimestampedModel):
    """The prices this incident's team set (見積り), as the keys of ``ResponsePrices`` that
    differ from rouei's defaults; a key not stored takes the default. ``version`` counts the
    saved changes, so that a form opened before a colleague's change is not saved over it."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="unit_prices")
    overrides = models.JSONField(_("unit prices that differ from the defaults"), default=dict)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("unit prices")

    def prices(self) -> ResponsePrices:
        return ResponsePrices.from_mapping(dict(self.overrides))


class Spend(TimestampedModel):
    """Money actually spent on the incident's response (支出), one payment or invoice a row:
    the day, the category (a line of the response-cost estimate, goodwill payments or other),
    the amount in yen and a note. The note may name a person (a payee, a vendor's engineer):
    encrypted at rest. The board report sets the total per category beside the estimate."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="spends")
    spent_on = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=40)
    amount = models.PositiveBigIntegerField(_("amount (yen)"))
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("spent_on", "id")
        verbose_name = _("spend")

    def __str__(self) -> str:
        return f"Spend {self.pk} of incident {self.incident_id}"
