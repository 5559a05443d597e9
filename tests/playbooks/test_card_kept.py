"""The open-tasks card is kept as HTML between views (``Card.key``): it never shows a task as
it was before a change, and its forms carry the token of the view that shows them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from rouei.core.fingerprints import CSRF_PLACEHOLDER
from rouei.playbooks import actions
from rouei.playbooks.models import Playbook
from rouei.playbooks.scheduling import proposed_templates


def _page(client, incident) -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()


def _tasks_card(page: str) -> str:
    return page[page.index('id="tasks"'):page.index("</section>", page.index('id="tasks"'))]


def _open_count(page: str) -> int:
    return int(re.search(r'class="task-count">(\d+)<', _tasks_card(page)).group(1))


def test_a_task_completed_after_the_card_was_kept_leaves_it(logged_in_client, access_incident,
                                                           user):
    before = _open_count(_page(logged_in_client, access_incident))
    task = access_incident.tasks.filter(status="todo").first()
    actions.do_complete_task(task, actor=user)
    assert _open_count(_page(logged_in_client, access_incident)) == before - 1


def test_a_task_given_an_owner_after_the_card_was_kept_shows_the_owner(
        logged_in_client, access_incident, user, make_user):
    from rouei.incidents.actions import do_add_member

    other = make_user("sato-legal")
    do_add_member(access_incident, other, "legal", actor=user)
    _page(logged_in_client, access_incident)
    task = access_incident.tasks.filter(status="todo", role="legal").first()
    actions.do_update_task(task, owner=other, actor=user)
    assert "sato-legal" in _tasks_card(_page(logged_in_client, access_incident))


def test_a_task_owner_renamed_after_the_card_was_kept_shows_the_new_name(
        logged_in_client, access_incident, user, make_user):
    from rouei.incidents.actions import do_add_member

    other = make_user("sato-legal")
    do_add_member(access_incident, other, "legal", actor=user)
    task = access_incident.tasks.filter(status="todo", role="legal").first()
    actions.do_update_task(task, owner=other, actor=user)
    _page(logged_in_client, access_incident)
    other.username = "sato-renamed"
    other.save()
    assert "sato-renamed" in _tasks_card(_page(logged_in_client, access_incident))


def test_a_playbook_edit_after_the_card_was_kept_shows_in_the_proposals(
        logged_in_client, access_incident, user):
    access_incident.tasks.filter(key="final_report").delete()
    assert 'data-key="final_report"' in _page(logged_in_client, access_incident)
    playbook = Playbook.objects.get(pk=proposed_templates(access_incident)[0].playbook_id)
    rows = [{"id": t.pk, "key": t.key, "title": t.title + "（改）" if t.key == "final_report"
             else t.title} for t in playbook.templates.all()]
    user.is_superuser = True
    user.save()
    actions.do_save_playbook(playbook, fields={}, templates=rows, actor=user)
    assert "（改）" in _tasks_card(_page(logged_in_client, access_incident))


def test_a_task_template_changed_alone_after_the_card_was_kept_shows_in_the_proposals(
        logged_in_client, access_incident):
    """A template saved without its playbook (a data migration, the shell)."""
    access_incident.tasks.filter(key="final_report").delete()
    _page(logged_in_client, access_incident)
    template = next(t for t in proposed_templates(access_incident) if t.key == "final_report")
    template.title += "（改）"
    template.save()
    assert "（改）" in _tasks_card(_page(logged_in_client, access_incident))


def test_the_kept_card_carries_no_placeholder(logged_in_client, access_incident):
    _page(logged_in_client, access_incident)
    assert CSRF_PLACEHOLDER not in _page(logged_in_client, access_incident)


@pytest.mark.parametrize("views", [1, 2])
def test_a_form_of_the_kept_card_is_accepted_with_its_token(access_incident, user, views):
    """The first view builds the card, the second takes it from memory: both forms post."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for _ in range(views):
        card = _tasks_card(_page(client, access_incident))
    form = re.search(r'<form method="post" action="([^"]+)" class="complete-form">'
                     r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">', card)
    response = client.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)})
    assert response.status_code == 302


def test_a_viewer_after_a_lead_sees_no_complete_button(logged_in_client, access_incident,
                                                      member, client):
    _page(logged_in_client, access_incident)  # kept with the lead's buttons
    viewer = member(access_incident, "viewer")
    client.force_login(viewer)
    assert "complete-form" not in _tasks_card(_page(client, access_incident))


def test_the_card_in_english_after_japanese(logged_in_client, access_incident, settings):
    _page(logged_in_client, access_incident)
    logged_in_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Open tasks" in _tasks_card(_page(logged_in_client, access_incident))
