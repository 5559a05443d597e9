"""ROUEI_REQUIRE_MFA: no page past the sign-in opens without a verified second factor."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from rouei.config import env
from tests.accounts.conftest import LOGIN, VERIFY, app_code, code_for, log_in, typed_key

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:mfa_setup")


def _detail(incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def test_require_mfa_is_on_unless_debug():
    assert env.flag({}, "ROUEI_REQUIRE_MFA", default=True)
    assert django_settings.ROUEI_REQUIRE_MFA is False  # tests turn it on where they need it


def test_require_mfa_user_without_app_is_sent_to_enrolment(mfa_on, client, user, incident):
    response = log_in(client, "tanaka", next=_detail(incident))
    assert response.url == _detail(incident)  # the password was right…
    response = client.get(_detail(incident))  # …but the incident page waits for enrolment
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2Fincidents%2F{incident.pk}%2F"
    page = client.get(response.url).content.decode()
    assert "先に進む前に二要素認証を設定してください" in page


@pytest.mark.parametrize("name", ["incidents:list", "incidents:create", "assessments:assess",
                                  "accounts:security"])
def test_require_mfa_applies_to_every_signed_in_page(mfa_on, logged_in_client, name):
    response = logged_in_client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(SETUP)


def test_require_mfa_post_is_refused_too(mfa_on, logged_in_client, incident):
    response = logged_in_client.post(reverse("incidents:facts", args=[incident.pk]), {})
    assert response.status_code == 302 and response.url == SETUP


def test_require_mfa_enrolment_then_back_to_the_incident(mfa_on, client, user, incident):
    log_in(client, "tanaka")
    target = client.get(_detail(incident)).url
    key = typed_key(client.get(target).content.decode())
    response = client.post(SETUP, {"name": "スマホ", "code": app_code(key),
                                   "next": _detail(incident)}, follow=True)
    assert "表示されるのは今回だけ" in response.content.decode()
    assert f'href="{_detail(incident)}"' in response.content.decode()  # "continue" goes back
    assert client.get(_detail(incident)).status_code == 200


def test_require_mfa_enrolled_user_in_unverified_session_is_asked_for_the_code(
        mfa_on, client, user, incident, enrol):
    device, _codes = enrol(user)
    client.force_login(user)  # signed in, but not with the app (an older session)
    response = client.get(_detail(incident))
    assert response.url == f"{VERIFY}?next=%2Fincidents%2F{incident.pk}%2F"
    response = client.post(response.url, {"code": code_for(device)})
    assert response.url == _detail(incident)
    assert client.get(_detail(incident)).status_code == 200


def test_require_mfa_verified_sign_in_reaches_the_incident(mfa_on, client, user, incident,
                                                           enrol):
    device, _codes = enrol(user)
    log_in(client, "tanaka", next=_detail(incident))
    client.post(VERIFY, {"code": code_for(device)})
    page = client.get(_detail(incident))
    assert page.status_code == 200 and "テスト事案（二要素認証）" in page.content.decode()


def test_require_mfa_off_password_alone_reaches_the_incident(client, user, incident):
    log_in(client, "tanaka")
    assert client.get(_detail(incident)).status_code == 200


def test_require_mfa_leaves_sign_in_language_and_logout_open(mfa_on, logged_in_client):
    assert logged_in_client.get(LOGIN).status_code == 302  # already signed in: goes on
    response = logged_in_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert logged_in_client.cookies["django_language"].value == "en"
    del logged_in_client.cookies["django_language"]  # later tests in this thread stay Japanese
    assert logged_in_client.post(reverse("logout")).url == LOGIN
    assert logged_in_client.get(reverse("incidents:list")).url.startswith(LOGIN)


def test_require_mfa_non_member_still_gets_404_after_verification(mfa_on, client, incident,
                                                                  django_user_model, enrol):
    from tests.conftest import PASSWORD

    outsider = django_user_model.objects.create_user(username="outsider", password=PASSWORD)
    device, _codes = enrol(outsider)
    log_in(client, "outsider")
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(_detail(incident)).status_code == 404


def test_require_mfa_does_not_redirect_token_api_calls_from_an_unverified_session(
        mfa_on, logged_in_client, user, incident):
    from rouei.api.actions import do_create_api_token

    token = do_create_api_token(user, name="SIEM", actor=user).secret
    response = logged_in_client.get(f"/api/v1/incidents/{incident.pk}",
                                    HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200  # the token decides, not the session's second factor
    assert logged_in_client.get("/api/tokens/").status_code == 302  # the token page still asks
