from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "rouei.scans"
    default_auto_field = "django.db.models.BigAutoField"
