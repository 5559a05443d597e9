"""The facts form: every fact has a field, unknown stays unknown, domain errors land on fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from rouei.assessments.choices import ENUM_LABELS, FACT_LABELS
from rouei.assessments.forms import FACT_TYPES, FactsForm, item_group
from rouei.demo import demo_facts
from rouei.domain.facts import FACT_KEYS, JST
from rouei.domain.items import CATALOGUE


def _form(data):
    form = FactsForm(data)
    form.is_valid()
    return form


def test_form_every_fact_key_has_a_labelled_field():
    form = FactsForm()
    assert set(form.fields) == set(FACT_KEYS)
    assert set(FACT_LABELS) == set(FACT_KEYS)
    for kind in FACT_TYPES.values():
        if kind in ENUM_LABELS:
            assert set(ENUM_LABELS[kind]) == set(kind)


def test_form_every_section_field_is_placed_once():
    placed = [field.name for _, fields in FactsForm().sections() for field in fields]
    assert sorted(placed) == sorted(FACT_KEYS)


def test_form_item_groups_follow_catalogue_flags():
    groups = {item.id: item_group(item) for item in CATALOGUE}
    assert groups["health"] == "sensitive"
    assert groups["credit_card"] == "financial"
    assert groups["my_number"] == "identifier"
    assert groups["person_name"] == "basic"
    choices = dict(FactsForm().fields["items"].choices)
    offered = {item_id for options in choices.values() for item_id, _ in options}
    assert offered == {item.id for item in CATALOGUE}


def test_form_blank_answers_stay_unknown_not_false():
    form = _form({"items": ["person_name"], "malicious": "", "encryption": "",
                  "people_confirmed": ""})
    assert form.is_valid(), form.errors
    assert form.facts.malicious is None
    assert form.facts.encryption is None
    assert form.facts.people_confirmed is None
    assert "malicious" not in form.facts_mapping()


def test_form_unbound_booleans_default_to_unknown():
    html = str(FactsForm()["malicious"])
    assert '<option value="" selected>' in html


def test_form_yes_and_no_are_read_as_booleans():
    form = _form({"malicious": "true", "key_leaked": "false"})
    assert form.is_valid(), form.errors
    assert form.facts.malicious is True
    assert form.facts.key_leaked is False


def test_form_knew_at_date_is_read_as_jst_midnight():
    form = _form({"knew_at": "2026-11-24", "occurred_at": "2026-11-20T09:30"})
    assert form.is_valid(), form.errors
    assert form.facts.knew_at == dt.datetime(2026, 11, 24, tzinfo=JST)
    assert form.facts.occurred_at.astimezone(JST) == dt.datetime(2026, 11, 20, 9, 30, tzinfo=JST)


def test_form_facts_error_lands_on_its_field():
    form = _form({"people_confirmed": "500", "people_estimated": "100",
                  "people_is_upper_bound": "true"})
    assert not form.is_valid()
    assert form.has_error("people_estimated", code="upper_bound_below_confirmed")


def test_form_date_order_error_lands_on_occurred_at():
    form = _form({"knew_at": "2026-11-24", "occurred_at": "2026-11-30T10:00"})
    assert not form.is_valid()
    assert form.has_error("occurred_at", code="date_order")


@pytest.mark.parametrize("lang, text", [("ja", "発生日時"), ("en", "occurred after")])
def test_form_facts_error_is_in_the_active_language(lang, text):
    with translation.override(lang):
        form = _form({"knew_at": "2026-11-24", "occurred_at": "2026-11-30T10:00"})
        assert not form.is_valid()
        assert text in " ".join(form.errors["occurred_at"])


def test_form_rejects_unknown_item_and_bad_number():
    form = _form({"items": ["not_an_item"], "people_confirmed": "many"})
    assert not form.is_valid()
    assert "items" in form.errors
    assert "people_confirmed" in form.errors


def test_form_negative_count_is_a_field_error():
    form = _form({"people_confirmed": "-1"})
    assert not form.is_valid()
    assert "people_confirmed" in form.errors


def test_form_from_demo_facts_round_trips():
    facts = demo_facts()
    initial = FactsForm.from_facts(facts).initial
    form = _form({key: value.isoformat() if isinstance(value, dt.date) else value
                  for key, value in initial.items()})
    assert form.is_valid(), form.errors
    assert form.facts.items == facts.items
    assert form.facts.people_estimated == facts.people_estimated
    assert form.facts.malicious is True
    assert form.facts.key_leaked is None  # unknown in the demo stays unknown
    assert form.facts.knew_date == facts.knew_date
