"""Requests from individuals (開示等の請求, 法33–35条): received at the window or in writing,
a due date, the verification, the outcome and the reply."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rouei.people import actions
from rouei.people.models import Person, PersonRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())


def test_a_request_gets_rouei_s_target_due_date(incident, user):
    request = actions.do_record_request(user, incident, kind="disclosure", channel="letter",
                                        received_on=dt.date(2026, 12, 1))
    assert request.due_on == dt.date(2026, 12, 15)


def test_an_operator_records_a_caller_s_request_with_the_call(client, incident, member,
                                                              registry):
    client.force_login(member("call_centre"))
    found = client.post(reverse("people:window", args=[incident.pk]),
                        {"action": "lookup", "phone": "09012345678", "name": "山田太郎"})
    client.post(reverse("people:window", args=[incident.pk]), {
        "action": "log", "caller": found.context["caller_token"], "category": "request",
        "request_kind": "stop_use", "answer": "消去を希望"})
    assert PersonRequest.objects.get().person == Person.objects.get(
        pk=found.context["person"].pk)


def test_an_operator_cannot_see_the_list_of_requests(client, incident, member):
    client.force_login(member("call_centre"))
    response = client.get(reverse("people:requests", args=[incident.pk]))
    assert response.status_code == 403


def test_legal_records_the_outcome_and_the_reply(client, incident, member, user):
    request = actions.do_record_request(user, incident, kind="disclosure", channel="letter",
                                        received_on=dt.date(2026, 12, 1))
    client.force_login(member("legal"))
    prefix = f"r{request.pk}"
    client.post(reverse("people:requests", args=[incident.pk]), {
        "action": "update", "request": request.pk, f"{prefix}-status": "answered",
        f"{prefix}-identity_method": "運転免許証の写し", f"{prefix}-outcome": "開示した",
        f"{prefix}-replied_on": "2026-12-05", f"{prefix}-expected_version": 1})
    request.refresh_from_db()
    assert request.status == "answered"


def test_a_stale_update_is_refused(incident, user):
    request = actions.do_record_request(user, incident, kind="disclosure", channel="letter",
                                        received_on=dt.date(2026, 12, 1))
    actions.do_update_request(user, request, expected_version=1, status="verified")
    from rouei.core.errors import Conflict

    with pytest.raises(Conflict):
        actions.do_update_request(user, request, expected_version=1, status="answered")


def test_an_overdue_request_is_marked(logged_in_client, incident, user):
    actions.do_record_request(user, incident, kind="disclosure", channel="letter",
                              received_on=dt.date(2020, 1, 1))
    response = logged_in_client.get(reverse("people:requests", args=[incident.pk]))
    assert response.context["request_rows"][0]["overdue"] is True


def test_what_was_asked_is_encrypted_at_rest(incident, user):
    from django.db import connection

    actions.do_record_request(user, incident, kind="disclosure", channel="letter",
                              received_on=dt.date(2026, 12, 1), details="REQUESTMARKER")
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM people_personrequest")
        assert "REQUESTMARKER" not in cursor.fetchone()[0]
