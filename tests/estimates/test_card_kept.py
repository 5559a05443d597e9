"""The estimate card is kept as HTML between views (``Card.key``) and never shows an estimate
from before a change of the facts or of the unit prices."""

from __future__ import annotations

import dataclasses

from django.urls import reverse

from rouei.domain.damage import ResponsePrices
from rouei.estimates.actions import do_update_unit_prices
from rouei.incidents import actions
from tests.estimates.conftest import FACTS_900


def _card(client, incident) -> str:
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    start = page.index('id="estimate"')
    return page[start:page.index("</section>", start)]


def test_new_facts_after_the_card_was_kept_show_in_it(logged_in_client, incident, user):
    _card(logged_in_client, incident)
    actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 1200},
                            expected_version=incident.version, actor=user)
    assert "事実 版2 に基づく" in _card(logged_in_client, incident)


def test_unit_prices_changed_after_the_card_was_kept_show_in_it(logged_in_client, incident,
                                                                user):
    assert "既定の単価" in _card(logged_in_client, incident)
    prices = dataclasses.replace(ResponsePrices(), forensic_investigation=1_000_000)
    do_update_unit_prices(incident, prices, actor=user)
    assert "既定の単価" not in _card(logged_in_client, incident)
