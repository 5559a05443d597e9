"""Finds the rule modules of a regime by folder and runs the ones in force on a given day."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from functools import cache
from types import ModuleType

from rouei.domain.facts import Facts
from rouei.domain.rules.base import Finding, Rule

REGIMES = ("appi", "my_number")


@cache
def rule_modules(regime: str) -> tuple[ModuleType, ...]:
    package = importlib.import_module(f"rouei.domain.rules.{regime}")
    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for info in pkgutil.iter_modules(package.__path__)]
    return tuple(sorted(modules, key=lambda m: m.__name__))


def rules_in_force(regime: str, day: dt.date) -> tuple[ModuleType, ...]:
    return tuple(m for m in rule_modules(regime) if m.RULE.in_force_on(day))


def run(regime: str, facts: Facts, day: dt.date) -> list[Finding]:
    """Every rule of the regime in force on ``day``, evaluated; none stops the others."""
    return [module.evaluate(facts) for module in rules_in_force(regime, day)]


def rules_of(regime: str, day: dt.date) -> dict[str, Rule]:
    """The rules in force on ``day`` by id (what each trigger is called, its order, its
    deadline)."""
    return {m.RULE.id: m.RULE for m in rules_in_force(regime, day)}


def find_rule(rule_id: str) -> Rule | None:
    """The newest rule with this id in any regime (``None``: no such rule any more), for
    wording a stored finding."""
    found = [m.RULE for regime in REGIMES for m in rule_modules(regime) if m.RULE.id == rule_id]
    return max(found, key=lambda r: r.in_force_from) if found else None
