"""The prevention card is kept as HTML between views (``Card.key``) and never shows the plan
as it was before a measure was added or changed."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from rouei.prevention.actions import do_add_measure, do_update_measure


def _card(client, incident) -> str:
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    start = page.index('id="prevention"')
    return page[start:page.index("</section>", start)]


def test_a_measure_added_after_the_card_was_kept_is_counted(logged_in_client, incident, user):
    _card(logged_in_client, incident)
    do_add_measure(incident, group="technical", title="多要素認証の導入", actor=user)
    assert "1件の措置" in _card(logged_in_client, incident)


def test_a_measure_done_after_the_card_was_kept_is_counted_done(logged_in_client, incident,
                                                                measure, user):
    before = _card(logged_in_client, incident)
    do_update_measure(measure, expected_version=measure.version, status="done",
                      done_on=timezone.localdate(), actor=user)
    assert _card(logged_in_client, incident) != before


def test_a_measure_whose_owner_left_the_incident_after_the_card_was_kept_counts_as_ownerless(
        logged_in_client, incident, user, make_user):
    from rouei.incidents.actions import do_add_member, do_remove_member

    other = make_user("sato-legal")
    membership = do_add_member(incident, other, "legal", actor=user)
    do_add_measure(incident, group="technical", title="多要素認証の導入", owner=other,
                   due_date=timezone.localdate(), actor=user)
    _card(logged_in_client, incident)
    do_remove_member(membership, actor=user)
    assert "担当者・期日なし 1件" in _card(logged_in_client, incident)
