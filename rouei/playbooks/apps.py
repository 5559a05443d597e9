from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "rouei.playbooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The incident audit page names actions from one table; add this app's codes to it.
        from rouei.incidents.choices import AUDIT_ACTIONS
        from rouei.playbooks.choices import AUDIT_ACTIONS as OURS

        for code, label in OURS.items():
            AUDIT_ACTIONS.setdefault(code, label)
