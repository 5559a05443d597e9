"""Stale-form edits refused (rouei.core.versioning), on a model that has a ``version``."""

from __future__ import annotations

import pytest

from rouei.core.errors import Conflict
from rouei.core.versioning import save_if_current
from rouei.people.models import NoticeSettings

pytestmark = pytest.mark.django_db


def _stale():
    return Conflict("stale", "stale")


@pytest.fixture
def row(incident):
    return NoticeSettings.objects.create(incident=incident)


@pytest.fixture
def incident(user):
    from rouei.incidents import actions

    return actions.do_create_incident(title="t", summary="", organisation="", facts={},
                                      actor=user)


def test_a_change_bumps_the_version(row):
    save_if_current(row, {"sender_name": "A社"}, expected_version=row.version, stale=_stale)
    assert NoticeSettings.objects.get(pk=row.pk).version == 2


def test_a_stale_form_is_refused(row):
    with pytest.raises(Conflict):
        save_if_current(row, {"sender_name": "A社"}, expected_version=0, stale=_stale)


def test_no_change_saves_nothing(row):
    assert save_if_current(row, {"sender_name": ""}, expected_version=1, stale=_stale) == []


def test_the_changed_names_are_returned(row):
    changed = save_if_current(row, {"sender_name": "A社", "window_name": ""},
                              expected_version=1, stale=_stale)
    assert changed == ["sender_name"]


def test_a_new_row_reports_every_name(incident):
    row = NoticeSettings(incident=incident, version=0)
    changed = save_if_current(row, {"sender_name": ""}, expected_version=None, stale=_stale)
    assert changed == ["sender_name"]
