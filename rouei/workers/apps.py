from django.apps import AppConfig


class WorkersConfig(AppConfig):
    """The background worker (`rouei worker`): retries, heartbeats, lost jobs, supervision."""

    name = "rouei.workers"
    label = "workers"
    default_auto_field = "django.db.models.BigAutoField"
