from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstimatesConfig(AppConfig):
    name = "rouei.estimates"
    label = "estimates"
    verbose_name = _("Damage estimate")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.estimates.choices import AUDIT_ACTIONS
        from rouei.incidents.choices import register_audit_actions

        register_audit_actions(AUDIT_ACTIONS)
