"""Audit labels and the words of stages and formats (English keys, Japanese in locale/ja)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

AUDIT_ACTIONS = {
    "document.render": _("Document downloaded or rendered"),
    "document.check_reason": _("Reason recorded for a check warning"),
    "notice.draft_save": _("Public notice draft saved"),
    "notice.publish": _("Public notice version published"),
}

STAGE_LABELS = {
    "preliminary": pgettext_lazy("report kind", "Preliminary report (速報)"),
    "final": pgettext_lazy("report kind", "Final report (確報)"),
    "supplement": _("Supplement (追完)"),
}

SEVERITY_LABELS = {
    "high": _("Act now"),
    "medium": _("Act soon"),
    "low": _("Look at it"),
}
