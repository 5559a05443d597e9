from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "rouei.scans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.incidents.choices import register_audit_actions
        from rouei.scans.choices import AUDIT_ACTIONS

        register_audit_actions(AUDIT_ACTIONS)
