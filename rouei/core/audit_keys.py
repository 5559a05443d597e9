"""The keys that sign the audit trail (監査ログの署名鍵): ``settings.ROUEI_AUDIT_KEYS``.

Each audit row and each checkpoint is signed with HMAC-SHA256 under the first key; every key
configured verifies. A key is known by its key id, a short fingerprint (the first 16 hex digits
of SHA-256 over a fixed label and the key), which each row and checkpoint records, so that after
a rotation the rows signed by an older key still verify as long as that key stays configured.
The keys are never stored in the database: whoever can write to the database cannot sign a row.
Unlike the data keys (``rouei.core.crypto``), an audit key is not "rotated out" by re-signing:
re-signing would be rewriting the trail. Keep every key that signed rows still kept.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

MIN_KEY_LENGTH = 32
_ID_LABEL = b"rouei audit key id\x00"


class UnknownAuditKey(Exception):
    """A row or checkpoint names a key id that ``ROUEI_AUDIT_KEYS`` does not hold."""

    def __init__(self, key_id: str):
        super().__init__(f"no key in ROUEI_AUDIT_KEYS has the key id {key_id or '(none)'}")
        self.key_id = key_id


def key_id(key: bytes) -> str:
    return hashlib.sha256(_ID_LABEL + key).hexdigest()[:16]


@lru_cache(maxsize=4)
def _keys(raw: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    if not raw:
        raise ImproperlyConfigured("ROUEI_AUDIT_KEYS is empty: no key to sign the audit trail")
    out = []
    for text in raw:
        if len(text) < MIN_KEY_LENGTH:
            # The key itself is never put in the message.
            raise ImproperlyConfigured(f"ROUEI_AUDIT_KEYS holds a key shorter than "
                                       f"{MIN_KEY_LENGTH} characters")
        key = text.encode("utf-8")
        out.append((key_id(key), key))
    return tuple(out)


def keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key) for every configured key, the signing key first."""
    raw = settings.ROUEI_AUDIT_KEYS
    if isinstance(raw, str):
        raw = raw.split(",")
    return _keys(tuple(k.strip() for k in raw if k.strip()))


def signing_key() -> tuple[str, bytes]:
    return keys()[0]


def key_for(kid: str) -> bytes:
    for candidate, key in keys():
        if candidate == kid:
            return key
    raise UnknownAuditKey(kid)


def sign(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def _clear_cache(*, setting, **kwargs):
    if setting == "ROUEI_AUDIT_KEYS":
        _keys.cache_clear()


setting_changed.connect(_clear_cache)


def use(new_keys: list[str]) -> None:
    """Switch this process to ``new_keys`` (after ``rotate_audit_key`` changed the key file)."""
    settings.ROUEI_AUDIT_KEYS = list(new_keys)
    _keys.cache_clear()
