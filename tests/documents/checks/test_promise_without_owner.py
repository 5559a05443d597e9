from __future__ import annotations

import datetime as dt

from rouei.documents.checks import Promise
from rouei.documents.checks import promise_without_owner as rule
from tests.documents.checks.conftest import TODAY, make

DUE = TODAY + dt.timedelta(days=7)


def test_fires_for_a_promise_without_owner():
    found = rule.check(make(promises=(Promise("アクセス制御の見直し", "prevention", False, DUE),)))
    assert found[0].details["without_owner"] == 1


def test_fires_for_a_promise_without_due_date():
    found = rule.check(make(promises=(Promise("アクセス制御の見直し", "prevention", True, None),)))
    assert found[0].details["without_due_date"] == 1


def test_names_the_promise():
    found = rule.check(make(promises=(Promise("専用窓口の開設", "response", False, DUE),)))
    assert "専用窓口の開設" in found[0].message


def test_fires_for_a_measure_of_the_prevention_plan():
    assert rule.check(make(promises=(Promise("研修", "measure", False, DUE),)))


def test_quiet_when_every_promise_has_owner_and_date():
    assert rule.check(make(promises=(Promise("専用窓口の開設", "response", True, DUE),))) == []
