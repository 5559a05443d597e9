"""Incidents of each kind (through the actions), members in each role, and the initial
playbooks present even after a transactional test emptied the database."""

from __future__ import annotations

import pytest

from rouei.incidents import actions
from rouei.playbooks import initial
from rouei.playbooks.models import Playbook, TaskTemplate
from tests.incidents.conftest import outsider  # noqa: F401 — shared fixture

KNEW = "2026-11-24"
# Unauthorised access: trigger 3 (unlawful purpose) → 確報 within 60 days: 2027-01-22.
FACTS_ACCESS = {"items": ["person_name", "email"], "people_confirmed": 200, "knew_at": KNEW,
                "cause": "unauthorized_access"}
# A mis-sent e-mail with health data: trigger 1 (要配慮) → 確報 within 30 days: 2026-12-23.
FACTS_MISSENT = {"items": ["person_name", "health"], "people_confirmed": 3, "knew_at": KNEW,
                 "cause": "misdelivery", "malicious": False}


@pytest.fixture(autouse=True)
def _initial_playbooks(request):
    """Migration 0002 loads the playbooks, but a transactional test (the browser's) flushes
    every table when it ends; put them back for the tests that use the database."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    initial.install(Playbook, TaskTemplate)


@pytest.fixture
def open_incident(user):
    """``open_incident(facts, title=…)``: a new incident led by ``user`` (tanaka)."""
    def make(facts: dict | None = None, title: str = "顧客管理システムへの不正アクセス"):
        return actions.do_create_incident(title=title, facts=facts or {}, actor=user)
    return make


@pytest.fixture
def access_incident(open_incident):
    return open_incident(FACTS_ACCESS)


@pytest.fixture
def missent_incident(open_incident):
    return open_incident(FACTS_MISSENT, title="健康診断結果の誤送信")


@pytest.fixture
def member(user, make_user):
    """``member(incident, "viewer")``: a new user with that role on the incident."""
    def make(incident, role: str, username: str | None = None):
        other = make_user(username or f"{role}-user")
        actions.do_add_member(incident, other, role, actor=user)
        return other
    return make
