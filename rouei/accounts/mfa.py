"""Two-factor sign-in (二要素認証): TOTP authenticator apps with single-use recovery codes.

Built on django-otp: a ``TOTPDevice`` per authenticator app, one ``StaticDevice`` holding the
user's recovery codes. This module reads and computes; the writes are in ``actions.py``.

``settings.ROUEI_REQUIRE_MFA`` (environment ``ROUEI_REQUIRE_MFA``; on unless ``ROUEI_DEBUG``)
makes every signed-in page demand a verified second factor (``RequireMFAMiddleware``). Whether
or not it is required, a user who has an authenticator is always asked for a code at sign-in.
"""

from __future__ import annotations

import io
import time
import unicodedata
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

TOTP_DIGITS = 6
TOTP_TOLERANCE = 1  # one 30-second step either side: phones whose clocks drift a little


def mfa_required() -> bool:
    return bool(getattr(settings, "ROUEI_REQUIRE_MFA", False))


def authenticators(user):
    """The user's confirmed authenticator apps (TOTP devices), oldest first."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id")


def has_authenticator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and authenticators(user).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_secret() -> str:
    """A fresh TOTP key: 20 random bytes, hex-encoded as django-otp stores it."""
    return random_hex(20)


def provisioning_uri(user, key: str) -> str:
    """The otpauth:// URI the authenticator app reads from the QR code (issuer from
    ``OTP_TOTP_ISSUER``)."""
    return TOTPDevice(user=user, key=key, digits=TOTP_DIGITS).config_url


def secret_for_typing(key: str) -> str:
    """The key in base32 as apps ask for it when typed by hand, in groups of four."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(uri: str) -> bytes:
    """The URI as a QR code in SVG, drawn here (no external service, nothing inline)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m", micro=False).save(
        buffer, kind="svg", scale=5, border=2, dark="#1f2933", light="#ffffff",
        xmldecl=False, title="QR code")
    return buffer.getvalue()


def normalise_code(raw: str) -> str:
    """What the person typed, as compared: full-width digits (IME) to ASCII, no spaces or
    hyphens, lower case (recovery codes are shown as ``abcd-efgh``)."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if ch not in " -\u3000\t").lower()


def is_totp_code(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()


def check_new_code(key: str, code: str, now: float | None = None) -> int | None:
    """For enrolment: the time step ``code`` matches for ``key`` (so the same code cannot be
    used again to sign in), or ``None``."""
    code = normalise_code(code)
    if not is_totp_code(code):
        return None
    totp = TOTP(unhexlify(key), digits=TOTP_DIGITS)
    totp.time = time.time() if now is None else now
    if totp.verify(int(code), tolerance=TOTP_TOLERANCE):
        return totp.t()
    return None


def show_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}" if len(token) == 8 else token


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()
