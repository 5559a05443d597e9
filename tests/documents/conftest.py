"""The demo incident (rouei/demo), built through the audited actions as `rouei demo` does."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(db):
    from rouei.cli.web_commands import prepare_demo
    from rouei.incidents.models import Incident

    return Incident.objects.get(pk=prepare_demo()["incident_id"])
