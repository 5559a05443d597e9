"""The demo incident (rouei/demo), built through the audited actions as `rouei demo` does."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(db):
    from rouei.cli.web_commands import prepare_demo
    from rouei.incidents.models import Incident

    return Incident.objects.get(pk=prepare_demo()["incident_id"])


FACTS_900 = {"items": ["person_name", "email"], "people_confirmed": 900,
             "knew_at": "2026-11-24", "cause": "misconfiguration", "malicious": False}


@pytest.fixture
def incident(user):
    """Led by ``user`` (tanaka): 900 people, names and e-mail addresses, a misconfiguration."""
    from rouei.incidents import actions

    return actions.do_create_incident(title="誤設定による顧客情報の公開", summary="テスト用の事案",
                                      organisation="情報システム部", facts=FACTS_900, actor=user)


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")
