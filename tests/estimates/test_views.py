"""The estimate card on the incident page and the unit-prices page."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from rouei.core.models import AuditEvent
from rouei.domain.damage import ResponsePrices
from rouei.estimates.actions import do_update_unit_prices
from rouei.estimates.forms import UnitPricesForm
from rouei.incidents import actions

pytestmark = pytest.mark.django_db


def _prices_url(incident):
    return reverse("estimates:unit_prices", args=[incident.pk])


def _detail(client, incident) -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()


def _form(**changes) -> dict:
    """The unit-prices form as posted, with the defaults and ``changes``."""
    data = UnitPricesForm.initial_for(ResponsePrices(), 0)
    data.update(changes)
    return {key: str(value) for key, value in data.items()}


def _estimate_card(page: str) -> str:
    """The card's part of the incident page (the facts card follows it)."""
    start = page.index('id="estimate"')
    return page[start:page.index('id="facts"', start)]


def test_incident_page_shows_the_estimate_card_from_the_current_facts(logged_in_client, incident):
    card = _estimate_card(_detail(logged_in_client, incident))
    assert "想定される影響と損害額の試算" in card
    assert "3,000円" in card  # JO model per person: 500 × 2 × 3 × 1 × 1
    assert "270万円" in card  # × 900 people


def test_incident_page_shows_the_exposure_sections(logged_in_client, incident):
    card = _estimate_card(_detail(logged_in_client, incident))
    assert "民事上の責任" in card and "刑事上の責任" in card


def test_incident_page_estimate_follows_new_facts(logged_in_client, incident, user):
    actions.do_update_facts(incident, {"items": ["person_name", "email"],
                                       "people_confirmed": 2_000},
                            expected_version=incident.version, actor=user)
    assert "600万円" in _estimate_card(_detail(logged_in_client, incident))  # 3,000 × 2,000


def test_incident_page_estimate_uses_default_prices_until_changed(logged_in_client, incident):
    card = _estimate_card(_detail(logged_in_client, incident))
    assert "3,000,000" in card  # the default forensic investigation
    assert "既定の単価" in card


def test_edit_unit_prices_changes_the_estimate_shown(logged_in_client, incident):
    response = logged_in_client.post(_prices_url(incident),
                                     _form(forensic_investigation=4_321_000))
    assert response.status_code == 302
    card = _estimate_card(_detail(logged_in_client, incident))
    assert "4,321,000" in card
    assert "3,000,000" not in card
    assert "既定値から1項目を変更" in card


def test_edit_unit_prices_post_is_an_audit_event(logged_in_client, incident):
    logged_in_client.post(_prices_url(incident), _form(call_rate_permille=80))
    assert AuditEvent.objects.filter(action="unit_prices.update",
                                     incident_id=incident.pk).count() == 1


def test_edit_unit_prices_goodwill_options_are_parsed_from_a_comma_list(logged_in_client,
                                                                        incident):
    logged_in_client.post(_prices_url(incident), _form(goodwill_options="0、700, 7000"))
    assert incident.unit_prices.prices().goodwill_options == (0, 700, 7_000)


@pytest.mark.parametrize(("field", "value"), [
    ("forensic_investigation", "-1"), ("letter_share_percent", "101"),
    ("goodwill_options", "五百"), ("legal_counsel", "1.5")])
def test_edit_unit_prices_bad_value_is_shown_and_nothing_saved(logged_in_client, incident,
                                                                field, value):
    response = logged_in_client.post(_prices_url(incident), _form(**{field: value}))
    assert response.status_code == 200
    assert f'id="field-{field}"' in response.content.decode()
    assert "has-error" in response.content.decode()
    assert not AuditEvent.objects.filter(action="unit_prices.update").exists()


def test_unit_prices_page_labels_each_price_in_japanese_with_its_unit(logged_in_client,
                                                                      incident):
    page = logged_in_client.get(_prices_url(incident)).content.decode()
    assert "フォレンジック調査（円／式）" in page
    assert "書面で通知する人の割合（%）" in page


def test_unit_prices_page_shows_the_saved_prices(logged_in_client, incident, user):
    do_update_unit_prices(incident, dataclasses.replace(ResponsePrices(), legal_counsel=2_500_000),
                          actor=user)
    page = logged_in_client.get(_prices_url(incident)).content.decode()
    assert 'value="2500000"' in page


def test_unit_prices_stale_form_is_refused_with_409(logged_in_client, incident, member):
    do_update_unit_prices(incident, dataclasses.replace(ResponsePrices(), legal_counsel=1),
                          actor=member("legal"))
    response = logged_in_client.post(_prices_url(incident), _form(public_relations=5))
    assert response.status_code == 409
    assert incident.unit_prices.prices().public_relations == ResponsePrices().public_relations


def test_viewer_sees_the_estimate_but_no_edit_link(client, incident, member):
    client.force_login(member("viewer"))
    page = _detail(client, incident)
    assert "想定される影響と損害額の試算" in page
    assert _prices_url(incident) not in page


def test_editor_sees_the_edit_link(logged_in_client, incident):
    assert _prices_url(incident) in _detail(logged_in_client, incident)


@pytest.mark.parametrize("method", ["get", "post"])
def test_viewer_cannot_open_or_post_the_unit_prices_page(client, incident, member, method):
    client.force_login(member("viewer"))
    response = getattr(client, method)(_prices_url(incident),
                                       _form(forensic_investigation=1) if method == "post" else {})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="unit_prices.update").exists()


def test_non_member_gets_404_on_the_unit_prices_page(client, incident, make_user):
    client.force_login(make_user("outsider"))
    assert client.get(_prices_url(incident)).status_code == 404


def test_audit_page_names_the_unit_prices_change(logged_in_client, incident):
    logged_in_client.post(_prices_url(incident), _form(forensic_investigation=1))
    page = logged_in_client.get(reverse("incidents:audit", args=[incident.pk])).content.decode()
    assert "対応費用の単価の変更" in page
