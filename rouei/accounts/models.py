"""Failed sign-ins and the locks they lead to (ログイン試行の制限).

Counted in the database rather than a cache so that every web worker and process sees the same
count. Neither table holds a user name or an address in the clear: ``key`` is an HMAC
(SHA-256, keyed with the deployment's secret key) of the normalised user name or of the client
IP, enough to count and compare, useless to anyone reading the table. The TOTP devices and
recovery codes themselves are django-otp's models (``otp_totp``, ``otp_static``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    USERNAME = "username", _("user name")
    IP = "ip", _("client address")


class LoginFailure(models.Model):
    """One failed password or code for a user name, and one for the address it came from."""

    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    key = models.CharField(_("key (HMAC)"), max_length=64)
    at = models.DateTimeField(_("time"))

    class Meta:
        indexes = (models.Index(fields=["scope", "key", "at"]),)
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}… {self.at:%Y-%m-%d %H:%M}"


class LoginLock(models.Model):
    """Sign-in refused for a user name (or an address) until ``until``."""

    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    key = models.CharField(_("key (HMAC)"), max_length=64)
    until = models.DateTimeField(_("locked until"))

    class Meta:
        constraints = (models.UniqueConstraint(fields=["scope", "key"],
                                               name="accounts_loginlock_scope_key"),)
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}… until {self.until:%Y-%m-%d %H:%M}"
