from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rouei.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A mistyped ROUEI_TRUSTED_PROXIES stops the start, not every later sign-in.
        from rouei.accounts.client import trusted_proxies

        trusted_proxies()

        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_record_sign_out, dispatch_uid="rouei.accounts.sign_out")


def _record_sign_out(sender, request, user, **kwargs):
    from rouei.accounts.actions import do_record_sign_out
    from rouei.accounts.client import client_address

    if user is not None and getattr(user, "pk", None) is not None:
        do_record_sign_out(user, address=client_address(request) if request else "")
