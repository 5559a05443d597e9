"""record_view: one ``<what>.view`` event in the chain, in its own transaction."""

from __future__ import annotations

import pytest

from rouei.core.audit import record_view, verify_chain
from rouei.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_view_appends_one_view_event(user):
    event = record_view(actor=user, what="audit", incident_id=7, details={"page": 2})
    assert (event.action, event.actor, event.incident_id) == ("audit.view", user, 7)
    assert event.details == {"page": 2} and event.before_digest == event.after_digest == ""
    assert AuditEvent.objects.count() == 1 and verify_chain() is None


def test_record_view_names_the_object(user):
    event = record_view(actor=user, what="profile", obj=user)
    assert event.object_type == "auth.user" and event.object_id == str(user.pk)
