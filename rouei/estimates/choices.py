"""This app's audit action codes (English keys; Japanese labels in locale/ja)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The incident audit page's names for this app's action codes (registered in apps.py).
AUDIT_ACTIONS = {
    "unit_prices.update": _("Unit prices of the response costs changed"),
}
