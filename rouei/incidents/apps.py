from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "rouei.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.incidents.choices import AUDIT_ACTIONS

        ia.register(ia.IncidentApp(
            label=self.label, slug="", prefix="incidents", urls="rouei.incidents.urls",
            namespace="incidents",
            nav=(ia.NavEntry(_("Incidents"), "incidents:list", order=10),),
            audit_actions=AUDIT_ACTIONS,
        ))
