"""The documents card remembers its summary per incident, and builds again on any change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rouei.documents import cards
from rouei.incidents import actions


@pytest.fixture(autouse=True)
def _forget():
    cards._memory.clear()
    yield
    cards._memory.clear()


def _page(client, incident) -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()


def test_the_card_builds_the_report_once_for_two_views(logged_in_client, incident,
                                                      monkeypatch):
    built = []
    real = cards._summary
    monkeypatch.setattr(cards, "_summary", lambda i: built.append(i.pk) or real(i))
    _page(logged_in_client, incident)
    _page(logged_in_client, incident)
    assert built == [incident.pk]


def test_the_card_shows_the_next_stage_after_a_report_is_filed(logged_in_client, incident,
                                                              user):
    _page(logged_in_client, incident)  # remembered at the 速報 stage
    actions.do_record_filed_report(incident, kind="preliminary",
                                   filed_at=dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC),
                                   channel="ppc_form", filed_by=user, actor=user)
    assert "?stage=final" in _page(logged_in_client, incident)


def test_the_card_builds_again_after_a_timeline_entry_is_added(logged_in_client, incident,
                                                              user, monkeypatch):
    _page(logged_in_client, incident)
    built = []
    real = cards._summary
    monkeypatch.setattr(cards, "_summary", lambda i: built.append(i.pk) or real(i))
    actions.do_add_timeline_event(incident, kind="action",
                                  at=dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC),
                                  text="外部から指摘を受け公開設定を停止", actor=user)
    _page(logged_in_client, incident)
    assert built == [incident.pk]


def test_the_remembered_summary_holds_no_value_of_the_report(demo):
    summary = cards.documents(None, demo)
    assert summary["changes"]["fields"]
    assert all(isinstance(f, str) and "." in f for f in summary["changes"]["fields"])


def test_the_card_shows_a_notice_published_after_it_was_remembered(logged_in_client, incident,
                                                                   user):
    from rouei.documents.actions import do_publish_notice
    from rouei.people.actions import do_update_notice_settings

    do_update_notice_settings(user, incident, {"window_phone": "0120-000-000",
                                               "window_hours": "平日 9:00〜18:00"})
    _page(logged_in_client, incident)  # remembered with nothing published
    do_publish_notice(incident, actor=user)
    assert "第一報" in _page(logged_in_client, incident)


def test_the_card_builds_again_after_a_measure_is_added(logged_in_client, incident, user,
                                                        monkeypatch):
    from rouei.prevention.actions import do_add_measure

    built = []
    real = cards._summary
    monkeypatch.setattr(cards, "_summary", lambda i: built.append(i.pk) or real(i))
    _page(logged_in_client, incident)
    do_add_measure(incident, group="technical", title="多要素認証の導入", actor=user)
    _page(logged_in_client, incident)
    assert built == [incident.pk, incident.pk]


def test_the_mistake_check_warns_of_a_policy_saved_after_it_was_kept(logged_in_client,
                                                                     incident, user):
    from rouei.people.actions import do_save_compensation_policy

    _page(logged_in_client, incident)  # kept without the warning
    do_save_compensation_policy(user, incident, mode="claim")
    assert 'data-code="check.compensation_policy_vague"' in _page(logged_in_client, incident)


def test_the_mistake_check_is_not_built_again_for_a_second_view(logged_in_client, incident,
                                                               monkeypatch):
    from rouei.documents import services

    built = []
    real = services.check
    monkeypatch.setattr(services, "check", lambda i, **kw: built.append(i.pk) or real(i, **kw))
    _page(logged_in_client, incident)
    _page(logged_in_client, incident)
    assert built == [incident.pk]


def test_the_mistake_check_sees_a_promise_written_into_the_draft_after_it_was_kept(
        logged_in_client, incident, user):
    from rouei.documents.actions import do_save_notice_draft

    _page(logged_in_client, incident)  # kept with no promise in any text
    do_save_notice_draft(incident, sections={
        "requests": "対象のお客様には、お詫びの品として500円分のQUOカードをお送りいたします。"},
        actor=user)
    assert 'data-code="check.notice_promise_uncarried"' in _page(logged_in_client, incident)
