from django.apps import AppConfig
from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rouei.core"
    label = "core"
    verbose_name = _("Audit trail")

    def ready(self):
        from rouei.core.converters import IdConverter

        # Before any app's URL patterns are read: they use <id:…>. (ready() runs again when a
        # test changes INSTALLED_APPS; a converter is registered once.)
        if "id" not in get_converters():
            register_converter(IdConverter, "id")
