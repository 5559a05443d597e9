"""The scan's proposal: only what differs from the facts is a change; the page shows an unchanged
count as unchanged and offers no button when there is nothing to take in."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from rouei.incidents import actions as incident_actions
from rouei.scans import actions
from rouei.scans.models import EvidenceScan
from tests.scans.test_scans import _add, _customers_csv, _start

ITEMS = ("person_name", "email", "phone", "health", "address")


def _offer(facts: dict | None, proposed: dict) -> actions.Proposal:
    """The proposal for a finished scan that found ``proposed``, against ``facts`` (no database)."""
    latest = SimpleNamespace(facts=facts) if facts is not None else None
    scan = SimpleNamespace(proposed=proposed,
                           incident=SimpleNamespace(latest_facts=lambda: latest))
    return actions.proposal(scan)


def test_proposal_same_people_and_items_changes_nothing():
    offer = _offer({"items": ["email", "person_name"], "people_confirmed": 1001},
                   {"items": ["person_name", "email"], "people_confirmed": 1001})
    assert offer.changes_anything is False


def test_proposal_same_people_is_not_a_people_change():
    offer = _offer({"items": [], "people_confirmed": 1001},
                   {"items": ["email"], "people_confirmed": 1001})
    assert offer.people_changed is False


def test_proposal_more_people_is_a_people_change():
    offer = _offer({"people_confirmed": 900}, {"items": [], "people_confirmed": 1001})
    assert (offer.people_changed, offer.people_after) == (True, 1001)


def test_proposal_fewer_people_keeps_the_confirmed_count_unchanged():
    offer = _offer({"people_confirmed": 1200}, {"items": [], "people_confirmed": 1001})
    assert (offer.people_changed, offer.people_after) == (False, 1200)


def test_proposal_new_item_alone_changes_something():
    offer = _offer({"items": ["email"], "people_confirmed": 5},
                   {"items": ["email", "phone"], "people_confirmed": 5})
    assert (offer.changes_anything, offer.new_items) == (True, ["phone"])


def test_proposal_without_facts_yet_counts_people_found_as_a_change():
    assert _offer(None, {"items": [], "people_confirmed": 3}).people_changed is True


@given(known=st.lists(st.sampled_from(ITEMS), unique=True),
       found=st.lists(st.sampled_from(ITEMS), unique=True),
       before=st.none() | st.integers(0, 10**7), seen=st.none() | st.integers(0, 10**7))
def test_proposal_changes_anything_exactly_when_the_new_facts_differ(known, found, before, seen):
    facts = {"items": known, "people_confirmed": before}
    offer = _offer(facts, {"items": found, "people_confirmed": seen})
    differs = (set(offer.facts.get("items") or []) != set(known)
               or offer.facts.get("people_confirmed") != before)
    assert offer.changes_anything is differs


# --- the proposal as the scan page shows it ---------------------------------------------------

def _scan_page(client, user, incident, *, people: int, items: list[str]) -> str:
    incident_actions.do_update_facts(incident, {"items": items, "people_confirmed": people},
                                     expected_version=incident.version, actor=user)
    _add(incident, user, _customers_csv(1001))  # 1,001 people: name, phone, email, health
    client.force_login(user)
    _start(client, incident)
    scan = EvidenceScan.objects.get(incident=incident)
    html = client.get(reverse("scans:detail", args=[scan.incident_id, scan.pk])).content.decode()
    return html.split('id="proposal"')[1]


@pytest.mark.django_db
def test_scan_page_same_people_count_shows_unchanged_not_an_arrow(client, user, incident):
    proposal = _scan_page(client, user, incident, people=1001, items=["person_name"])
    people = proposal.split('data-fact="people_confirmed"')[1].split("</li>")[0]
    assert "→" not in people and "1,001" in people and "変更なし" in people


@pytest.mark.django_db
def test_scan_page_larger_people_count_shows_before_and_after(client, user, incident):
    proposal = _scan_page(client, user, incident, people=900, items=["person_name"])
    people = proposal.split('data-fact="people_confirmed"')[1].split("</li>")[0]
    assert "900 → <strong>1,001</strong>" in people


@pytest.mark.django_db
def test_scan_page_nothing_new_offers_no_button_and_says_so(client, user, incident):
    proposal = _scan_page(client, user, incident, people=1001,
                          items=["person_name", "phone", "email", "health"])
    assert "<form" not in proposal
    assert "スキャンで見つかった内容はすべて事実に登録済みです。" in proposal


@pytest.mark.django_db
def test_scan_page_something_new_offers_the_button(client, user, incident):
    proposal = _scan_page(client, user, incident, people=1001, items=["person_name"])
    assert reverse("scans:accept", args=[incident.pk, EvidenceScan.objects.get().pk]) in proposal
