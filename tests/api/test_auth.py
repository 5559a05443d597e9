"""Bearer tokens: stored as hashes, refused alike when missing, wrong, revoked or expired, and
created or revoked on the tokens page and with `rouei token`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from rouei.api import actions
from rouei.api.models import ApiToken
from rouei.cli.main import app
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKENS_URL = "/api/tokens/"
SECRET = re.compile(r"rouei_[A-Za-z0-9_-]{40,}")


def _unauthorized(response) -> bool:
    return (response.status_code == 401 and response.json()["code"] == "unauthorized"
            and response["WWW-Authenticate"].startswith("Bearer"))


# --- the API: who gets in ---------------------------------------------------------------------

def test_api_valid_token_acts_as_its_user(api, incident):
    response = api.get("/incidents")
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["items"]] == [incident.pk]


@pytest.mark.parametrize("header", [
    None,
    "Bearer",
    "Bearer ",
    "Bearer rouei_not-a-real-token-at-all-not-a-real-token-xx",
    "Bearer not-even-our-format",
    "Token rouei_x",
    "Basic dGFuYWthOnBhc3N3b3Jk",
])
def test_api_missing_or_wrong_token_is_401(client, incident, header):
    headers = {"Authorization": header} if header is not None else {}
    assert _unauthorized(client.get("/api/v1/incidents", headers=headers))
    assert _unauthorized(client.get(f"/api/v1/incidents/{incident.pk}", headers=headers))


def test_api_revoked_token_is_401(api, user):
    assert api.get("/incidents").status_code == 200
    token = ApiToken.objects.get(user=user)
    actions.do_revoke_api_token(token, actor=user)
    assert _unauthorized(api.get("/incidents"))


def test_api_expired_token_is_401(client, user, token_for):
    from tests.api.conftest import ApiClient

    past = ApiClient(client, token_for(user, expires_at=timezone.now() - dt.timedelta(seconds=1)))
    future = ApiClient(client, token_for(user, expires_at=timezone.now() + dt.timedelta(days=1)))
    assert _unauthorized(past.get("/incidents"))
    assert future.get("/incidents").status_code == 200


def test_api_token_of_disabled_user_is_401(api, user):
    user.is_active = False
    user.save()
    assert _unauthorized(api.get("/incidents"))


def test_api_session_login_alone_is_not_enough(client, user):
    client.force_login(user)
    assert _unauthorized(client.get("/api/v1/incidents"))


def test_api_write_without_token_changes_nothing(client, incident):
    response = client.put(f"/api/v1/incidents/{incident.pk}/facts",
                          data={"expected_version": 1, "facts": {}},
                          content_type="application/json")
    assert _unauthorized(response)
    incident.refresh_from_db()
    assert incident.version == 1


def test_api_token_use_is_recorded_as_last_used(api, user):
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is None
    api.get("/incidents")
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- tokens as stored -------------------------------------------------------------------------

def test_token_is_stored_as_its_sha256_only(user):
    new = actions.do_create_api_token(user, name="SIEM", actor=user)
    row = ApiToken.objects.filter(pk=new.token.pk).values().get()
    assert new.secret not in [str(v) for v in row.values()]
    assert row["token_hash"] == actions.hash_token(new.secret)
    assert new.secret.startswith(row["prefix"]) and len(row["prefix"]) < 20


def test_token_create_and_revoke_are_audited_with_the_actor(user):
    new = actions.do_create_api_token(user, name="SIEM", actor=user)
    actions.do_revoke_api_token(new.token, actor=user)
    actions.do_revoke_api_token(new.token, actor=user)  # already revoked: nothing recorded
    events = list(AuditEvent.objects.filter(object_type="api.apitoken").order_by("sequence"))
    assert [(e.action, e.actor_id) for e in events] == [
        ("api_token.create", user.pk), ("api_token.revoke", user.pk)]
    assert "SIEM" not in str(events[0].details)  # ids and codes only, no free text
    assert verify_chain() is None


# --- the tokens page --------------------------------------------------------------------------

def test_tokens_page_anonymous_is_sent_to_log_in(client):
    response = client.get(TOKENS_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_tokens_page_create_shows_the_token_once(logged_in_client, user):
    response = logged_in_client.post(TOKENS_URL, {"name": "SIEM alerts", "expires_in": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = SECRET.search(response.content.decode()).group()
    token = ApiToken.objects.get(user=user)
    assert token.name == "SIEM alerts" and token.token_hash == actions.hash_token(secret)
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    again = logged_in_client.get(TOKENS_URL).content.decode()
    assert secret not in again and token.prefix in again and "SIEM alerts" in again
    # and it works
    assert logged_in_client.get("/api/v1/incidents",
                                headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_tokens_page_never_expiring_token(logged_in_client, user):
    logged_in_client.post(TOKENS_URL, {"name": "CI", "expires_in": ""})
    assert ApiToken.objects.get(user=user).expires_at is None


def test_tokens_page_name_is_required(logged_in_client, user):
    response = logged_in_client.post(TOKENS_URL, {"name": "  ", "expires_in": "30"})
    assert response.status_code == 200 and not SECRET.search(response.content.decode())
    assert not ApiToken.objects.exists()


def test_tokens_page_lists_only_my_tokens(logged_in_client, user, make_user):
    other = make_user("sato")
    actions.do_create_api_token(other, name="sato's token", actor=other)
    actions.do_create_api_token(user, name="my token", actor=user)
    page = logged_in_client.get(TOKENS_URL).content.decode()
    assert "my token" in page and "sato" not in page


def test_tokens_page_revoke(logged_in_client, user, token_for):
    secret = token_for(user)
    token = ApiToken.objects.get(user=user)
    response = logged_in_client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert _unauthorized(logged_in_client.get("/api/v1/incidents",
                                              headers={"Authorization": f"Bearer {secret}"}))


def test_tokens_page_cannot_revoke_another_users_token(logged_in_client, make_user):
    other = make_user("sato")
    token = actions.do_create_api_token(other, name="x", actor=other).token
    response = logged_in_client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_tokens_page_post_without_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(TOKENS_URL, {"name": "x", "expires_in": "30"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_tokens_page_is_japanese_by_default(logged_in_client):
    assert "APIトークン" in logged_in_client.get(TOKENS_URL).content.decode()


# --- the command line -------------------------------------------------------------------------

def test_cli_token_create_prints_a_working_token(client, user, incident):
    result = CliRunner().invoke(app, ["token", "create", user.username, "--name", "SIEM",
                                      "--expires-days", "90"])
    assert result.exit_code == 0, result.output
    secret = SECRET.search(result.stdout).group()
    token = ApiToken.objects.get(user=user)
    assert token.name == "SIEM" and token.expires_at is not None
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor_id is None and event.details["user_id"] == user.pk
    response = client.get("/api/v1/incidents", headers={"Authorization": f"Bearer {secret}"})
    assert response.json()["count"] == 1


def test_cli_token_create_unknown_user_fails(db):
    result = CliRunner().invoke(app, ["token", "create", "nobody", "--name", "x"])
    assert result.exit_code == 1
    assert not ApiToken.objects.exists()


def test_cli_token_list_and_revoke(user):
    new = actions.do_create_api_token(user, name="SIEM", actor=user)
    listed = CliRunner().invoke(app, ["token", "list", user.username])
    assert listed.exit_code == 0 and new.token.prefix in listed.stdout
    assert new.secret not in listed.stdout
    revoked = CliRunner().invoke(app, ["token", "revoke", str(new.token.pk)])
    assert revoked.exit_code == 0
    new.token.refresh_from_db()
    assert new.token.revoked
