"""The API look-up's database round trips: the registry's key rules read in the search's own
message (no round trip of their own), afresh on every look-up, so that a re-index by another
process is seen at once; the answers, the audit and the stale-keys warning as before."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rouei.api.actions import do_create_api_token
from rouei.core.models import AuditEvent
from rouei.people import actions, maintenance
from rouei.people.models import Person, RegistryKeyRules
from rouei.people.registry import FIRST_LOOKUP_RULES_VERSION

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="round trips are PostgreSQL's")


@pytest.fixture
def registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    return {p.record().name: p for p in Person.objects.all()}


@pytest.fixture
def look_up(client, user, incident):
    token = do_create_api_token(user, name="cti", actor=user).secret
    path = f"/api/v1/incidents/{incident.pk}/people/lookup"

    def ask(**given):
        return client.post(path, data=json.dumps(given), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    return ask


def _stale(incident):
    RegistryKeyRules.objects.filter(incident=incident).update(version=FIRST_LOOKUP_RULES_VERSION)


@postgresql_only
@pytest.mark.django_db(transaction=True)  # the audited read outside a test's transaction
def test_an_api_look_up_takes_four_round_trips(look_up, registry):
    """The token, the membership, the search (with the audit head and the key rules) and the
    audited read: the key rules no longer take a round trip of their own."""
    look_up(phone="09012345678")  # the token's first use and the connection
    with CaptureQueriesContext(connection) as captured:
        look_up(phone="09012345678")
    assert len(captured.captured_queries) == 4


@postgresql_only
def test_the_key_rules_are_read_in_the_search_message(look_up, registry):
    with CaptureQueriesContext(connection) as captured:
        look_up(phone="09012345678")
    search = [q["sql"] for q in captured.captured_queries if "people_personkey" in q["sql"]]
    assert "people_registrykeyrules" in search[0]


def test_a_reindex_is_seen_by_the_next_look_up(look_up, incident, registry):
    """No copy of the rules is kept between look-ups: a re-index (the CLI, another process)
    ends the warning for the very next one."""
    _stale(incident)
    look_up(phone="09012345678")
    maintenance.reindex_all()
    assert look_up(phone="09012345678")["X-Rouei-Keys-Stale"] == "false"


def test_keys_built_under_older_rules_are_still_reported_stale(look_up, incident, registry):
    look_up(phone="09012345678")  # current first: a process's earlier answer does not stick
    _stale(incident)
    assert look_up(phone="09012345678")["X-Rouei-Keys-Stale"] == "true"


def test_an_empty_answer_reads_the_rules_too(look_up, incident, registry):
    _stale(incident)
    assert look_up(phone="0311112222")["X-Rouei-Keys-Stale"] == "true"


def test_a_match_is_the_person(look_up, registry):
    ref = registry["山田 太郎"].record().ref
    assert [m["ref"] for m in look_up(phone="０９０－１２３４－５６７８").json()] == [ref]


def test_every_api_look_up_is_audited(look_up, registry):
    before = AuditEvent.objects.filter(action="people.lookup.view").count()
    look_up(phone="09012345678")
    look_up(email="nobody@example.jp")
    assert AuditEvent.objects.filter(action="people.lookup.view").count() == before + 2


def test_the_staleness_comes_with_the_matches(incident, user, registry):
    _stale(incident)
    matches, stale = actions.do_lookup_with_staleness(user, incident, phone="09012345678")
    assert (len(matches), stale) == (1, True)
