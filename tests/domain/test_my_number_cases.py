"""My Number Act (番号法29条の4) cases from appi.md §6 and the PPC's My Number guideline 別添2."""

from __future__ import annotations

import datetime as dt

import pytest

from rouei.domain.assessment import assess
from rouei.domain.facts import parse_facts

PAYROLL = ["person_name", "address", "my_number"]

CASES = [
    ("payroll_101_employees_misdelivered", "appi.md §6: 101 employees → My Number yes, APPI no",
     {"items": PAYROLL, "people_confirmed": 101, "cause": "misdelivery", "network_system": False,
      "knew_at": "2026-11-24"}, False, True, {"mn_over_100"}, "2026-12-23"),
    ("payroll_1001_employees_misdelivered", "appi.md §6: 1,001 employees → both",
     {"items": PAYROLL, "people_confirmed": 1001, "cause": "misdelivery",
      "network_system": False}, True, True, {"mn_over_100"}, None),
    ("exactly_100_people", "My Number rules 2(iv): 100人を超える — 100 does not trigger",
     {"items": PAYROLL, "people_confirmed": 100, "cause": "misdelivery",
      "network_system": False}, False, False, set(), None),
    ("network_system_unknown", "cautious: trigger 1 depends on the system (要確認)",
     {"items": PAYROLL, "people_confirmed": 5, "cause": "misdelivery"}, False, None, set(), None),
    ("exposed_on_internet_few_people", "My Number rules 2(iii); MN Q&A 17-10: no threshold",
     {"items": PAYROLL, "people_confirmed": 3, "cause": "misconfiguration",
      "publicly_viewable": True, "network_system": False}, False, True,
     {"mn_public_exposure"}, None),
    ("attack_on_payroll_server", "My Number rules 2(ii): unauthorised access",
     {"items": PAYROLL, "people_confirmed": 20, "cause": "unauthorized_access",
      "network_system": False, "knew_at": "2026-11-24"}, True, True, {"mn_malicious"},
     "2027-01-22"),
    ("my_numbers_used_as_customer_ids", "My Number rules 2(iv)(b): use in breach of Art. 9",
     {"items": ["person_name", "my_number"], "people_confirmed": 500,
      "my_number_violation": "unlawful_use", "intentional_provision": True,
      "network_system": False, "publicly_viewable": False, "malicious": False},
     False, True, {"mn_over_100"}, None),
    ("advanced_encryption_key_safe", "MN Q&A 17-14",
     {"items": PAYROLL, "people_confirmed": 500, "cause": "lost_device",
      "encryption": "advanced", "key_leaked": False, "network_system": False},
     False, False, set(), None),
]


@pytest.mark.parametrize("facts,appi,my_number,triggers,due",
                         [pytest.param(f, a, m, t, d, id=n) for n, _s, f, a, m, t, d in CASES])
def test_my_number_case_is_assessed_separately_from_appi(facts, appi, my_number, triggers, due):
    result = assess(parse_facts(facts), today=dt.date(2026, 11, 24))
    assert result.report_required is appi
    assert result.my_number_act is not None
    assert result.my_number_act.report_required is my_number
    assert set(result.my_number_act.triggers) == triggers
    if due:
        assert result.my_number_act.final_report_due == dt.date.fromisoformat(due)


def test_my_number_result_is_none_without_my_numbers():
    result = assess(parse_facts({"items": ["person_name"], "people_confirmed": 5000}))
    assert result.my_number_act is None
    assert result.to_dict()["my_number_act"] is None


def test_my_number_json_uses_contract_trigger_ids():
    data = assess(parse_facts({"items": PAYROLL, "people_confirmed": 5000,
                               "cause": "unauthorized_access", "publicly_viewable": True,
                               "network_system": True, "knew_at": "2026-11-24"})).to_dict()
    assert set(data["my_number_act"]["triggers"]) == {
        "mn_network_system", "mn_malicious", "mn_public_exposure", "mn_over_100"}
    assert data["my_number_act"]["final_report_due"] == "2027-01-22"
