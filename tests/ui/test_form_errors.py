"""A form error names its fields (by their labels, linked) and the first is focused, so the
browser brings it into view — on the facts form and on the forms of every other page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rouei.incidents import actions

pytestmark = pytest.mark.django_db

ASSESS = "/assess/"


def _summary(page: str) -> str:
    match = re.search(r'<div class="error error-summary".*?</div>', page, re.S)
    return match.group(0) if match else ""


def test_facts_form_error_names_the_field_by_its_label(logged_in_client):
    page = logged_in_client.post(ASSESS, {"people_confirmed": "-3"}).content.decode()
    assert "本人の数（確認済み）" in _summary(page)


def test_facts_form_error_links_to_the_field(logged_in_client):
    page = logged_in_client.post(ASSESS, {"people_confirmed": "-3"}).content.decode()
    assert 'href="#field-people_confirmed"' in _summary(page)


def test_facts_form_first_field_with_an_error_is_focused(logged_in_client):
    page = logged_in_client.post(ASSESS, {"people_confirmed": "-3"}).content.decode()
    assert re.search(r'<input[^>]*name="people_confirmed"[^>]*autofocus', page)


def test_facts_form_only_the_first_field_with_an_error_is_focused(logged_in_client):
    page = logged_in_client.post(ASSESS, {"people_confirmed": "-3", "people_estimated": "x"}
                                 ).content.decode()
    assert page.count("autofocus") == 1


def test_valid_facts_form_shows_no_summary_and_focuses_nothing(logged_in_client):
    page = logged_in_client.post(ASSESS, {"people_confirmed": "10", "knew_at": "2026-11-24"}
                                 ).content.decode()
    assert (_summary(page), "autofocus" in page) == ("", False)


def test_other_forms_name_their_fields_too(logged_in_client, user):
    incident = actions.do_create_incident(title="件名あり", actor=user)
    page = logged_in_client.post(reverse("incidents:timeline_add", args=[incident.pk]),
                                 {"kind": "action", "at": "", "text": ""}).content.decode()
    assert 'href="#field-text"' in _summary(page)
