"""The incident page's notes: each version rendered once and kept sealed, never in clear; an
edit is shown at once; the page reads a note's text only for a version it has not rendered."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rouei.evidence import services
from rouei.evidence.actions import do_add_note, do_edit_note

pytestmark = pytest.mark.django_db

SECRET = "山田太郎さんの電話 090-1234-5678"


def _page(client, incident) -> str:
    return client.get(f"/incidents/{incident.pk}/").content.decode()


def test_a_note_is_shown_rendered_on_a_second_view(logged_in_client, incident, user):
    do_add_note(incident, body=f"**{SECRET}**", actor=user)
    _page(logged_in_client, incident)
    assert f"<strong>{SECRET}</strong>" in _page(logged_in_client, incident)


def test_an_edited_note_is_shown_as_edited(logged_in_client, incident, user):
    note = do_add_note(incident, body="最初の版", actor=user)
    _page(logged_in_client, incident)
    do_edit_note(note, body="書き直した版", expected_version=1, actor=user)
    assert "書き直した版" in _page(logged_in_client, incident)


def test_an_edited_note_no_longer_shows_its_old_text(logged_in_client, incident, user):
    note = do_add_note(incident, body="最初の版", actor=user)
    _page(logged_in_client, incident)
    do_edit_note(note, body="書き直した版", expected_version=1, actor=user)
    assert "最初の版" not in _page(logged_in_client, incident)


def test_a_second_view_does_not_read_the_note_text(logged_in_client, incident, user):
    do_add_note(incident, body=SECRET, actor=user)
    _page(logged_in_client, incident)
    with CaptureQueriesContext(connection) as captured:
        _page(logged_in_client, incident)
    assert not [q["sql"] for q in captured.captured_queries
                if '"evidence_note"."body"' in q["sql"]]


def test_the_kept_html_is_not_in_clear(logged_in_client, incident, user):
    do_add_note(incident, body=SECRET, actor=user)
    _page(logged_in_client, incident)
    kept = repr(services._rendered_notes._kept)
    assert "090-1234-5678" not in kept


def test_the_html_is_kept_for_the_note(logged_in_client, incident, user):
    note = do_add_note(incident, body=SECRET, actor=user)
    _page(logged_in_client, incident)
    assert services._rendered_notes.peek(note.pk, (note.version, note.edited_at)) is not None
