"""/accounts/security/: the apps, the recovery codes, the password."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rouei.accounts import mfa
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from tests.accounts.conftest import VERIFY, code_for, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SECURITY = reverse("accounts:security")
NEW_PASSWORD = "another-long-passphrase-42"


@pytest.fixture
def signed_in(client, user, enrol):
    """tanaka, signed in with password and app; returns (client, device, recovery codes)."""
    device, codes = enrol(user)
    log_in(client, "tanaka")
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    return client, device, codes


def test_security_page_lists_the_apps_and_codes_left(signed_in):
    client, _device, _codes = signed_in
    page = client.get(SECURITY).content.decode()
    assert "仕事用スマートフォン" in page
    assert "回復コードの残りは10個です" in page
    assert "別の認証アプリを追加する" in page


def test_security_page_without_app_offers_to_set_it_up(logged_in_client):
    page = logged_in_client.get(SECURITY).content.decode()
    assert "まだ設定されていません" in page and "二要素認証を設定する" in page


def test_security_page_in_unverified_session_asks_for_the_code(client, user, enrol):
    enrol(user)
    client.force_login(user)
    response = client.get(SECURITY)
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_remove_app_needs_the_password(signed_in, user):
    client, device, _codes = signed_in
    url = reverse("accounts:device_remove", args=[device.pk])
    response = client.post(url, {"password": "wrong"})
    assert response.status_code == 400 and "パスワードが正しくありません" in response.content.decode()
    assert mfa.has_authenticator(user)


def test_remove_last_app_removes_the_codes_and_sign_in_needs_only_the_password(signed_in, user):
    client, device, _codes = signed_in
    response = client.post(reverse("accounts:device_remove", args=[device.pk]),
                           {"password": PASSWORD}, follow=True)
    assert "認証アプリと回復コードを削除しました" in response.content.decode()
    assert not mfa.has_authenticator(user) and mfa.recovery_codes_left(user) == 0
    event = AuditEvent.objects.get(action="auth.mfa_removed")
    assert event.actor == user and event.object_id == str(device.pk)
    assert event.details == {"device": "totp", "recovery_codes_removed": True,
                             "ip": "127.0.0.1"}
    assert verify_chain() is None
    client.post(reverse("logout"))
    assert log_in(client, "tanaka").url == reverse("assessments:assess")


def test_remove_someone_elses_app_is_not_found(signed_in, django_user_model, enrol):
    client, _device, _codes = signed_in
    other = django_user_model.objects.create_user(username="sato", password=PASSWORD)
    their_device, _ = enrol(other)
    response = client.post(reverse("accounts:device_remove", args=[their_device.pk]),
                           {"password": PASSWORD})
    assert response.status_code == 404 and mfa.has_authenticator(other)


def test_regenerate_codes_shows_new_ones_once_and_old_ones_stop_working(signed_in, user):
    client, _device, old = signed_in
    response = client.post(reverse("accounts:recovery_regenerate"), {"password": PASSWORD},
                           follow=True)
    new = [c.replace("-", "") for c in
           re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>",
                      response.content.decode())]
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.objects.get(action="auth.recovery_codes_regenerated").details == {
        "count": 10, "ip": "127.0.0.1"}
    client.post(reverse("logout"))
    log_in(client, "tanaka")
    assert client.post(VERIFY, {"code": old[0]}).status_code == 200  # refused
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_change_password_checks_the_old_one(signed_in):
    client, _device, _codes = signed_in
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="auth.password_changed").exists()


def test_change_password_keeps_this_session_and_the_new_one_signs_in(signed_in, user):
    client, _device, _codes = signed_in
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD}, follow=True)
    assert "パスワードを変更しました" in response.content.decode()
    assert response.wsgi_request.user.is_verified()  # still signed in, still verified
    user.refresh_from_db()
    assert user.password.startswith("argon2") and user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.get(action="auth.password_changed").actor == user


def test_change_password_too_short_is_refused_with_the_rule(signed_in):
    client, _device, _codes = signed_in
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert response.status_code == 400 and "短すぎます" in response.content.decode()
