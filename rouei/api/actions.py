"""Creating and revoking API tokens: ``do_<verb>_<noun>(…, *, actor)``, each atomic and audited.

``authenticate`` is the read side: a presented token to its ``ApiToken`` (or ``None``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rouei.api.models import ApiToken
from rouei.core.audit import record_event, state
from rouei.core.rows import first_joined, select

TOKEN_PREFIX = "rouei_"  # noqa: S105 — the visible start of every token, not a secret
TOKEN_FIELDS = ("user", "prefix", "expires_at", "revoked_at")
PREFIX_CHARS = 8  # shown after TOKEN_PREFIX in lists
MAX_TOKEN_LENGTH = 200  # a longer Authorization header is not one of ours
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)  # at most one write per token per minute


@lru_cache(maxsize=1)
def _token_sql() -> str:
    user = get_user_model()
    user_id = ApiToken._meta.get_field("user").column
    return (f'{select((ApiToken, "t"), (user, "u"))} FROM "{ApiToken._meta.db_table}" t '
            f'JOIN "{user._meta.db_table}" u ON u."{user._meta.pk.column}" = t."{user_id}" '
            'WHERE t."token_hash" = %s')


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the full bearer token: shown once, never stored


def do_create_api_token(user, *, name: str, expires_at: dt.datetime | None = None,
                        actor) -> NewToken:
    """A new token for ``user``; ``actor`` is who asked (the user on the page, ``None`` for the
    command line run by an administrator on the server)."""
    if expires_at is not None and timezone.is_naive(expires_at):
        raise ValueError("expires_at must be timezone-aware")
    body = secrets.token_urlsafe(32)  # 256 bits
    secret = f"{TOKEN_PREFIX}{body}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip(), prefix=secret[:len(TOKEN_PREFIX) + PREFIX_CHARS],
            token_hash=hash_token(secret), expires_at=expires_at)
        record_event(actor=actor, action="api_token.create", obj=token,
                     after=state(token, TOKEN_FIELDS),
                     details={"token_id": token.pk, "user_id": user.pk,
                              "expires": expires_at is not None})
    return NewToken(token, secret)


def do_revoke_api_token(token: ApiToken, *, actor) -> ApiToken:
    """Revoke for good (a revoked token cannot be restored; create a new one). Revoking a revoked
    token changes nothing and records nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked:
            return token
        before = state(token, TOKEN_FIELDS)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, action="api_token.revoke", obj=token, before=before,
                     after=state(token, TOKEN_FIELDS),
                     details={"token_id": token.pk, "user_id": token.user_id})
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The usable token ``raw`` names, with its active user; ``None`` for anything else
    (unknown, revoked, expired, or a disabled user): the caller answers all of them alike."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(TOKEN_PREFIX):
        return None
    # Looked up by its hash: the database never compares the secret itself. With its user in
    # one read, in SQL written once (``rouei.core.rows``): every API request makes it.
    found = first_joined(_token_sql(), [hash_token(raw)], ApiToken, get_user_model())
    token = None
    if found is not None:
        token, user = found
        token.user = user
    now = timezone.now()
    if token is None or not token.usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
