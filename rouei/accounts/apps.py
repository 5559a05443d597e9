from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rouei.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A mistyped ROUEI_TRUSTED_PROXIES stops the start, not every later sign-in.
        from rouei.accounts.client import trusted_proxies

        trusted_proxies()
