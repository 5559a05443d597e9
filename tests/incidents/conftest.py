"""Incidents built through the actions, and users in each role."""

from __future__ import annotations

import pytest

from rouei.incidents import actions

# Reportable only through its people count: 900 people, no other trigger.
FACTS_900 = {"items": ["person_name", "email"], "people_confirmed": 900,
             "knew_at": "2026-11-24", "cause": "misconfiguration", "malicious": False}


@pytest.fixture
def incident(user):
    """Led by ``user`` (tanaka), facts version 1 = FACTS_900."""
    return actions.do_create_incident(title="誤設定による顧客情報の公開", summary="テスト用の事案",
                                      organisation="情報システム部", facts=FACTS_900, actor=user)


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")
