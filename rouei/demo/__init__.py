"""The demo incident (synthetic) that `rouei demo` and /assess/?example=demo show."""

from __future__ import annotations

from pathlib import Path

from rouei.domain.facts import Facts, load_facts

DEMO_INCIDENT = Path(__file__).with_name("incident.yaml")


def demo_facts() -> Facts:
    return load_facts(DEMO_INCIDENT)
