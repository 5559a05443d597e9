"""Direct tests of the My Number Act exceptions and triggers."""

from __future__ import annotations

import datetime as dt

from rouei.domain.assessment import assess
from rouei.domain.facts import parse_facts
from rouei.domain.rules.base import Status
from rouei.domain.rules.my_number import no_incident, over_100, public_exposure

PAYROLL = {"items": ["person_name", "my_number"], "people_confirmed": 500,
           "network_system": False}


def _mn(**facts):
    return assess(parse_facts({**PAYROLL, **facts}), today=dt.date(2026, 11, 24)).my_number_act


def test_mn_advanced_encryption_exception_applies_with_key_safe():
    result = _mn(cause="lost_device", encryption="advanced", key_leaked=False)
    assert result.exceptions == ("mn_advanced_encryption",) and result.report_required is False


def test_mn_processor_notified_releases_the_processor():
    result = _mn(cause="misdelivery", role="processor", notified_principal=True)
    assert "mn_processor_notified" in result.exceptions and result.report_required is False


def test_mn_no_incident_recovered_unseen():
    result = _mn(cause="misdelivery", recovered_before_viewed=True)
    assert "mn_no_incident" in result.exceptions and result.report_required is False


def test_mn_no_incident_does_not_excuse_an_unlawful_provision():
    f = no_incident.evaluate(parse_facts({"my_number_violation": "unlawful_provision",
                                          "intentional_provision": True}))
    assert f.status is Status.NO


def test_mn_public_exposure_unknown_for_a_mis_setting():
    f = public_exposure.evaluate(parse_facts({"cause": "misconfiguration"}))
    assert f.status is Status.UNKNOWN and f.unknowns[0].field == "publicly_viewable"


def test_mn_not_reportable_still_asks_for_a_voluntary_report():
    result = _mn(people_confirmed=10, cause="misdelivery")
    assert result.report_required is False
    assert any("努め" in r.text.ja for r in result.reasons)


# 番号法規則2条4号: as for the APPI's 1,000, an open estimate decides nothing (要確認).
def test_mn_over_100_estimate_50_upper_bound_unknown_is_to_be_confirmed():
    f = over_100.evaluate(parse_facts({"people_estimated": 50}))
    assert f.status is Status.UNKNOWN


def test_mn_over_100_estimate_50_upper_bound_is_not_triggered():
    f = over_100.evaluate(parse_facts({"people_estimated": 50, "people_is_upper_bound": True}))
    assert f.status is Status.NO
