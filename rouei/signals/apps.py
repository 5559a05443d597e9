from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "rouei.signals"
    label = "signals"
    verbose_name = _("Complaints and signals")
