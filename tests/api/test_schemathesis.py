"""Property-based tests from the served OpenAPI document (schemathesis): no request, however
odd, makes the API answer with a server error.

The document is loaded from /api/v1/openapi.json through the WSGI app, and every operation is
called with a valid token of the lead of a seeded incident: valid requests (positive mode, with
the seeded incident's and one of its tasks' ids and, for a facts update, its current version,
so they reach the actions and the domain) and invalid ones (negative mode: wrong types, missing and unknown
fields, ids that are not ids).

Schemathesis's own pytest plugin does not run under pytest 9 (it reads ``node._nodeid``), so
each operation's strategy drives a Hypothesis test here instead.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from rouei.api.v1 import api
from rouei.incidents.models import Incident

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 30  # per operation and mode: the whole run stays well under a minute
OPERATIONS = [(path, method.upper())
              for path, methods in api.get_openapi_schema()["paths"].items()
              for method in methods]


def _wsgi(handler: ClientHandler):
    """A WSGI app over Django's test handler: it runs inside the test's transaction (the plain
    WSGIHandler would close the test's database connection after each request)."""

    def app(environ, start_response):
        response = handler(environ)
        start_response(f"{response.status_code} {response.reason_phrase}",
                       list(response.items()))
        return [response.content]

    return app


@pytest.fixture
def seeded(user, incident, member, token_for):
    member("viewer")  # a second member, so lists and roles have more than one row
    return {"incident": incident, "token": token_for(user)}


@pytest.fixture
def api_schema(seeded):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json",
                                          _wsgi(ClientHandler(enforce_csrf_checks=True)))


def test_openapi_document_lists_every_operation(api_schema):
    served = {(op.ok().path, op.ok().method.upper()) for op in api_schema.get_all_operations()}
    assert served == set(OPERATIONS)
    assert len(served) >= 6


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["positive", "negative"])
@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_operation_never_answers_with_a_server_error(api_schema, seeded, path, method, mode):
    incident = seeded["incident"]
    fixed = None
    if mode is GenerationMode.POSITIVE:
        seeded_ids = {"incident_id": incident.pk, "task_id": incident.tasks.first().pk}
        fixed = {name: value for name, value in seeded_ids.items() if f"{{{name}}}" in path}
    strategy = api_schema[path][method].as_strategy(
        mode, path_parameters=fixed, headers={"Authorization": f"Bearer {seeded['token']}"})

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None)
    def check(case):
        if (mode is GenerationMode.POSITIVE and isinstance(case.body, dict)
                and "expected_version" in case.body):
            case.body["expected_version"] = Incident.objects.get(pk=incident.pk).version
        case.call_and_validate(checks=[not_a_server_error])

    check()
