"""This app's audit action codes (English keys; Japanese labels in locale/ja) and the
categories of actual spend."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rouei.domain.damage import ResponsePrices, response_costs
from rouei.domain.text import Text

# The incident audit page's names for this app's action codes (registered in apps.py).
AUDIT_ACTIONS = {
    "unit_prices.update": _("Unit prices of the response costs changed"),
    "spend.add": _("Spend recorded"),
    "spend.update": _("Spend record changed"),
}


def _spend_categories() -> dict[str, Text]:
    """The categories of actual spend: the lines of the response-cost estimate (so that each
    can be set beside its estimate), then goodwill payments and anything else."""
    lines = response_costs(None, ResponsePrices()).lines
    return ({line.key: line.label for line in lines}
            | {"goodwill": Text("見舞金・お詫びの品", "Goodwill payments and vouchers"),
               "other": Text("その他", "Other")})


SPEND_CATEGORIES: dict[str, Text] = _spend_categories()
