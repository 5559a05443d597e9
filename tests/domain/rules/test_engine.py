"""Meta-tests: every rule module is found by folder, cites its law, is versioned and tested."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rouei.domain.rules import engine
from rouei.domain.rules.base import Finding, Status

ALL = [m for regime in engine.REGIMES for m in engine.rule_modules(regime)]
TESTS = "\n".join(p.read_text(encoding="utf-8")
                  for p in Path(__file__).parents[1].rglob("test_*.py"))


@pytest.mark.parametrize("module", ALL, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_rule_module_has_rule_evaluate_and_cited_docstring(module):
    assert module.RULE.kind in {"trigger", "exception"}
    assert callable(module.evaluate)
    doc = module.__doc__ or ""
    assert any(mark in doc for mark in ("Art.", "条", "GL", "Q&A")), "docstring cites no source"
    assert module.CITATION


@pytest.mark.parametrize("module", ALL, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_rule_id_is_exercised_by_a_test(module):
    assert f'"{module.RULE.id}"' in TESTS or f"'{module.RULE.id}'" in TESTS


@pytest.mark.parametrize("regime", engine.REGIMES)
def test_rule_versions_never_overlap(regime):
    day = dt.date(2022, 4, 1)
    while day <= dt.date(2027, 12, 31):
        ids = [m.RULE.id for m in engine.rules_in_force(regime, day)]
        assert len(ids) == len(set(ids)), f"two versions of one rule in force on {day}"
        day += dt.timedelta(days=30)


def test_not_personal_data_version_changes_on_2024_04_01():
    before = {m.__name__ for m in engine.rules_in_force("appi", dt.date(2024, 3, 31))}
    after = {m.__name__ for m in engine.rules_in_force("appi", dt.date(2024, 4, 1))}
    assert before ^ after == {"rouei.domain.rules.appi.not_personal_data_2022",
                              "rouei.domain.rules.appi.not_personal_data"}


def test_no_rules_in_force_before_the_2022_duty():
    assert engine.rules_in_force("appi", dt.date(2022, 3, 31)) == ()


def test_findings_serialise_with_label_text_and_citation():
    from rouei.domain.facts import parse_facts

    for finding in engine.run("appi", parse_facts({}), dt.date(2026, 11, 24)):
        assert isinstance(finding, Finding) and isinstance(finding.status, Status)
        data = finding.to_dict("en")
        assert data["label"] and data["text"] and data["citation"]


@pytest.mark.parametrize("module", ALL, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_rule_has_a_docs_entry(module):
    docs = (Path(__file__).parents[3] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert f"`{module.RULE.id}`" in docs


# --- a new trigger rule takes part in the decision (no hard-coded list of ids) -----------------

NOT_REPORTABLE = {"items": ["person_name", "email"], "people_confirmed": 10,
                  "people_is_upper_bound": True, "cause": "misdelivery", "malicious": False,
                  "knew_at": "2026-11-24"}


def _assess(new_trigger_rule, **extra):
    from rouei.domain.assessment import assess
    from rouei.domain.facts import parse_facts

    return assess(parse_facts({**NOT_REPORTABLE, **extra}), today=dt.date(2026, 11, 24))


def test_new_trigger_rule_firing_makes_the_report_required(new_trigger_rule):
    assert _assess(new_trigger_rule, publicly_viewable=True).report_required is True


def test_new_trigger_rule_firing_is_listed_as_a_trigger(new_trigger_rule):
    assert _assess(new_trigger_rule, publicly_viewable=True).triggers == (new_trigger_rule,)


def test_new_trigger_rule_firing_gives_its_reason_and_citation(new_trigger_rule):
    reasons = {r.code: r for r in _assess(new_trigger_rule, publicly_viewable=True).appi.reasons}
    assert (reasons[new_trigger_rule].text.ja, reasons[new_trigger_rule].citation) == (
        "掲示板に掲載されました", "試験用規則9条")


def test_new_trigger_rule_label_is_in_the_details_after_the_laws_triggers(new_trigger_rule):
    details = _assess(new_trigger_rule, publicly_viewable=True).to_dict("en")["trigger_details"]
    assert [d["label"] for d in details][-1] == "Posted on a board (test rule)"


def test_new_trigger_rule_not_firing_leaves_no_duty(new_trigger_rule):
    assert _assess(new_trigger_rule, publicly_viewable=False).report_required is False


def test_new_trigger_rule_not_firing_is_shown_as_not_applying(new_trigger_rule):
    details = _assess(new_trigger_rule, publicly_viewable=False).to_dict("ja")["trigger_details"]
    assert {d["id"]: d["status"] for d in details}[new_trigger_rule] == "no"


def test_new_trigger_rule_is_gone_when_its_module_is_gone():
    from rouei.domain.assessment import assess
    from rouei.domain.facts import parse_facts

    result = assess(parse_facts({**NOT_REPORTABLE, "publicly_viewable": True}),
                    today=dt.date(2026, 11, 24))
    assert result.report_required is False
