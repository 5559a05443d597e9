from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "rouei.signals"
    label = "signals"
    verbose_name = _("Complaints and signals")

    def ready(self):
        from rouei.incidents.choices import register_audit_actions
        from rouei.signals.choices import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)
