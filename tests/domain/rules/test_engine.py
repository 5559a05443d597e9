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
