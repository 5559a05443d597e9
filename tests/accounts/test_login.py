"""Signing in: the password, then the code from the authenticator app (or a recovery code)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.accounts.views import PENDING
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from tests.accounts.conftest import LOGIN, VERIFY, code_for, log_in, wrong_code

pytestmark = pytest.mark.django_db


def _detail(incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def test_login_without_authenticator_signs_in_with_the_password_alone(client, user, incident):
    response = log_in(client, "tanaka", next=_detail(incident))
    assert response.status_code == 302 and response.url == _detail(incident)
    assert client.get(_detail(incident)).status_code == 200


def test_login_with_authenticator_asks_for_the_code_before_signing_in(client, user, incident,
                                                                     enrol):
    device, _codes = enrol(user)
    response = log_in(client, "tanaka", next=_detail(incident))
    assert response.status_code == 302 and response.url == VERIFY
    # The password alone opens nothing.
    assert client.get(_detail(incident)).url.startswith(LOGIN)
    page = client.get(VERIFY)
    assert "認証アプリ" in page.content.decode()

    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == _detail(incident)
    page = client.get(_detail(incident))
    assert page.status_code == 200 and "テスト事案（二要素認証）" in page.content.decode()
    assert page.wsgi_request.user.is_verified()


def test_login_wrong_code_is_refused_and_nothing_opens(client, user, incident, enrol):
    device, _codes = enrol(user)
    log_in(client, "tanaka")
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "コードが正しくありません" in response.content.decode()
    assert client.get(_detail(incident)).url.startswith(LOGIN)


def test_login_same_code_twice_is_refused(client, user, enrol):
    device, _codes = enrol(user)
    code = code_for(device)
    log_in(client, "tanaka")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("logout"))
    log_in(client, "tanaka")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200 and "コードが正しくありません" in response.content.decode()


def test_login_code_typed_in_full_width_digits_is_accepted(client, user, enrol):
    device, _codes = enrol(user)
    log_in(client, "tanaka")
    full_width = code_for(device).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert client.post(VERIFY, {"code": full_width}).status_code == 302


def test_login_recovery_code_works_once(client, user, incident, enrol):
    _device, codes = enrol(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    shown = f"{codes[0][:4]}-{codes[0][4:]}".upper()  # as printed, typed in capitals

    log_in(client, "tanaka", next=_detail(incident))
    response = client.post(VERIFY, {"code": shown}, follow=True)
    assert response.redirect_chain[-1][0] == _detail(incident)
    assert "回復コードでログインしました。残りは9個です" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.recovery_code_used")
    assert event.actor == user and event.details == {"left": 9, "ip": "127.0.0.1"}
    assert verify_chain() is None

    client.post(reverse("logout"))
    log_in(client, "tanaka")
    response = client.post(VERIFY, {"code": shown})
    assert response.status_code == 200 and "コードが正しくありません" in response.content.decode()
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_login_code_step_expires_after_five_minutes(client, user, enrol):
    device, _codes = enrol(user)
    log_in(client, "tanaka")
    session = client.session
    session[PENDING] = {**session[PENDING], "at": session[PENDING]["at"] - 301}
    session.save()
    response = client.post(VERIFY, {"code": code_for(device)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "もう一度パスワードを入力してください" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_login_code_page_without_the_password_step_goes_to_login(client, user, enrol):
    enrol(user)
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.url == LOGIN


def test_login_next_pointing_elsewhere_is_ignored(client, user, enrol):
    device, _codes = enrol(user)
    log_in(client, "tanaka", next="https://evil.example/")
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.url == reverse("assessments:assess")


def test_login_wrong_password_shows_the_plain_message(client, user):
    response = log_in(client, "tanaka", password="wrong-password-123")
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが正しくありません" in response.content.decode()
