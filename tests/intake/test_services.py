"""The warning: N similar or linked signals not yet in an incident, N from the setting."""

from __future__ import annotations

import datetime as dt

import pytest

from rouei.intake import actions, services
from rouei.intake.choices import SignalStatus
from tests.intake.conftest import T0

pytestmark = pytest.mark.django_db


def _three(record):
    return [record(received_at=T0 + dt.timedelta(days=d), sender_name=name)
            for d, name in ((0, "株式会社〇〇"), (3, "(株)〇〇"), (5, "〇〇 株式会社"))]


def test_warning_two_similar_signals_below_default_threshold_no_warning(record):
    record(), record(sender_name="㈱〇〇")
    assert services.warnings() == []


def test_warning_three_similar_signals_raise_one_warning(record):
    signals = _three(record)
    record(sender_name="株式会社△△", items=["email"])  # unrelated
    [warning] = services.warnings()
    assert warning.ids == [s.pk for s in signals] and warning.count == 3
    assert services.warning_for(signals[1]).ids == warning.ids


def test_warning_threshold_from_setting(record, settings):
    settings.ROUEI_SIGNAL_WARNING_THRESHOLD = 4
    _three(record)
    assert services.warnings() == []
    record(sender_name="〇〇")
    assert len(services.warnings()) == 1


def test_warning_counts_linked_signals_even_when_not_similar(record, intake):
    a = record(sender_name="", items=["person_name"])
    b = record(sender_name="株式会社△△", items=["email"])
    c = record(sender_name="", items=["phone"])
    assert services.warnings() == []
    actions.do_link_signals(a, [b, c], actor=intake)
    assert len(services.warnings()) == 1


def test_warning_disappears_once_in_an_incident_or_dismissed(record, intake):
    signals = _three(record)
    actions.do_change_signal_status(signals[0], SignalStatus.DISMISSED, reason="無関係",
                                    actor=intake)
    assert services.warnings() == []
    extra = record()
    assert len(services.warnings()) == 1
    actions.do_open_incident([extra], actor=intake)
    assert services.warnings() == []


def test_warning_signals_outside_the_window_do_not_count(record, settings):
    settings.ROUEI_SIGNAL_SIMILARITY_DAYS = 30
    # 40 days apart, all in the past (a receipt cannot lie in the future).
    record(received_at=T0 - dt.timedelta(days=80)), record(received_at=T0 - dt.timedelta(days=40))
    record(received_at=T0)
    assert services.warnings() == []


def test_suggestions_list_similar_unlinked_signals_with_reasons(record, intake):
    a = record()
    b = record(sender_name="(株)〇〇", items=["email"])
    c = record(sender_name="", items=["address", "birth_date"])
    record(sender_name="株式会社△△", items=["email"])
    found = {s.signal.pk: s for s in services.suggestions(a)}
    assert set(found) == {b.pk, c.pk}
    assert found[b.pk].same_sender and found[b.pk].shared_items == []
    assert found[c.pk].shared_items == ["address", "birth_date"]
    actions.do_link_signals(a, [b], actor=intake)
    a.refresh_from_db()
    assert [s.signal.pk for s in services.suggestions(a)] == [c.pk]


def test_masking_keeps_a_hint_never_the_value():
    assert services.masked_name("佐藤 花子") != "佐藤 花子"
    assert services.masked_contact("090-1111-2222") == "090-****-2222"
    assert "1111" not in services.masked_contact("090-1111-2222")
    assert services.masked_text("旧姓で登録") == "＊＊＊＊＊＊"
