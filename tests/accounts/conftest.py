"""Users with an authenticator app, codes computed as the app would, and moving the clock."""

from __future__ import annotations

import datetime as dt
import re
import time
from base64 import b32decode
from binascii import hexlify, unhexlify

import pytest
from django.utils import timezone
from django_otp.oath import TOTP, totp

from rouei.accounts import actions, mfa
from rouei.incidents import actions as incident_actions

# Reused from the browser tests: headless Chromium and a fresh page per test.
from tests.browser.conftest import browser_locale, chromium, page  # noqa: F401
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"


def code_for(device) -> str:
    """The six digits the phone shows now for ``device``."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def wrong_code(device) -> str:
    """Six digits the phone does not show now."""
    return f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"


def typed_key(html: str) -> str:
    """The key as the page shows it for typing into the app, back to django-otp's hex."""
    shown = re.search(r'<code class="secret" id="mfa-secret">([A-Z2-7 ]+)</code>', html)[1]
    text = shown.replace(" ", "")
    return hexlify(b32decode(text + "=" * (-len(text) % 8))).decode()


def app_code(key_hex: str, at: float | None = None) -> str:
    """What the app shows now (or at ``at``) for a key being enrolled."""
    generator = TOTP(unhexlify(key_hex), digits=6)
    generator.time = time.time() if at is None else at
    return f"{generator.token():06d}"


@pytest.fixture
def mfa_on(settings):
    settings.ROUEI_REQUIRE_MFA = True


@pytest.fixture
def enrol():
    """``enrol(user)``: the user added an authenticator app a minute ago (so the code shown
    now has not been used yet); returns (device, recovery codes)."""
    def make(user, name="仕事用スマートフォン"):
        key = mfa.new_secret()
        a_minute_ago = time.time() - 60
        step = mfa.check_new_code(key, app_code(key, a_minute_ago), now=a_minute_ago)
        enrolment = actions.do_enrol_totp(user, key=key, name=name, last_t=step, actor=user)
        return enrolment.device, enrolment.recovery_codes
    return make


@pytest.fixture
def incident(user):
    """An incident ``user`` (tanaka) leads."""
    return incident_actions.do_create_incident(title="テスト事案（二要素認証）", actor=user)


@pytest.fixture
def clock(monkeypatch):
    """``clock.move(minutes=16)``: Django's clock (timezone.now) stands still (so that a
    one-second sign-in delay does not run out while a slow machine hashes a password) and
    moves only when told."""
    class Clock:
        now = timezone.now()

        def move(self, **delta):
            self.now += dt.timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})
