"""API tokens (APIトークン): a bearer secret that lets a program act as one user.

Only the SHA-256 of a token is stored; the token itself is shown once, when it is created. A
request with a token acts as its user with exactly that user's memberships, so a token never
reaches a case its user cannot. Written only through ``rouei.api.actions`` (audited), except
``last_used_at``, which authentication touches (bookkeeping, not a change by a person).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters (``rouei_AbCd1234``): enough to recognise it in a list.
    prefix = models.CharField(_("prefix"), max_length=16)
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def usable(self, now=None) -> bool:
        return not self.revoked and not self.expired(now)
