"""The demo's three complaints: recorded once, similar enough to raise the warning."""

from __future__ import annotations

import pytest

from rouei.intake import services
from rouei.intake.demo import load_demo_signals

pytestmark = pytest.mark.django_db


def test_demo_signals_raise_the_warning_and_load_once(user):
    signals = load_demo_signals(user)
    assert len(signals) == 3 and user.has_perm("signals.view_signal")
    [warning] = services.warnings()
    assert sorted(warning.ids) == sorted(s.pk for s in signals)
    assert load_demo_signals(user) == signals


def test_rouei_demo_records_the_complaints_for_the_demo_lead():
    from django.contrib.auth import get_user_model

    from rouei.cli.web_commands import DEMO_USER, prepare_demo
    from rouei.intake.models import Signal

    prepare_demo()
    prepare_demo()
    lead = get_user_model().objects.get(username=DEMO_USER)
    assert Signal.objects.filter(created_by=lead).count() == 3
    assert lead.has_perm("signals.view_signal")
