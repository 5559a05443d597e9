"""Migrations 0002–0003: stored assessments move from two rendered copies (ja, en) into one
language-neutral record, and back when undone."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import given, settings

from rouei.domain.assessment import Assessment, assess
from rouei.domain.facts import parse_facts
from tests.domain.test_assessment_properties import facts

move = importlib.import_module("rouei.incidents.migrations.0002_assessment_record")

TODAY = dt.date(2026, 11, 24)
PAYROLL_ATTACK = {"items": ["person_name", "my_number", "health"], "people_estimated": 300,
                  "cause": "unauthorized_access", "knew_at": "2026-11-24T10:00:00+09:00"}
BEFORE = [("incidents", "0001_initial")]
AFTER = [("incidents", "0003_drop_assessment_copies")]


@settings(max_examples=150, deadline=None)
@given(facts())
def test_record_from_old_copies_reads_back_as_the_same_words(f):
    a = assess(f, today=TODAY)
    record = move.record_from_copies(a.to_dict("ja"), a.to_dict("en"), a.facts.to_dict())
    back = Assessment.from_record(record)
    assert [back.to_dict(lang) for lang in ("ja", "en")] == [a.to_dict(lang)
                                                               for lang in ("ja", "en")]


@settings(max_examples=150, deadline=None)
@given(facts())
def test_copies_from_a_record_are_the_old_copies(f):
    a = assess(f, today=TODAY)
    assert [move.copy_from_record(a.to_record(), lang) for lang in ("ja", "en")] == [
        a.to_dict(lang) for lang in ("ja", "en")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_snapshot(django_user_model):
    """A snapshot stored the old way (schema at 0001); the schema is back at the latest after."""
    apps = _migrate(BEFORE)
    author = django_user_model.objects.create_user(username="sato", password="x")
    Incident = apps.get_model("incidents", "Incident")
    FactsVersion = apps.get_model("incidents", "FactsVersion")
    Snapshot = apps.get_model("incidents", "AssessmentSnapshot")
    a = assess(parse_facts(PAYROLL_ATTACK), today=TODAY)
    incident = Incident.objects.create(title="x", created_by_id=author.pk)
    version = FactsVersion.objects.create(incident=incident, number=1,
                                          facts=a.facts.to_dict(), author_id=author.pk)
    copies = {"ja": a.to_dict("ja"), "en": a.to_dict("en")}
    snapshot = Snapshot.objects.create(incident=incident, facts_version=version,
                                       result=copies["ja"], result_en=copies["en"],
                                       report_required=True, notify_required=True)
    yield snapshot.pk, copies
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration_moves_old_copies_into_a_record_that_reads_the_same(old_snapshot):
    pk, copies = old_snapshot
    _migrate(AFTER)
    from rouei.incidents.models import AssessmentSnapshot

    assessment = AssessmentSnapshot.objects.get(pk=pk).assessment
    assert {lang: assessment.to_dict(lang) for lang in ("ja", "en")} == copies


@pytest.mark.django_db(transaction=True)
def test_migration_undone_gives_the_old_copies_back(old_snapshot):
    pk, copies = old_snapshot
    _migrate(AFTER)
    apps = _migrate(BEFORE)
    snapshot = apps.get_model("incidents", "AssessmentSnapshot").objects.get(pk=pk)
    assert {"ja": snapshot.result, "en": snapshot.result_en} == copies
