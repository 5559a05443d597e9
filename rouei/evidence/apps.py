from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "rouei.evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rouei.evidence.choices import AUDIT_ACTIONS
        from rouei.incidents.choices import register_audit_actions

        register_audit_actions(AUDIT_ACTIONS)
