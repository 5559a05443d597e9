from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "rouei.documents"
    label = "documents"
    verbose_name = _("Documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.documents import cards
        from rouei.documents.choices import AUDIT_ACTIONS

        ia.register(ia.IncidentApp(
            # prefix: the public notice pages at /notices/<token>/ (rouei.documents.urls)
            label=self.label, slug="documents", prefix="notices", urls="rouei.documents.urls",
            namespace="documents",
            cards=(ia.Card("documents/_checks.html", cards.checks, slot="top", order=5,
                           reads=cards.READS),
                   ia.Card("documents/_card.html", cards.documents, slot="body", order=40,
                           reads=cards.READS)),
            menu=(ia.MenuEntry(_("Documents"), "documents:index", "view", here="documents"),),
            audit_actions=AUDIT_ACTIONS,
        ))
