"""An incident led by ``user`` (tanaka) and a measure on it."""

from __future__ import annotations

import datetime as dt

import pytest

from rouei.incidents import actions
from rouei.prevention.actions import do_add_measure

FACTS = {"items": ["person_name", "email"], "people_confirmed": 900, "knew_at": "2026-11-24",
         "cause": "misconfiguration", "malicious": False}


@pytest.fixture
def incident(user):
    return actions.do_create_incident(title="誤設定による顧客情報の公開", summary="テスト用",
                                      organisation="情報システム部", facts=FACTS, actor=user)


@pytest.fixture
def measure(incident, user):
    return do_add_measure(incident, group="technical", title="管理者アカウントへのMFA導入",
                          kpi="MFA設定率100%", owner=user,
                          due_date=dt.date(2027, 1, 31), actor=user)


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")
