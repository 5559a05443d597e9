"""The assessment section of the incident page is kept as HTML per incident; a filing or new
facts show at once, as if it had been built again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rouei.core.fingerprints import forget_all
from rouei.incidents import actions
from tests.incidents.conftest import FACTS_900


@pytest.fixture
def incident(user):
    """Reportable: more than 1,000 people (PPC Rules Art. 7(4))."""
    return actions.do_create_incident(title="顧客情報の公開", facts={**FACTS_900,
                                      "people_confirmed": 1200}, actor=user)


def _section(client, incident) -> str:
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    start = page.index('id="assessment"')
    return page[start:page.index('id="reports"', start)]


def _fresh(client, incident) -> str:
    forget_all()
    return _section(client, incident)


def test_a_report_filed_after_the_section_was_kept_shows_as_filed(logged_in_client, incident,
                                                                  user):
    _section(logged_in_client, incident)
    actions.do_record_filed_report(incident, kind="preliminary",
                                   filed_at=dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC),
                                   channel="ppc_form", filed_by=user, actor=user)
    assert "提出済（2026-11-25 19:00）" in _section(logged_in_client, incident)


def _new_facts(incident, user) -> None:
    actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 300},
                            expected_version=incident.version, actor=user)


def test_new_facts_after_the_section_was_kept_change_it(logged_in_client, incident, user):
    before = _section(logged_in_client, incident)
    _new_facts(incident, user)
    assert _section(logged_in_client, incident) != before


def test_new_facts_after_the_section_was_kept_show_as_a_fresh_page_would(logged_in_client,
                                                                         incident, user):
    _section(logged_in_client, incident)
    _new_facts(incident, user)
    kept = _section(logged_in_client, incident)
    assert kept == _fresh(logged_in_client, incident)


def test_the_kept_section_shows_the_japanese_era_dates(logged_in_client, incident):
    _section(logged_in_client, incident)
    assert 'class="wareki"' in _section(logged_in_client, incident)
