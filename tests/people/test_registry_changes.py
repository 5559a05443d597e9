"""The registry's tables record every write as a change of their incident (rouei.core.changes):
the incident page, which no longer counts the registry on each view, still shows the counts of
the moment after any write, however it was made."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from rouei.core import changes, pagestate
from rouei.incidents import actions as incident_actions
from rouei.incidents.views import SUMMARISED
from rouei.people import actions
from rouei.people.models import Person
from tests.people.conftest import FACTS


def _stamp(incident) -> str:
    with connection.cursor() as cursor:
        cursor.execute(changes.stamp_sql(connection.ops.quote_name), [incident.pk])
        return cursor.fetchone()[0]


def _state(incident) -> tuple:
    return pagestate.state(incident, SUMMARISED)


@pytest.fixture
def registry(user, incident, people_csv):
    actions.do_import_people(user, incident, people_csv())
    return incident


@pytest.fixture
def other(user):
    return incident_actions.do_create_incident(title="別件", summary="", organisation="",
                                               facts=FACTS, actor=user)


def test_an_import_changes_the_stamp(user, incident, people_csv):
    before = _stamp(incident)
    actions.do_import_people(user, incident, people_csv())
    assert _stamp(incident) != before


def test_an_update_without_save_changes_the_state(registry):
    before = _state(registry)
    Person.objects.filter(incident=registry).update(confirmed=False)
    assert _state(registry) != before


def test_a_row_deleted_behind_the_apps_back_changes_the_state(registry):
    before = _state(registry)
    victim = Person.objects.filter(incident=registry).order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{Person._meta.db_table}" WHERE id = %s', [victim.pk])
    assert _state(registry) != before


def test_a_row_added_by_raw_sql_changes_the_state(registry):
    before = _state(registry)
    table = Person._meta.db_table
    columns = [f.column for f in Person._meta.concrete_fields if f.column != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        first = Person.objects.filter(incident=registry).order_by("id").first()
        cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{table}" '
                       "WHERE id = %s", [first.pk])
    assert _state(registry) != before


def test_a_statement_that_writes_no_row_leaves_the_stamp(registry):
    before = _stamp(registry)
    Person.objects.filter(incident=registry, controller="誰も該当しない委託元").update(confirmed=True)
    assert _stamp(registry) == before


def test_a_write_to_another_incidents_registry_leaves_this_stamp(registry, other, user,
                                                                  people_csv):
    before = _stamp(registry)
    actions.do_import_people(user, other, people_csv())
    assert _stamp(registry) == before


def _page(client, incident) -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()


def test_the_kept_card_shows_a_person_deleted_without_save(logged_in_client, registry):
    _page(logged_in_client, registry)  # the body and the card kept: 3 people
    Person.objects.filter(pk=Person.objects.filter(incident=registry).order_by("id")
                          .values("pk")[:1]).delete()
    assert "名簿に 2 人" in _page(logged_in_client, registry)


def test_the_kept_card_shows_people_no_longer_confirmed(logged_in_client, registry):
    _page(logged_in_client, registry)
    Person.objects.filter(incident=registry).update(confirmed=False)
    assert "可能性 3 人" in _page(logged_in_client, registry)
