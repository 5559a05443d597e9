from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "rouei.evidence"
    default_auto_field = "django.db.models.BigAutoField"
