"""The spend endpoints (``/api/v1/incidents/{id}/estimate/spend``): the records and the spend
beside the estimate as the page shows them; recording and correcting through the audited
actions; the page's access model (members read, editors write, non-members 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rouei.core.models import AuditEvent
from rouei.estimates.choices import SPEND_CATEGORIES

pytestmark = pytest.mark.django_db

SPEND = {"spent_on": "2026-11-30", "category": "legal_counsel", "amount": 330000,
         "note": "初回相談"}


def path(incident, suffix: str = "") -> str:
    return f"/incidents/{incident.pk}/estimate/spend{suffix}"


@pytest.fixture
def recorded(api, incident):
    return api.post(path(incident), SPEND).json()


def test_post_records_the_spend(api, incident):
    response = api.post(path(incident), SPEND)
    assert (response.status_code, response.json()["amount"]) == (201, 330000)


def test_post_is_audited_as_the_page_is(api, incident):
    api.post(path(incident), SPEND)
    assert AuditEvent.objects.filter(action="spend.add", incident_id=incident.pk).count() == 1


def test_get_lists_the_records(api, incident, recorded):
    records = api.get(path(incident)).json()["records"]
    assert [(r["category"], r["amount"], r["note"]) for r in records] \
        == [("legal_counsel", 330000, "初回相談")]


def test_get_sets_the_spend_beside_the_estimate(api, incident, recorded):
    line = next(x for x in api.get(path(incident)).json()["summary"]["lines"]
                if x["key"] == "legal_counsel")
    assert line["difference"] == 330000 - line["estimate"]


def test_get_totals_the_spend(api, incident, recorded):
    api.post(path(incident), {**SPEND, "amount": 1000})
    assert api.get(path(incident)).json()["summary"]["total"]["spent"] == 331000


def test_get_names_the_category_in_japanese_by_default(api, incident, recorded):
    assert api.get(path(incident)).json()["records"][0]["category_label"] \
        == SPEND_CATEGORIES["legal_counsel"]("ja")


def test_an_unknown_category_is_422(api, incident):
    assert api.post(path(incident), {**SPEND, "category": "lunch"}).status_code == 422


def test_a_zero_amount_is_422(api, incident):
    assert api.post(path(incident), {**SPEND, "amount": 0}).status_code == 422


def test_a_future_day_is_refused_naming_the_field(api, incident):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = api.post(path(incident), {**SPEND, "spent_on": tomorrow}).json()
    assert (body["code"], body["field"]) == ("future_date", "spent_on")


def test_patch_corrects_the_amount(api, incident, recorded):
    response = api.patch(path(incident, f"/{recorded['id']}"),
                         {"expected_version": recorded["version"], "amount": 300000})
    assert (response.status_code, response.json()["amount"]) == (200, 300000)


def test_patch_from_an_old_version_is_409(api, incident, recorded):
    api.patch(path(incident, f"/{recorded['id']}"), {"expected_version": 1, "amount": 2})
    response = api.patch(path(incident, f"/{recorded['id']}"),
                         {"expected_version": 1, "amount": 3})
    assert (response.status_code, response.json()["current_version"]) == (409, 2)


def test_patch_of_another_incidents_record_is_404(api, incident, recorded, user):
    from rouei.incidents import actions

    other = actions.do_create_incident(title="別の事案", facts={}, actor=user)
    response = api.patch(path(other, f"/{recorded['id']}"), {"expected_version": 1,
                                                             "amount": 2})
    assert response.status_code == 404


def test_a_non_member_gets_404_on_the_list(api, incident, outsider, token_for):
    assert api.as_(token_for(outsider)).get(path(incident)).status_code == 404


def test_a_non_member_gets_404_on_a_post(api, incident, outsider, token_for):
    assert api.as_(token_for(outsider)).post(path(incident), SPEND).status_code == 404


def test_a_viewer_reads_the_spend(api, incident, recorded, member, token_for):
    viewer = api.as_(token_for(member("viewer")))
    assert len(viewer.get(path(incident)).json()["records"]) == 1


def test_a_viewer_cannot_record_spend(api, incident, member, token_for):
    viewer = api.as_(token_for(member("viewer")))
    assert viewer.post(path(incident), SPEND).status_code == 403


def test_the_openapi_document_has_the_spend_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/incidents/{incident_id}/estimate/spend"]) == {"get", "post"}
