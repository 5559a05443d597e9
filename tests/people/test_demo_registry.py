"""The demo incident (`rouei demo`) has a registry of synthetic people, so that the import's
result, the look-up, the contact window and the claims can be tried at once (issue 12)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from rouei.cli.web_commands import prepare_demo
from rouei.incidents.models import Incident
from rouei.people import actions
from rouei.people.demo import CONFIRMED, POSSIBLE
from rouei.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return Incident.objects.get(pk=prepare_demo()["incident_id"])


def test_the_demo_incident_has_its_synthetic_people(demo):
    scale = settings.ROUEI_DEMO_PEOPLE_SCALE
    # about 2% are registered twice, typed differently: merged into one person each
    assert Person.objects.filter(incident=demo).count() == round(
        CONFIRMED * scale) + round(POSSIBLE * scale)


def test_a_demo_person_is_found_by_the_reference_number(demo):
    person = Person.objects.filter(incident=demo).first()
    lead = demo.created_by
    matches = actions.do_lookup(lead, demo, ref=person.record().ref)
    assert [m["ref"] for m in matches] == [person.record().ref]


def test_the_demo_operator_verifies_a_demo_caller_at_the_window(demo):
    record = Person.objects.filter(incident=demo).first().record()  # every one has a birth date
    operator = get_user_model().objects.get(username="demo-operator")
    answer = actions.do_window_lookup(operator, demo, name=record.name,
                                      birth_date=record.birth_date)
    assert answer.person.record().ref == record.ref
