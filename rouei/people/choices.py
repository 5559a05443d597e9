"""This app's audit action codes (English keys; Japanese labels in locale/ja)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "people.import": _("Affected people imported into the registry"),
    "people.import_preview.view": _("Import preview of a people list viewed"),
    "people.lookup.view": _("Registry searched"),
    "people.window_lookup.view": _("Caller looked up at the contact window"),
    "people.claims": _("Compensation claims checked"),
    "people.inquiry": _("Call logged at the contact window"),
    "people.print_data": _("Print-vendor data exported"),
    "people.reindex": _("Registry look-up indexes rebuilt"),
    "people.registry.view": _("Registry overview viewed"),
}
