"""Choosing the playbook from the facts' cause (pure: no database)."""

from __future__ import annotations

import pytest

from rouei.domain.facts import Cause
from rouei.playbooks.choices import PlaybookKind
from rouei.playbooks.selection import kind_for_facts, kinds_for_facts, playbook_kind


@pytest.mark.parametrize(("cause", "kind"), [
    ("misdelivery", "misdelivery"),
    ("unauthorized_access", "unauthorized_access"),
    ("malware", "unauthorized_access"),
    ("lost_device", "device"),
    ("theft", "device"),
    ("ransomware", "ransomware"),
    ("insider_theft", "insider"),
    ("vendor", "vendor"),
    ("other", "general"),
    ("misconfiguration", "general"),
    (None, "general"),
])
def test_playbook_kind_for_each_cause(cause, kind):
    assert playbook_kind(cause) == kind


def test_playbook_kind_every_cause_has_a_playbook_kind():
    for cause in Cause:
        assert playbook_kind(cause.value) in PlaybookKind.values


def test_playbook_kind_vendor_involved_without_a_specific_cause_is_vendor():
    assert playbook_kind(None, True) == "vendor"
    assert playbook_kind("other", True) == "vendor"


def test_playbook_kind_specific_cause_wins_over_vendor_involved():
    assert playbook_kind("ransomware", True) == "ransomware"


def test_kind_for_facts_reads_stored_facts():
    assert kind_for_facts({"cause": "theft"}) == "device"
    assert kind_for_facts({"vendor_involved": True}) == "vendor"
    assert kind_for_facts({}) == kind_for_facts(None) == "general"


def test_kinds_for_facts_card_number_adds_the_card_steps():
    assert kinds_for_facts({"cause": "malware", "items": ["person_name", "credit_card"]}) == (
        "unauthorized_access", "card")


def test_kinds_for_facts_expiry_without_card_number_adds_nothing():
    assert kinds_for_facts({"cause": "malware", "items": ["card_expiry"]}) == (
        "unauthorized_access",)


def test_kinds_for_facts_no_facts_is_the_general_playbook():
    assert kinds_for_facts(None) == ("general",)
