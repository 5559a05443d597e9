"""Names for the scans app's codes."""

from django.utils.translation import gettext_lazy as _

# The incident audit page's names for this app's action codes (registered in apps.py).
AUDIT_ACTIONS = {
    "scan.start": _("Evidence scan started"),
    "scan.cancel": _("Evidence scan cancelled"),
    "scan.accept": _("Scan result accepted into the facts"),
    "scan.view": _("Scan result viewed"),
    "scan.download": _("Scan result downloaded"),
}
