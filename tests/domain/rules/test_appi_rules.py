"""Direct tests of single APPI rules: what each says and which fact it asks for."""

from __future__ import annotations

from rouei.domain.facts import parse_facts
from rouei.domain.rules.appi import (
    advanced_encryption,
    financial,
    malicious,
    not_personal_data,
    over_1000,
    processor_notified,
    sensitive,
)
from rouei.domain.rules.base import Status


def test_sensitive_names_the_sensitive_items():
    f = sensitive.evaluate(parse_facts({"items": ["person_name", "medical_history"]}))
    assert f.status is Status.YES and "病歴" in f.text.ja and "Medical history" in f.text.en


def test_sensitive_unknown_items_asks_for_items():
    f = sensitive.evaluate(parse_facts({}))
    assert f.status is Status.UNKNOWN and [u.field for u in f.unknowns] == ["items"]


def test_financial_later_card_cancellation_does_not_help():
    f = financial.evaluate(parse_facts({"items": ["credit_card"]}))
    assert f.status is Status.YES and "6-15" in f.citation


def test_financial_credentials_ask_whether_service_has_payment_functions():
    f = financial.evaluate(parse_facts({"items": ["login_id", "password"]}))
    assert f.status is Status.UNKNOWN and f.unknowns[0].field == "payment_functions"


def test_malicious_unknown_cause_warns_of_sixty_days():
    f = malicious.evaluate(parse_facts({"cause": "other"}))
    assert f.status is Status.UNKNOWN and "60" in f.unknowns[0].text.ja


def test_malicious_unauthorised_access_even_if_entered_not_malicious():
    f = malicious.evaluate(parse_facts({"cause": "unauthorized_access", "malicious": False}))
    assert f.status is Status.YES and "おそれ" in f.text.ja


def test_over_1000_thousand_exactly_says_it_does_not_count():
    f = over_1000.evaluate(parse_facts({"people_confirmed": 1000}))
    assert f.status is Status.NO and "1,000人ちょうど" in f.text.ja


def test_not_personal_data_unknown_is_judged_as_personal_data():
    f = not_personal_data.evaluate(parse_facts({}))
    assert f.status is Status.NO and f.unknowns[0].field == "is_personal_data"


def test_not_personal_data_being_acquired_keeps_trigger_three():
    f = not_personal_data.evaluate(parse_facts({"is_personal_data": False,
                                                "intended_for_database": True}))
    assert f.status is Status.YES and "malicious" not in f.exempts


def test_advanced_encryption_without_key_fact_is_not_applied():
    f = advanced_encryption.evaluate(parse_facts({"encryption": "advanced"}))
    assert f.status is Status.UNKNOWN and f.unknowns[0].field == "key_leaked"


def test_processor_not_notified_is_told_how_to_be_released():
    f = processor_notified.evaluate(parse_facts({"role": "processor"}))
    assert f.status is Status.NO and "委託元" in f.text.ja


# 規則7条4号: an estimate not known to be an upper bound leaves the maximum open (GL 3-5-3-1(4)).
def test_over_1000_estimate_500_upper_bound_unknown_is_to_be_confirmed():
    f = over_1000.evaluate(parse_facts({"people_estimated": 500}))
    assert f.status is Status.UNKNOWN


def test_over_1000_estimate_500_upper_bound_unknown_asks_whether_it_is_an_upper_bound():
    f = over_1000.evaluate(parse_facts({"people_estimated": 500}))
    assert [u.field for u in f.unknowns] == ["people_is_upper_bound"]


def test_over_1000_estimate_500_not_an_upper_bound_is_to_be_confirmed():
    f = over_1000.evaluate(parse_facts({"people_estimated": 500, "people_is_upper_bound": False}))
    assert f.status is Status.UNKNOWN


def test_over_1000_estimate_500_upper_bound_is_not_triggered():
    f = over_1000.evaluate(parse_facts({"people_estimated": 500, "people_is_upper_bound": True}))
    assert f.status is Status.NO


def test_over_1000_confirmed_500_without_estimate_is_not_triggered():
    f = over_1000.evaluate(parse_facts({"people_confirmed": 500}))
    assert f.status is Status.NO


def test_over_1000_estimate_5000_upper_bound_unknown_is_triggered():
    f = over_1000.evaluate(parse_facts({"people_estimated": 5000}))
    assert f.status is Status.YES
