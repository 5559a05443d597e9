"""Incidents built through the actions, and users in each role."""

from __future__ import annotations

import pytest

from rouei.incidents import actions
from tests.conftest import PASSWORD

# Reportable only through its people count: 900 people, no other trigger.
FACTS_900 = {"items": ["person_name", "email"], "people_confirmed": 900,
             "knew_at": "2026-11-24", "cause": "misconfiguration", "malicious": False}


@pytest.fixture
def make_user(django_user_model):
    def make(username: str):
        return django_user_model.objects.create_user(username=username, password=PASSWORD)
    return make


@pytest.fixture
def incident(user):
    """Led by ``user`` (tanaka), facts version 1 = FACTS_900."""
    return actions.do_create_incident(title="誤設定による顧客情報の公開", summary="テスト用の事案",
                                      organisation="情報システム部", facts=FACTS_900, actor=user)


@pytest.fixture
def member(incident, user, make_user):
    """``member("viewer")``: a new user with that role on ``incident``."""
    def make(role: str, username: str | None = None):
        other = make_user(username or f"{role}-user")
        actions.do_add_member(incident, other, role, actor=user)
        return other
    return make


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")
