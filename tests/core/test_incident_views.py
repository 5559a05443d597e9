"""The access walk: every URL pattern under an incident, of every registered app, goes through
``incident_view``; a non-member gets 404 whatever the method, an id too large for the database
is 404, and a viewer cannot write."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from rouei.core.access import MAX_ID, Need
from rouei.incidents import actions

pytestmark = pytest.mark.django_db

INCIDENT_ROUTE = "incidents/<id:incident_id>/"
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


INCIDENT_PAGES = [(route, p) for route, p in _walk(get_resolver().url_patterns)
                  if route.startswith(INCIDENT_ROUTE)]


def _url(route: str, incident_id: int, other_id: int = 1) -> str:
    def value(match):
        return str(incident_id if match.group(2) == "incident_id" else other_id)
    return "/" + CONVERTER.sub(value, route)


def test_the_walk_finds_the_pages_of_every_incident_app():
    apps = {p.callback.__module__.split(".")[1] for _, p in INCIDENT_PAGES}
    assert apps >= {"incidents", "evidence", "playbooks", "scans"}


@pytest.mark.parametrize("route, pattern", INCIDENT_PAGES, ids=[r for r, _ in INCIDENT_PAGES])
def test_every_incident_page_goes_through_the_one_door(route, pattern):
    assert hasattr(pattern.callback, "incident_access"), f"{route} is not an incident_view"


@pytest.fixture
def incident(user):
    return actions.do_create_incident(title="アクセスの巡回", actor=user)


@pytest.mark.parametrize("route, pattern", INCIDENT_PAGES, ids=[r for r, _ in INCIDENT_PAGES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_non_member_gets_404_on_every_incident_page(client, incident, make_user, route,
                                                      pattern, method):
    client.force_login(make_user("outsider"))
    response = getattr(client, method)(_url(route, incident.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("route, pattern", INCIDENT_PAGES, ids=[r for r, _ in INCIDENT_PAGES])
def test_an_id_beyond_the_database_is_404_not_a_server_error(logged_in_client, incident, route,
                                                            pattern):
    too_large = MAX_ID + 1
    assert logged_in_client.get(_url(route, too_large)).status_code == 404
    if route.count("<") > 1:  # the page's other id too
        assert logged_in_client.get(_url(route, incident.pk, too_large)).status_code == 404


@pytest.mark.parametrize("route, pattern", INCIDENT_PAGES, ids=[r for r, _ in INCIDENT_PAGES])
def test_a_viewer_cannot_write_on_any_incident_page(client, incident, member, route, pattern):
    client.force_login(member("viewer"))
    response = client.post(_url(route, incident.pk))
    access = pattern.callback.incident_access
    assert response.status_code == (403 if "POST" in access.methods else 405)


@pytest.mark.parametrize("route, pattern", INCIDENT_PAGES, ids=[r for r, _ in INCIDENT_PAGES])
def test_no_incident_page_lets_a_viewer_write(route, pattern):
    access = pattern.callback.incident_access
    writes = set(access.methods) - {"GET", "HEAD"}
    assert not writes or access.write != Need.VIEW


@pytest.mark.parametrize("route, pattern", INCIDENT_PAGES, ids=[r for r, _ in INCIDENT_PAGES])
def test_a_viewer_reading_any_incident_page_gets_no_server_error(client, incident, member,
                                                                route, pattern):
    client.force_login(member("viewer"))
    response = client.get(_url(route, incident.pk))
    assert response.status_code in (200, 302, 403, 404, 405)


def test_a_signed_out_visitor_is_sent_to_sign_in(client, incident):
    response = client.get(f"/incidents/{incident.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


ALL_ROUTES = [route for route, _ in _walk(get_resolver().url_patterns)]


def test_every_id_in_a_url_is_a_database_id_converter():
    # <int:…> takes any size of number, and a number the database cannot hold was a 500.
    assert [r for r in ALL_ROUTES if "<int:" in r] == []


def test_a_signal_id_beyond_the_database_is_404(client, django_user_model):
    from rouei.intake.permissions import ensure_intake_group

    staff = django_user_model.objects.create_user("intake-staff")
    staff.groups.add(ensure_intake_group())
    client.force_login(staff)
    assert client.get(f"/signals/{MAX_ID + 1}/").status_code == 404


@pytest.mark.parametrize("name, args, path", [
    ("playbooks:dashboard", [], "/playbooks/dashboard/"),
    ("playbooks:calendar", ["abc"], "/playbooks/calendar/abc.ics"),  # subscribed addresses
    ("playbooks:list", [], "/playbooks/"),
    ("incidents:list", [], "/incidents/"),
    ("signals:list", [], "/signals/"),
    ("playbooks:tasks", [7], "/incidents/7/tasks/"),
    ("evidence:list", [7], "/incidents/7/evidence/"),
])
def test_registered_apps_keep_their_addresses(name, args, path):
    from django.urls import reverse

    assert reverse(name, args=args) == path
