from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstimatesConfig(AppConfig):
    name = "rouei.estimates"
    label = "estimates"
    verbose_name = _("Damage estimate")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.estimates import cards
        from rouei.estimates.choices import AUDIT_ACTIONS

        ia.register(ia.IncidentApp(
            label=self.label, slug="estimate", urls="rouei.estimates.urls",
            namespace="estimates",
            cards=(ia.Card("estimates/_incident_estimate.html", cards.estimate, slot="assessment",
                           key=cards.estimate_key, reads=cards.READS),),
            audit_actions=AUDIT_ACTIONS,
        ))
