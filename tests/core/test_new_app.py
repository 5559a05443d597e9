"""A new incident-scoped app is its own folder plus one line in INSTALLED_APPS: the sample app
in tests/core/sample_app/ edits nothing elsewhere, yet gets its URL under the incident, its
card on the incident page, its menu entry and the one door's access rules."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches

from rouei.core import incident_apps
from rouei.incidents import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_sample_app():
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.core.sample_app"]):
        _reload_urls()
        yield
    incident_apps._APPS.pop("sample_app", None)
    _reload_urls()


def _reload_urls():
    import rouei.config.urls

    clear_url_caches()
    importlib.reload(rouei.config.urls)


@pytest.fixture
def incident(user):
    return actions.do_create_incident(title="見本の事案", actor=user)


def test_new_app_page_is_served_under_the_incident(with_sample_app, logged_in_client, incident):
    response = logged_in_client.get(f"/incidents/{incident.pk}/sample/")
    assert response.content.decode() == f"見本のページ {incident.pk} GET"


def test_new_app_card_is_on_the_incident_page(with_sample_app, logged_in_client, incident):
    page = logged_in_client.get(f"/incidents/{incident.pk}/").content.decode()
    assert '<section id="sample-card" class="card">見本のカード 見本の事案</section>' in page


def test_new_app_menu_entry_is_in_the_incident_menu(with_sample_app, logged_in_client,
                                                    incident):
    page = logged_in_client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f'href="/incidents/{incident.pk}/sample/"' in page


def test_new_app_page_is_404_for_a_non_member(with_sample_app, client, make_user, incident):
    client.force_login(make_user("outsider"))
    assert client.get(f"/incidents/{incident.pk}/sample/").status_code == 404


def test_new_app_page_refuses_a_viewer_write(with_sample_app, client, member, incident):
    client.force_login(member("viewer"))
    assert client.post(f"/incidents/{incident.pk}/sample/").status_code == 403


def test_new_app_audit_labels_are_known(with_sample_app):
    assert incident_apps.audit_actions()["sample.touch"] == "見本の操作"


def test_without_the_settings_line_the_app_is_absent(logged_in_client, incident):
    assert logged_in_client.get(f"/incidents/{incident.pk}/sample/").status_code == 404
