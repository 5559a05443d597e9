"""An incident led by ``user`` (tanaka) with 900 people, names and e-mail addresses."""

from __future__ import annotations

import pytest

from rouei.incidents import actions

# JO model: 500 × 2 × 3 × 1 × 1 = 3,000 yen per person; 900 people.
FACTS_900 = {"items": ["person_name", "email"], "people_confirmed": 900,
             "knew_at": "2026-11-24", "cause": "misconfiguration", "malicious": False}


@pytest.fixture
def incident(user):
    return actions.do_create_incident(title="誤設定による顧客情報の公開", summary="",
                                      organisation="", facts=FACTS_900, actor=user)
