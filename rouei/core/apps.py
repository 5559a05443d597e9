from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rouei.core"
    label = "core"
    verbose_name = _("Audit trail")

    def ready(self):
        from rouei.core.converters import IdConverter

        # Before any app's URL patterns are read: they use <id:…>.
        register_converter(IdConverter, "id")
