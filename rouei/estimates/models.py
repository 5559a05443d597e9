"""An incident's own unit prices for the response-cost model (rouei.domain.damage)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
