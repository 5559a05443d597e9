from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "rouei.ui"
    label = "ui"
