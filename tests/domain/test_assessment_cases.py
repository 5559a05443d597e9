"""Table cases from the PPC guideline (GL), the PPC Q&A and the domain reference (appi.md).

Each case cites where its expected answer comes from. A case is: facts → report duty, the
triggers that apply, the exceptions that apply, and (when given) the 確報 due date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rouei.domain.assessment import assess
from rouei.domain.facts import parse_facts

KNEW = "2026-11-24"  # due 2026-12-23 (30 days) or 2027-01-22 (60 days): appi.md §3
BASIC = ["person_name", "address", "phone"]

CASES = [
    # --- trigger 1: sensitive ------------------------------------------------------------------
    ("gl_hospital_usb_lost", "GL 3-5-3-1(1) 事例1",
     {"items": ["person_name", "health"], "people_confirmed": 40, "cause": "lost_device",
      "knew_at": KNEW}, True, {"sensitive"}, set(), "2026-12-23"),
    ("gl_health_check_results_leak", "GL 3-5-3-1(1) 事例2",
     {"items": ["person_name", "employee_id", "health_checkup_result"], "people_confirmed": 12,
      "cause": "misdelivery", "knew_at": KNEW}, True, {"sensitive"}, set(), "2026-12-23"),
    ("one_person_sensitive", "GL 3-5-3-1: 1-3 need only one person",
     {"items": ["person_name", "criminal_record"], "people_confirmed": 1,
      "cause": "misdelivery", "knew_at": KNEW}, True, {"sensitive"}, set(), "2026-12-23"),
    ("hospital_visit_fact_is_sensitive", "GL 2-3: the fact of a hospital visit is sensitive",
     {"items": ["person_name", "health"], "people_confirmed": 1, "cause": "misdelivery"},
     True, {"sensitive"}, set(), None),
    ("health_check_attendance_not_sensitive", "GL 2-3: having taken a check is not sensitive",
     {"items": ["person_name", "health_checkup_attendance"], "people_confirmed": 30,
      "cause": "misdelivery"}, False, set(), set(), None),
    ("nationality_not_race", "GL 2-3: nationality alone is not race",
     {"items": ["person_name", "nationality"], "people_confirmed": 30, "cause": "misdelivery"},
     False, set(), set(), None),
    # --- trigger 2: financial ------------------------------------------------------------------
    ("card_number_alone", "Q&A 6-12: a card number alone suffices",
     {"items": ["credit_card"], "people_confirmed": 3, "cause": "misdelivery",
      "knew_at": KNEW}, True, {"financial"}, set(), "2026-12-23"),
    ("card_with_security_code", "Q&A 6-12; GL 3-5-3-1(2) 事例",
     {"items": ["person_name", "credit_card", "card_security_code"], "people_confirmed": 10,
      "cause": "misdelivery"}, True, {"financial"}, set(), None),
    ("card_expiry_without_number", "Q&A 6-12: last 4 digits + expiry alone not enough",
     {"items": ["person_name", "card_expiry"], "people_confirmed": 10, "cause": "misdelivery"},
     False, set(), set(), None),
    ("payment_service_credentials", "GL 3-5-3-1(2) 事例: ID+password with payment functions",
     {"items": ["login_id", "password"], "payment_functions": True, "people_confirmed": 20,
      "cause": "misdelivery"}, True, {"financial"}, set(), None),
    ("credentials_without_payment", "appi.md §13.1 (inferred)",
     {"items": ["login_id", "password"], "payment_functions": False, "people_confirmed": 20,
      "cause": "misdelivery"}, False, set(), set(), None),
    ("credentials_payment_unknown", "GL 3-5-3-1(2): depends on the service; 要確認",
     {"items": ["login_id", "password"], "people_confirmed": 20, "cause": "misdelivery"},
     None, set(), set(), None),
    ("contact_data_not_financial", "Q&A 6-11: address, phone, e-mail alone",
     {"items": ["person_name", "address", "phone", "email"], "people_confirmed": 500,
      "cause": "misdelivery"}, False, set(), set(), None),
    ("bank_account_alone", "Q&A 14-8 (inferred, low): account number alone",
     {"items": ["person_name", "bank_name", "bank_account"], "people_confirmed": 10,
      "cause": "misdelivery"}, False, set(), set(), None),
    ("bank_account_with_pin", "appi.md §13.1: account + PIN",
     {"items": ["bank_account", "bank_pin"], "people_confirmed": 10, "cause": "misdelivery"},
     True, {"financial"}, set(), None),
    ("online_banking_credentials", "appi.md §13.1",
     {"items": ["online_banking_credentials"], "people_confirmed": 2, "cause": "misdelivery"},
     True, {"financial"}, set(), None),
    # --- trigger 3: malicious ------------------------------------------------------------------
    ("ec_site_card_leak_attack", "GL 3-5-3-1(2)(3) 事例: card numbers from an EC site",
     {"items": ["person_name", "address", "credit_card", "card_expiry"],
      "people_confirmed": 300, "cause": "unauthorized_access", "knew_at": KNEW},
     True, {"financial", "malicious"}, set(), "2027-01-22"),
    ("ransomware_no_backup", "GL 3-5-1-4 and 3-5-3-1(3) 事例: ransomware, unrecoverable",
     {"items": BASIC, "people_confirmed": 300, "cause": "ransomware", "event": "damage",
      "copy_exists_elsewhere": False, "knew_at": KNEW},
     True, {"malicious"}, set(), "2027-01-22"),
    ("ransomware_with_backup", "GL 3-5-1-4: identical copy kept, no 毀損",
     {"items": BASIC, "people_confirmed": 300, "cause": "ransomware", "event": "damage",
      "copy_exists_elsewhere": True}, False, set(), {"no_incident"}, None),
    ("theft_of_papers", "GL 3-5-3-1(3) 事例: theft of papers is malicious",
     {"items": BASIC, "people_confirmed": 5, "cause": "theft", "knew_at": KNEW},
     True, {"malicious"}, set(), "2027-01-22"),
    ("loss_is_not_malicious", "GL 3-5-3-1(3): loss (紛失) is not malicious",
     {"items": BASIC, "people_confirmed": 100, "cause": "lost_device"},
     False, set(), set(), None),
    ("insider_takes_data", "GL 3-5-3-1(3) 事例: an employee takes data out",
     {"items": BASIC, "people_confirmed": 50, "cause": "insider_theft", "knew_at": KNEW},
     True, {"malicious"}, set(), "2027-01-22"),
    ("possible_leak_traces_of_attack", "GL ※2 (ア): traces of theft by unauthorised access",
     {"items": BASIC, "people_estimated": 200, "possibility_only": True,
      "cause": "unauthorized_access", "knew_at": KNEW},
     True, {"malicious"}, set(), "2027-01-22"),
    ("web_skimming_input_form", "GL 3-5-1-1, 3-5-3-1(3): information being acquired (2024-04-01)",
     {"items": ["person_name", "credit_card"], "people_confirmed": 80, "is_personal_data": False,
      "intended_for_database": True, "malicious": True, "knew_at": "2025-03-10"},
     True, {"malicious"}, {"not_personal_data"}, "2025-05-08"),
    ("web_skimming_before_2024", "Rules 7(iii) before 2024-04-01: 個人データ only",
     {"items": ["person_name", "credit_card"], "people_confirmed": 80, "is_personal_data": False,
      "intended_for_database": True, "malicious": True, "knew_at": "2023-06-01"},
     False, set(), {"not_personal_data"}, None),
    ("input_form_not_yet_data_misdelivery", "GL 2-6: not 個人データ before entry",
     {"items": ["person_name", "health"], "people_confirmed": 3, "is_personal_data": False,
      "cause": "misdelivery"}, False, set(), {"not_personal_data"}, None),
    # --- trigger 4: over 1,000 -----------------------------------------------------------------
    ("exactly_1000_people", "Rules 7(iv): 千人を超える — 1,000 does not trigger",
     {"items": BASIC, "people_confirmed": 1000, "cause": "misconfiguration"},
     False, set(), set(), None),
    ("exactly_1001_people", "GL 3-5-3-1(4) 事例: mis-setting exposes > 1,000 people",
     {"items": BASIC, "people_confirmed": 1001, "cause": "misconfiguration", "knew_at": KNEW},
     True, {"over_1000"}, set(), "2026-12-23"),
    ("upper_bound_over_1000", "GL 3-5-3-1(4): if not fixed, the maximum possible number",
     {"items": BASIC, "people_confirmed": 200, "people_estimated": 5000,
      "people_is_upper_bound": True, "cause": "misconfiguration"},
     True, {"over_1000"}, set(), None),
    ("estimate_500_upper_bound_unknown", "GL 3-5-3-1(4): maximum not known → 要確認, not 非該当",
     {"items": BASIC, "people_estimated": 500, "cause": "misconfiguration"},
     None, set(), set(), None),
    ("estimate_500_is_the_upper_bound", "GL 3-5-3-1(4): the maximum possible is 500",
     {"items": BASIC, "people_estimated": 500, "people_is_upper_bound": True,
      "cause": "misconfiguration"}, False, set(), set(), None),
    ("people_unknown", "GL 3-5-3-1(4): the count decides; unknown → 要確認",
     {"items": BASIC, "cause": "misconfiguration"}, None, set(), set(), None),
    # --- exceptions ----------------------------------------------------------------------------
    ("advanced_encryption_key_safe", "Rules 7(i) 括弧書き; Q&A 6-19",
     {"items": ["person_name", "health"], "people_confirmed": 2000, "cause": "lost_device",
      "encryption": "advanced", "key_leaked": False}, False, set(), {"advanced_encryption"}, None),
    ("advanced_encryption_key_leaked", "Q&A 6-19: key must be managed and not leak",
     {"items": ["person_name", "health"], "people_confirmed": 20, "cause": "lost_device",
      "encryption": "advanced", "key_leaked": True}, True, {"sensitive"}, set(), None),
    ("password_zip_is_not_advanced", "appi.md §2.3 (inferred; [TAKUMI])",
     {"items": ["person_name", "health"], "people_confirmed": 20, "cause": "misdelivery",
      "encryption": "weak"}, True, {"sensitive"}, set(), None),
    ("advanced_encryption_key_unknown", "cautious: exception not applied until the key is known",
     {"items": ["person_name", "health"], "people_confirmed": 20, "cause": "lost_device",
      "encryption": "advanced"}, True, {"sensitive"}, set(), None),
    ("misdelivered_mail_deleted_unread", "Q6-1 via [BLOG-W]: deleted unread → no leak",
     {"items": ["person_name", "health"], "people_confirmed": 1, "cause": "misdelivery",
      "recovered_before_viewed": True}, False, set(), {"no_incident"}, None),
    ("exposure_logs_show_nobody_viewed", "GL ※2: logs confirm nobody viewed it",
     {"items": BASIC, "people_confirmed": 4000, "cause": "misconfiguration",
      "recovered_before_viewed": True}, False, set(), {"no_incident"}, None),
    ("intentional_provision", "GL 3-5-1-2: intentional provision is not 漏えい",
     {"items": BASIC, "people_confirmed": 5000, "intentional_provision": True},
     False, set(), {"no_incident"}, None),
    ("pseudonymized_data", "APPI Art. 41(9)",
     {"items": ["health"], "people_confirmed": 5000, "pseudonymized": True,
      "cause": "unauthorized_access"}, False, set(), {"pseudonymized"}, None),
    ("processor_notified_controller", "Art. 26(1) ただし書; Rules 9; GL 3-5-3-5",
     {"items": ["person_name", "health"], "people_confirmed": 30, "cause": "misdelivery",
      "role": "processor", "notified_principal": True},
     False, set(), {"processor_notified"}, None),
    ("processor_not_yet_notified", "GL 3-5-3-5: still liable until it notifies",
     {"items": ["person_name", "health"], "people_confirmed": 30, "cause": "misdelivery",
      "role": "processor", "notified_principal": False}, True, {"sensitive"}, set(), None),
    ("vendor_leak_controller_reports", "GL 3-5-3-2: attack on the 委託先 counts for the 委託元",
     {"items": BASIC, "people_confirmed": 600, "cause": "unauthorized_access",
      "vendor_involved": True, "role": "controller", "knew_at": KNEW},
     True, {"malicious"}, set(), "2027-01-22"),
    # --- deadlines of appi.md §3 ---------------------------------------------------------------
    ("deadline_rolls_over_year_end", "appi.md §3: day 30 = 2026-12-31 → 2027-01-04",
     {"items": ["health"], "people_confirmed": 1, "cause": "misdelivery",
      "knew_at": "2026-12-02"}, True, {"sensitive"}, set(), "2027-01-04"),
    ("deadline_closure_sunday", "appi.md §3: day 30 = 2027-01-03 → 2027-01-04",
     {"items": ["health"], "people_confirmed": 1, "cause": "misdelivery",
      "knew_at": "2026-12-05T15:30:00+09:00"}, True, {"sensitive"}, set(), "2027-01-04"),
    ("deadline_national_holiday", "appi.md §3: day 30 = 建国記念の日 → 2027-02-12",
     {"items": ["health"], "people_confirmed": 1, "cause": "misdelivery",
      "knew_at": "2027-01-13"}, True, {"sensitive"}, set(), "2027-02-12"),
    ("deadline_60_days_weekend", "appi.md §3: day 60 = 2027-02-28 (Sun) → 2027-03-01",
     {"items": BASIC, "people_confirmed": 10, "cause": "unauthorized_access",
      "knew_at": "2026-12-31"}, True, {"malicious"}, set(), "2027-03-01"),
    ("deadline_utc_time_is_read_in_jst", "GL: a Japanese business's day; 23:30 UTC = next day JST",
     {"items": ["health"], "people_confirmed": 1, "cause": "misdelivery",
      "knew_at": "2026-11-23T23:30:00+00:00"}, True, {"sensitive"}, set(), "2026-12-23"),
]


@pytest.mark.parametrize(
    "facts,report,triggers,exceptions,due",
    [pytest.param(f, r, t, e, d, id=name) for name, _source, f, r, t, e, d in CASES])
def test_assess_guideline_case_gives_the_guideline_answer(facts, report, triggers, exceptions,
                                                          due):
    result = assess(parse_facts(facts), today=dt.date(2026, 11, 24))
    assert result.report_required is report
    assert result.notify_required is report
    assert set(result.triggers) == triggers
    assert set(result.appi.exceptions) == exceptions
    if due is not None:
        assert result.final_report_due == dt.date.fromisoformat(due)


def test_cases_are_at_least_thirty_and_each_cites_a_source():
    assert len(CASES) >= 30
    assert all(source.strip() for _, source, *_ in CASES)
    assert len({name for name, *_ in CASES}) == len(CASES)
