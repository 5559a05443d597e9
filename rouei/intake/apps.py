from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Complaints and alerts before an incident (苦情・シグナル). The package is ``intake`` (not
    to be confused with Django's signals); the app label stays ``signals``, the name its tables
    and permissions (``signals.view_signal``) were created under."""

    name = "rouei.intake"
    label = "signals"
    verbose_name = _("Complaints and signals")

    def ready(self):
        from rouei.core import incident_apps as ia
        from rouei.intake.choices import AUDIT_ACTIONS

        # Not scoped to one incident (a complaint comes before any case): a top-bar entry for
        # the intake group, and the names of its codes on the incident audit page.
        ia.register(ia.IncidentApp(
            label=self.label, slug="signals", urls="rouei.intake.urls", namespace="signals",
            nav=(ia.NavEntry(_("Complaints and signals"), "signals:list",
                             permission="signals.view_signal", order=30),),
            audit_actions=AUDIT_ACTIONS,
        ))
