"""Adding an authenticator app: the QR code (same-origin SVG), the typed key, the confirming code,
ten recovery codes shown once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rouei.accounts import mfa
from rouei.accounts.views import SETUP_KEY
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from tests.accounts.conftest import VERIFY, app_code, code_for, log_in, typed_key

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:mfa_setup")
QR = reverse("accounts:mfa_qr")
CODES = reverse("accounts:recovery_codes")


def test_enrolment_page_shows_the_qr_code_from_this_site_and_the_key(logged_in_client):
    page = logged_in_client.get(SETUP).content.decode()
    assert f'<img src="{QR}"' in page
    assert "Google Authenticator" in page
    key = typed_key(page)
    assert key == logged_in_client.session[SETUP_KEY]

    qr = logged_in_client.get(QR)
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert "no-store" in qr["Cache-Control"]
    assert qr.content.startswith(b"<svg") and b"<script" not in qr.content
    # The picture is the otpauth URI of the key shown in text, issued by rouei.
    uri = mfa.provisioning_uri(qr.wsgi_request.user, key)
    assert uri.startswith("otpauth://totp/rouei%3Atanaka?") and "issuer=rouei" in uri
    assert qr.content == mfa.qr_svg(uri)


def test_enrolment_reload_keeps_the_same_key(logged_in_client):
    first = typed_key(logged_in_client.get(SETUP).content.decode())
    assert typed_key(logged_in_client.get(SETUP).content.decode()) == first


def test_enrolment_wrong_code_is_refused_and_nothing_is_added(logged_in_client, user):
    key = typed_key(logged_in_client.get(SETUP).content.decode())
    wrong = f"{(int(app_code(key)) + 500_000) % 1_000_000:06d}"
    response = logged_in_client.post(SETUP, {"name": "私物スマホ", "code": wrong})
    assert response.status_code == 200
    assert "コードが一致しません" in response.content.decode()
    assert not mfa.has_authenticator(user)
    assert not AuditEvent.objects.filter(action="auth.mfa_enrolled").exists()


def test_enrolment_right_code_turns_it_on_and_shows_ten_codes_once(logged_in_client, user):
    key = typed_key(logged_in_client.get(SETUP).content.decode())
    response = logged_in_client.post(SETUP, {"name": "会社のスマートフォン",
                                             "code": app_code(key)})
    assert response.status_code == 302 and response.url == CODES
    [device] = mfa.authenticators(user)
    assert device.name == "会社のスマートフォン" and device.key == key
    event = AuditEvent.objects.get(action="auth.mfa_enrolled")
    assert event.actor == user and event.details == {"device": "totp", "recovery_codes": 10,
                                                 "ip": "127.0.0.1"}
    assert verify_chain() is None

    page = logged_in_client.get(CODES)
    assert "no-store" in page["Cache-Control"]
    shown = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", page.content.decode())
    assert len(shown) == 10 and len(set(shown)) == 10
    assert "表示されるのは今回だけ" in page.content.decode()
    again = logged_in_client.get(CODES, follow=True)
    assert again.redirect_chain[-1][0] == reverse("accounts:security")
    assert not any(code in again.content.decode() for code in shown)
    assert "回復コードは一度しか表示されません" in again.content.decode()
    # This session counts as verified by the new app.
    assert again.wsgi_request.user.is_verified()


def test_enrolment_then_sign_in_asks_for_the_code(client, user, enrol):
    device, _codes = enrol(user)
    response = log_in(client, "tanaka")
    assert response.url == VERIFY
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302


def test_enrolment_second_app_keeps_the_recovery_codes(client, user, enrol):
    _device, codes = enrol(user)
    _second, more = enrol(user, name="タブレット")
    assert len(codes) == 10 and more == []
    assert mfa.recovery_codes_left(user) == 10


def test_enrolment_qr_without_a_key_in_progress_is_not_found(logged_in_client):
    assert logged_in_client.get(QR).status_code == 404


def test_enrolment_pages_need_a_signed_in_user(client):
    for url in (SETUP, QR, CODES):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_enrolment_of_an_enrolled_user_in_an_unverified_session_asks_for_the_code(
        client, user, enrol):
    enrol(user)
    client.force_login(user)  # a session from before the app was added
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
