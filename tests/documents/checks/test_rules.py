"""Meta-test: every check rule is one module with a code, a Japanese and an English title, and a
test file of its own; the runner orders findings by severity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rouei.documents import checks
from tests.documents.checks.conftest import make

TESTS = Path(__file__).parent
MODULES = checks.rule_modules()


def test_rules_are_found_by_folder():
    assert len(MODULES) >= 6


def test_rule_codes_are_unique():
    codes = [m.CODE for m in MODULES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_rule_has_a_code_in_the_check_namespace(module):
    assert module.CODE.startswith("check.")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_rule_has_a_japanese_title(module):
    assert any("\u3040" <= ch <= "\u9fff" for ch in module.TITLE)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_rule_has_an_english_title(module):
    assert module.TITLE_EN.isascii() and module.TITLE_EN


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_rule_has_its_own_test_file(module):
    name = module.__name__.rsplit(".", 1)[-1]
    assert (TESTS / f"test_{name}.py").is_file()


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_rule_is_quiet_on_an_empty_incident(module):
    assert module.check(make(knew_on=None)) == []


def test_findings_come_most_severe_first():
    data = make(knew_on=dt.date(2026, 11, 1), publication_expected=True,
                promises=(checks.Promise("公表", "publication", False, None),))
    assert [f.severity for f in checks.run(data)] == ["high", "low"]


def test_an_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="severity"):
        checks.Finding("check.x", "urgent", "…", "…")
