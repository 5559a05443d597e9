"""Notes are free Markdown that may hold personal data: each page that shows them records one
``notes.view`` (or ``note.view``) audit event, and the incident's audit page shows it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from rouei.evidence import actions

pytestmark = pytest.mark.django_db


def _views(incident, action):
    return AuditEvent.objects.filter(incident_id=incident.pk, action=action)


def test_notes_page_records_one_view_per_page_view(client, incident, user, member):
    note = actions.do_add_note(incident, body="山田様から電話（090-1234-5678）", actor=user)
    viewer = member("viewer")
    client.force_login(viewer)
    url = reverse("evidence:notes", args=[incident.pk])
    client.get(url)
    client.get(url)
    events = list(_views(incident, "notes.view"))
    assert len(events) == 2
    assert events[0].actor == viewer and events[0].details == {"notes": [note.pk]}
    assert "090" not in str(events[0].details)  # codes and ids only
    assert verify_chain() is None


def test_notes_page_without_notes_records_nothing(logged_in_client, incident):
    logged_in_client.get(reverse("evidence:notes", args=[incident.pk]))
    assert not _views(incident, "notes.view").exists()


def test_note_edit_page_records_the_view_of_that_note(logged_in_client, incident, user):
    note = actions.do_add_note(incident, body="メモ", actor=user)
    logged_in_client.get(reverse("evidence:note_edit", args=[incident.pk, note.pk]))
    [event] = _views(incident, "note.view")
    assert event.object_id == str(note.pk) and event.details == {"note_id": note.pk,
                                                                 "version": 1}


def test_incident_page_showing_notes_records_the_view(logged_in_client, incident, user):
    logged_in_client.get(reverse("incidents:detail", args=[incident.pk]))
    assert not _views(incident, "notes.view").exists()  # no notes: nothing sensitive shown
    note = actions.do_add_note(incident, body="メモ", actor=user)
    logged_in_client.get(reverse("incidents:detail", args=[incident.pk]))
    [event] = _views(incident, "notes.view")
    assert event.details == {"notes": [note.pk], "page": "incident"}


def test_views_are_named_on_the_incident_audit_page(logged_in_client, incident, user):
    actions.do_add_note(incident, body="メモ", actor=user)
    logged_in_client.get(reverse("evidence:notes", args=[incident.pk]))
    page = logged_in_client.get(reverse("incidents:audit", args=[incident.pk])).content.decode()
    assert "メモの閲覧" in page and "監査ログの閲覧" in page


def test_incident_page_with_many_notes_records_only_the_three_shown(logged_in_client, incident,
                                                                    user):
    notes = [actions.do_add_note(incident, body=f"メモ{i}", actor=user) for i in range(5)]
    logged_in_client.get(reverse("incidents:detail", args=[incident.pk]))
    [event] = _views(incident, "notes.view")
    assert event.details["notes"] == [n.pk for n in reversed(notes)][:3]


def test_incident_page_with_many_notes_counts_them_all(logged_in_client, incident, user):
    for i in range(5):
        actions.do_add_note(incident, body=f"メモ{i}", actor=user)
    page = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "メモ全5件" in page
