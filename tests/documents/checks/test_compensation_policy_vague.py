from __future__ import annotations

import datetime as dt

from rouei.documents.checks import Compensation
from rouei.documents.checks import compensation_policy_vague as rule
from tests.documents.checks.conftest import make


def test_fires_for_a_claim_policy_without_scope():
    policy = Compensation("claim", has_scope=False, claim_deadline=dt.date(2027, 3, 31))
    assert "対象者と金額" in rule.check(make(compensation=policy))[0].message


def test_fires_for_a_claim_policy_without_a_deadline():
    policy = Compensation("claim", has_scope=True, claim_deadline=None)
    assert "申請の受付期限" in rule.check(make(compensation=policy))[0].message


def test_fires_for_an_automatic_policy_without_scope():
    assert rule.check(make(compensation=Compensation("automatic", False, None)))


def test_quiet_for_an_automatic_policy_with_scope():
    assert rule.check(make(compensation=Compensation("automatic", True, None))) == []


def test_quiet_for_a_complete_claim_policy():
    policy = Compensation("claim", True, dt.date(2027, 3, 31))
    assert rule.check(make(compensation=policy)) == []


def test_quiet_when_no_compensation_is_decided():
    # "No compensation" is a normal, explainable choice (notices-and-victims.md §5).
    assert rule.check(make(compensation=Compensation("none", False, None))) == []
