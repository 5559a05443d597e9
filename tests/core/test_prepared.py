"""The statements every view asks are prepared once per connection on PostgreSQL
(rouei.core.prepared), and can be turned off for a pooler that cannot keep them."""

from __future__ import annotations

import pytest
from django.db import connection

from rouei.config import env
from rouei.core import prepared

POSTGRES = "postgres://postgres@127.0.0.1:5432/rouei"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
@pytest.mark.django_db
def test_a_statement_asked_twice_is_prepared_on_its_connection():
    for _ in range(2):
        with prepared.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM incidents_incident WHERE id = %s", [1])
    assert "SELECT COUNT(*) FROM incidents_incident WHERE id = $1" in _prepared_statements()


@pytest.mark.django_db
def test_a_prepared_cursor_answers_as_djangos_would():
    with prepared.cursor() as cursor:
        cursor.execute("SELECT %s + %s", [40, 2])
        assert cursor.fetchone() == (42,)


def test_statements_are_prepared_on_their_second_use_by_default():
    database = env.databases({"DATABASE_URL": POSTGRES}, None)["default"]
    assert database["OPTIONS"]["prepare_threshold"] == 1


def test_a_pooler_can_turn_prepared_statements_off():
    database = env.databases({"DATABASE_URL": POSTGRES, "ROUEI_DB_PREPARED": "0"},
                             None)["default"]
    assert database["OPTIONS"]["prepare_threshold"] is None


@pytest.mark.django_db
def test_a_prepared_statement_is_logged_with_its_text():
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            with prepared.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM incidents_incident WHERE id = %s", [7])
    assert None not in [query["sql"] for query in captured.captured_queries]
