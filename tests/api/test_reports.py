"""The filed-report endpoints (issue 11, guard rail 3): a filing recorded through the API closes
that deadline; the records are listed oldest first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rouei.incidents import actions
from tests.api.conftest import FACTS_900
from tests.api.test_incidents import _errors

REPORTABLE = {**FACTS_900, "people_confirmed": 2000}


@pytest.fixture
def reportable(user):
    return actions.do_create_incident(title="顧客情報の漏えい", facts=REPORTABLE, actor=user)


def _filing(**fields) -> dict:
    at = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    return {"kind": "preliminary", "filed_at": at, "channel": "ppc_form",
            "receipt_number": "R-1", **fields}


def test_post_report_records_it_and_closes_the_deadline(api, reportable):
    response = api.post(f"/incidents/{reportable.pk}/reports", _filing())
    assert response.status_code == 201
    assert api.get(f"/incidents/{reportable.pk}").json()["next_deadline"]["kind"] == "final_report"


def test_get_reports_lists_the_filings(api, reportable):
    api.post(f"/incidents/{reportable.pk}/reports", _filing())
    api.post(f"/incidents/{reportable.pk}/reports", _filing(kind="supplement"))
    assert [r["kind"] for r in api.get(f"/incidents/{reportable.pk}/reports").json()] == [
        "preliminary", "supplement"]


def test_post_report_in_the_future_is_422(api, reportable):
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert ("filed_at", "future_date") in _errors(
        api.post(f"/incidents/{reportable.pk}/reports", _filing(filed_at=later)))


def test_post_report_filed_by_a_non_member_is_400(api, reportable, make_user):
    stranger = make_user("stranger")
    response = api.post(f"/incidents/{reportable.pk}/reports", _filing(filed_by=stranger.pk))
    assert response.status_code == 400 and response.json()["code"] == "not_a_member"


def test_post_report_by_forensics_is_403(api, reportable, user, make_user, token_for):
    forensics = make_user("forensics-user")
    actions.do_add_member(reportable, forensics, "forensics", actor=user)
    response = api.as_(token_for(forensics)).post(f"/incidents/{reportable.pk}/reports",
                                                  _filing())
    assert response.status_code == 403
