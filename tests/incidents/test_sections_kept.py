"""The incident page's facts, timeline and members sections are kept as HTML between views:
they never show a row or a user's name as it was before a change, nor another member's
buttons, and their forms carry the token of the view that shows them."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse

from rouei.incidents import actions
from tests.incidents.conftest import FACTS_900


def _page(client, incident, query: str = "") -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk]) + query).content.decode()


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}"')
    return page[start:page.index("</section>", start)]


def _entry(incident, user, text: str = "委託先から報告を受けた"):
    return actions.do_add_timeline_event(incident, kind="action", text=text,
                                         at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC),
                                         actor=user)


def test_a_timeline_entry_added_after_the_section_was_kept_shows(logged_in_client, incident,
                                                                 user):
    _page(logged_in_client, incident)
    _entry(incident, user)
    assert "委託先から報告を受けた" in _section(_page(logged_in_client, incident), "timeline")


def test_a_timeline_entry_corrected_after_the_section_was_kept_shows_corrected(
        logged_in_client, incident, user):
    entry = _entry(incident, user)
    _page(logged_in_client, incident)
    actions.do_edit_timeline_event(entry, kind="action", at=entry.at, text="訂正後の記録",
                                   reason="誤記", actor=user)
    assert "訂正後の記録" in _section(_page(logged_in_client, incident), "timeline")


def test_the_timeline_author_renamed_after_the_section_was_kept_shows_the_new_name(
        logged_in_client, incident, user):
    _entry(incident, user)
    _page(logged_in_client, incident)
    user.username = "tanaka-renamed"
    user.save()
    assert "tanaka-renamed" in _section(_page(logged_in_client, incident), "timeline")


def test_the_facts_author_renamed_after_the_section_was_kept_shows_the_new_name(
        logged_in_client, incident, user):
    _page(logged_in_client, incident)
    user.username = "tanaka-renamed"
    user.save()
    assert "tanaka-renamed" in _section(_page(logged_in_client, incident), "facts")


def test_new_facts_after_the_section_was_kept_show_as_a_new_version(logged_in_client, incident,
                                                                    user):
    _page(logged_in_client, incident)
    actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 1200},
                            expected_version=incident.version, actor=user)
    assert "版2" in _section(_page(logged_in_client, incident), "facts")


def test_a_member_renamed_after_the_section_was_kept_shows_the_new_name(
        logged_in_client, incident, member):
    other = member("viewer", "sato")
    _page(logged_in_client, incident)
    other.username = "sato-renamed"
    other.save()
    assert "sato-renamed" in _section(_page(logged_in_client, incident), "members")


def test_a_role_changed_after_the_section_was_kept_shows_the_new_role(incident, user, member,
                                                                      client):
    other = member("viewer", "sato")
    client.force_login(other)
    _page(client, incident)
    actions.do_change_member_role(incident.memberships.get(user=other), "legal",
                                   actor=user)
    assert "法務" in _section(_page(client, incident), "members")


def test_a_viewer_after_the_lead_sees_no_role_forms(logged_in_client, incident, member, client):
    _page(logged_in_client, incident)  # kept with the lead's forms
    client.force_login(member("viewer"))
    assert "member-role" not in _section(_page(client, incident), "members")


def test_a_viewer_after_the_lead_sees_no_correct_link(logged_in_client, incident, user, member,
                                                      client):
    _entry(incident, user)
    _page(logged_in_client, incident)
    client.force_login(member("viewer"))
    assert "/timeline/" not in _section(_page(client, incident), "timeline")


def test_the_whole_timeline_after_the_newest_entries(logged_in_client, incident, user):
    for i in range(31):
        _entry(incident, user, f"対応記録 {i:03d}")
    _page(logged_in_client, incident)
    assert "対応記録 000" in _page(logged_in_client, incident, "?timeline=all")


def test_the_sections_in_english_after_japanese(logged_in_client, incident, settings):
    _page(logged_in_client, incident)
    logged_in_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Timeline" in _section(_page(logged_in_client, incident), "timeline")


def test_a_role_form_of_the_kept_section_is_accepted_with_its_token(incident, user, member):
    """The second view takes the members section from memory: its form still posts."""
    other = member("viewer", "sato")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    _page(client, incident)
    section = _section(_page(client, incident), "members")
    url = reverse("incidents:member_role", args=[incident.pk,
                                                 incident.memberships.get(user=other).pk])
    token = re.search(rf'action="{re.escape(url)}"[^>]*><input type="hidden" '
                      r'name="csrfmiddlewaretoken" value="([^"]+)"', section).group(1)
    membership = incident.memberships.get(user=other)
    response = client.post(url, {"csrfmiddlewaretoken": token, f"m{membership.pk}-role": "legal"})
    assert response.status_code == 302
