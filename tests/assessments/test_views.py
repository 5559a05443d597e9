"""The /assess/ page: login, the form, the result on the same page, no tracebacks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from rouei.domain.facts import JST

pytestmark = pytest.mark.django_db

URL = "/assess/"
HEALTH_CASE = {"items": ["person_name", "health"], "people_confirmed": "5",
               "knew_at": "2026-11-24", "cause": "misdelivery"}


def test_assess_page_anonymous_redirects_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_root_redirects_to_assess(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == URL


def test_login_then_assess_page_shows_the_form(client, user):
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": "tanaka", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "漏えい等の判定" in page
    assert 'name="knew_at"' in page


def test_assess_get_is_japanese_whatever_the_browser_prefers(logged_in_client):
    page = logged_in_client.get(URL, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "漏えい等の判定" in page
    assert '<html lang="ja">' in page


def test_assess_post_shows_duties_triggers_and_deadlines(logged_in_client):
    response = logged_in_client.post(URL, HEALTH_CASE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="result"' in page
    assert "個人情報保護委員会への報告" in page
    assert "duty-yes" in page  # 必要
    assert "要配慮個人情報" in page
    assert "2026年12月23日（水）" in page
    assert "令和8年12月23日（水）" in page
    assert 'data-id="sensitive"' in page
    assert "規則7条1号" in page  # the citation


def test_assess_post_keeps_the_form_filled(logged_in_client):
    page = logged_in_client.post(URL, HEALTH_CASE).content.decode()
    assert 'value="health"' in page and "checked" in page
    assert 'value="2026-11-24"' in page


def test_assess_post_unknowns_are_marked_to_be_confirmed(logged_in_client):
    page = logged_in_client.post(URL, {"items": ["person_name"], "people_confirmed": "10",
                                       "knew_at": "2026-11-24"}).content.decode()
    assert "要確認" in page
    assert "未確定の事実" in page


def test_assess_post_in_english_after_switching_language(logged_in_client):
    response = logged_in_client.post("/i18n/setlang/", {"language": "en", "next": URL})
    assert response.status_code == 302
    page = logged_in_client.post(URL, HEALTH_CASE).content.decode()
    assert "Report to the Personal Information Protection Commission" in page
    assert "Wed 23 Dec 2026" in page


def test_assess_demo_example_prefills_the_form(logged_in_client):
    page = logged_in_client.get(URL + "?example=demo").content.decode()
    assert 'value="credit_card" id="id_items_' in page
    assert 'value="12000"' in page


@pytest.mark.parametrize("data", [
    {"people_confirmed": "abc", "knew_at": "not a date"},
    {"items": ["no_such_item"], "cause": "dragons", "malicious": "perhaps"},
    {"people_confirmed": "99999999999999999999999"},
    {"knew_at": "2026-11-24", "occurred_at": "2030-01-01T00:00"},
    {"people_confirmed": "-5"},
])
def test_assess_bad_input_shows_field_errors_not_a_traceback(logged_in_client, data):
    response = logged_in_client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Traceback" not in page
    assert "直してください" in page
    assert 'id="result"' not in page


def test_assess_post_ignores_fields_it_does_not_know(logged_in_client):
    response = logged_in_client.post(URL, {"unexpected": "field", "items": "person_name"})
    assert response.status_code == 200
    assert 'id="result"' in response.content.decode()


def test_assess_post_without_csrf_token_is_refused(client, user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(URL, HEALTH_CASE).status_code == 403


def test_pages_send_security_headers(logged_in_client):
    response = logged_in_client.get(URL)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert not settings.DEBUG


def test_unknown_page_is_a_plain_404(logged_in_client):
    response = logged_in_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_assess_post_my_number_shows_the_my_number_act_result(logged_in_client):
    page = logged_in_client.post(URL, {"items": ["my_number"], "people_confirmed": "150",
                                       "knew_at": "2026-11-24"}).content.decode()
    assert "番号法29条の4" in page


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def _jst_day(days_from_today: int) -> str:
    return (dt.datetime.now(JST).date() + dt.timedelta(days=days_from_today)).isoformat()


def test_assess_knew_at_in_the_future_is_a_field_error_naming_it(logged_in_client):
    page = logged_in_client.post(reverse("assessments:assess"), {
        **HEALTH_CASE, "knew_at": _jst_day(2)}).content.decode()
    assert '<div class="error field-error" role="alert">知った日は未来の日時にできません</div>' in page


def test_assess_knew_at_in_the_future_shows_no_result(logged_in_client):
    page = logged_in_client.post(reverse("assessments:assess"), {
        **HEALTH_CASE, "knew_at": _jst_day(2)}).content.decode()
    assert 'id="result"' not in page


def test_assess_knew_at_today_is_assessed(logged_in_client):
    page = logged_in_client.post(reverse("assessments:assess"), {
        **HEALTH_CASE, "knew_at": _jst_day(0)}).content.decode()
    assert 'id="result"' in page
