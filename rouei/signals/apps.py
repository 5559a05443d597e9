from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "rouei.signals"
    label = "signals"
    verbose_name = _("Complaints and signals")

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.signals.choices import AUDIT_ACTIONS

        # Not scoped to one incident (a complaint comes before any case): a top-bar entry for
        # the intake group, and the names of its codes on the incident audit page.
        ia.register(ia.IncidentApp(
            label=self.label, slug="signals", urls="rouei.signals.urls", namespace="signals",
            nav=(ia.NavEntry(_("Complaints and signals"), "signals:list",
                             permission="signals.view_signal", order=30),),
            audit_actions=AUDIT_ACTIONS,
        ))
