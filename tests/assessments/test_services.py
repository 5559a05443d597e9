"""evaluate(): the domain's three answers, shaped for a page."""

from __future__ import annotations

import datetime as dt

from rouei.assessments.services import evaluate
from rouei.demo import demo_facts
from rouei.domain.facts import parse_facts


def test_evaluate_health_leak_final_report_due_with_wareki():
    facts = parse_facts({"items": ["person_name", "health"], "people_confirmed": 5,
                         "knew_at": "2026-11-24", "cause": "misdelivery"})
    view = evaluate(facts, today=dt.date(2026, 11, 24)).view("ja")
    result = view["assessment"]
    assert result["report_required"] is True
    assert result["triggers"] == ["sensitive"]
    assert result["final_due"].text == "2026年12月23日（水）"
    assert result["final_due"].wareki == "令和8年12月23日（水）"
    assert result["final_due"].days_left == 29


def test_evaluate_demo_incident_is_reportable_with_60_day_deadline():
    view = evaluate(demo_facts(), today=dt.date(2026, 11, 24)).view("en")
    result = view["assessment"]
    assert result["report_required"] is True
    assert set(result["triggers"]) >= {"financial", "malicious", "over_1000"}
    assert result["final_report_days"] == 60
    assert view["estimate"]["people"] == 12000
    assert set(view["exposure"]) >= {"administrative", "civil", "criminal", "social"}


def test_evaluate_to_dict_is_json_ready():
    import json

    facts = parse_facts({"items": ["my_number"], "people_confirmed": 150,
                         "knew_at": "2026-11-24"})
    data = evaluate(facts).to_dict("ja")
    json.dumps(data, ensure_ascii=False)
    assert data["assessment"]["my_number_act"] is not None
