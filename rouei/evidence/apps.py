from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvidenceConfig(AppConfig):
    name = "rouei.evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.evidence import cards
        from rouei.evidence.choices import AUDIT_ACTIONS

        ia.register(ia.IncidentApp(
            label=self.label, slug="evidence", urls="rouei.evidence.urls", namespace="evidence",
            menu=(ia.MenuEntry(_("Evidence"), "evidence:list", here="evidence"),
                  ia.MenuEntry(pgettext_lazy("incident notes", "Notes"), "evidence:notes",
                               here="notes")),
            cards=(ia.Card("evidence/_sections.html", cards.evidence_and_notes, order=10),),
            audit_actions=AUDIT_ACTIONS,
        ))
