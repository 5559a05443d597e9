"""The incidents endpoints: per-user scoping (404 for non-members, 403 for a viewer's writes),
create, list, facts round trip, conflicts, bad facts, the assessment contract, audit actors,
limits and strict schemas."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.api.common import MAX_BODY_BYTES
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from rouei.incidents import actions
from rouei.incidents.models import FactsVersion, Incident, TimelineEvent
from tests.api.conftest import BASE, FACTS_900
from tests.filing import file_report

pytestmark = pytest.mark.django_db

FACTS_1200 = {**FACTS_900, "people_confirmed": 1200}
# Every incident endpoint: (method, path under /incidents/<id>, body).
INCIDENT_ENDPOINTS = [
    ("get", "", None),
    ("get", "/facts", None),
    ("put", "/facts", {"expected_version": 1, "facts": FACTS_1200}),
    ("get", "/assessment", None),
    ("patch", "", {"expected_etag": "0" * 32, "title": "新しい件名"}),
]


def _call(client, method, path, body):
    return client.get(path) if method == "get" else getattr(client, method)(path, body)


def _errors(response) -> list[tuple]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return [(e["field"], e["code"]) for e in body["errors"]]


# --- scoping ----------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, body", INCIDENT_ENDPOINTS)
def test_incident_endpoint_non_member_gets_404_like_a_missing_incident(
        api, incident, outsider, token_for, method, path, body):
    outside = api.as_(token_for(outsider))
    forbidden = _call(outside, method, f"/incidents/{incident.pk}{path}", body)
    missing = _call(outside, method, f"/incidents/999999{path}", body)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    incident.refresh_from_db()
    assert incident.version == 1


def test_incident_list_shows_only_my_incidents_with_my_role(api, user, incident, outsider,
                                                           member, make_user):
    member("viewer")
    member("legal")  # more members: the list must still show each incident once
    theirs = actions.do_create_incident(title="他部署の事案", actor=outsider)
    shared = actions.do_create_incident(title="共有の事案", actor=outsider)
    actions.do_add_member(shared, user, "viewer", actor=outsider)
    body = api.get("/incidents").json()
    assert body["count"] == 2
    assert [(i["id"], i["role"]) for i in body["items"]] == [
        (shared.pk, "viewer"), (incident.pk, "lead")]
    assert theirs.pk not in [i["id"] for i in body["items"]]


def test_incident_list_is_paginated(api, user):
    for n in range(5):
        actions.do_create_incident(title=f"事案{n}", actor=user)
    first = api.get("/incidents", limit=2).json()
    rest = api.get("/incidents", limit=2, offset=4).json()
    assert first["count"] == rest["count"] == 5
    assert [i["title"] for i in first["items"]] == ["事案4", "事案3"]
    assert [i["title"] for i in rest["items"]] == ["事案0"]
    assert _errors(api.get("/incidents", limit=101)) == [("limit", "less_than_equal")]
    assert _errors(api.get("/incidents", offset=-1)) == [("offset", "greater_than_equal")]


@pytest.mark.parametrize("method, path, body", [e for e in INCIDENT_ENDPOINTS if e[0] == "get"])
def test_incident_endpoint_viewer_may_read(api, incident, member, token_for, method, path,
                                           body):
    viewer = api.as_(token_for(member("viewer")))
    assert _call(viewer, method, f"/incidents/{incident.pk}{path}", body).status_code == 200


def test_facts_update_viewer_gets_403_and_nothing_changes(api, incident, member, token_for):
    viewer = api.as_(token_for(member("viewer")))
    response = viewer.put(f"/incidents/{incident.pk}/facts",
                          {"expected_version": 1, "facts": FACTS_1200})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert Incident.objects.get(pk=incident.pk).version == 1


def test_facts_update_by_legal_member_is_allowed(api, incident, member, token_for):
    legal = api.as_(token_for(member("legal")))
    response = legal.put(f"/incidents/{incident.pk}/facts",
                         {"expected_version": 1, "facts": FACTS_1200})
    assert response.status_code == 200 and response.json()["version"] == 2


# --- create -----------------------------------------------------------------------------------

def test_create_incident_from_an_alert_makes_me_lead(api, user):
    response = api.post("/incidents", {
        "title": "  WAF: SQLインジェクションの検知  ", "summary": "SIEM アラート #4711",
        "organisation": "EC事業部", "facts": {"cause": "unauthorized_access",
                                             "knew_at": "2026-11-24", "malicious": True}})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "WAF: SQLインジェクションの検知"
    assert body["role"] == "lead" and body["status"] == "detected" and body["version"] == 1
    assert body["report_required"] is True  # malicious: reportable whatever the count
    assert body["next_deadline"]["kind"] == "preliminary_report"
    incident = Incident.objects.get(pk=body["id"])
    assert incident.memberships.get().user == user
    assert incident.latest_facts().facts["cause"] == "unauthorized_access"
    assert api.get(f"/incidents/{incident.pk}").json() == body


def test_create_incident_without_facts(api):
    response = api.post("/incidents", {"title": "不審なメール"})
    assert response.status_code == 201
    assert api.get(f"/incidents/{response.json()['id']}/facts").json()["facts"] == {}


@pytest.mark.parametrize("body, error", [
    ({}, ("title", "missing")),
    ({"title": "   "}, ("title", "string_pattern_mismatch")),
    ({"title": "x" * 201}, ("title", "string_too_long")),
    ({"title": "x\x00y"}, ("title", "value_error")),
    ({"title": "ok", "summary": "a\x00"}, ("summary", "value_error")),
    ({"title": "ok", "severity": "high"}, ("severity", "extra_forbidden")),
    ({"title": "ok", "vendor_involved": "maybe"}, ("vendor_involved", "bool_parsing")),
    ({"title": "ok", "facts": {"people_confirmed": -1}}, ("people_confirmed", "negative")),
    ({"title": "ok", "facts": {"colour": "red"}}, ("colour", "unknown_key")),
    ({"title": "ok", "facts": ["items"]}, ("facts", "dict_type")),
])
def test_create_incident_bad_input_is_422_naming_the_field(api, body, error):
    assert error in _errors(api.post("/incidents", body))
    assert not Incident.objects.exists()


def test_create_incident_unparsable_json_is_400(api):
    response = api.post("/incidents", "{not json")
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_create_incident_body_over_the_limit_is_413(api):
    response = api.post("/incidents", {"title": "x", "summary": "あ" * MAX_BODY_BYTES})
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Incident.objects.exists()


# --- facts ------------------------------------------------------------------------------------

def test_facts_round_trip(api, incident):
    read = api.get(f"/incidents/{incident.pk}/facts").json()
    assert read["version"] == 1
    assert read["facts"]["people_confirmed"] == 900
    assert read["facts"]["knew_at"] == "2026-11-24T00:00:00+09:00"
    facts = {**read["facts"], "people_confirmed": 1200, "encryption": "none"}
    response = api.put(f"/incidents/{incident.pk}/facts",
                       {"expected_version": read["version"], "facts": facts})
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["saved"] is True and saved["version"] == 2
    assert sorted(saved["changed"]) == ["encryption", "people_confirmed"]
    assert saved["facts"] == facts
    again = api.get(f"/incidents/{incident.pk}/facts").json()
    assert again["version"] == 2 and again["facts"] == facts


def test_facts_update_announces_the_duty_change(api, incident):
    saved = api.put(f"/incidents/{incident.pk}/facts",
                    {"expected_version": 1, "facts": FACTS_1200}).json()
    codes = [c["code"] for c in saved["duty_changes"]]
    assert "report_required" in codes
    assert any("1,000" in c["ja"] for c in saved["duty_changes"])
    assert TimelineEvent.objects.filter(incident=incident, kind="duty_change").exists()


def test_facts_update_without_change_saves_nothing(api, incident):
    response = api.put(f"/incidents/{incident.pk}/facts",
                       {"expected_version": 1, "facts": FACTS_900})
    assert response.status_code == 200
    assert response.json()["saved"] is False and response.json()["version"] == 1
    assert FactsVersion.objects.filter(incident=incident).count() == 1


def test_facts_update_conflict_is_409_and_loses_nothing(api, incident, member, token_for):
    legal = api.as_(token_for(member("legal")))
    first = legal.put(f"/incidents/{incident.pk}/facts",
                      {"expected_version": 1, "facts": FACTS_1200})
    assert first.status_code == 200
    stale = api.put(f"/incidents/{incident.pk}/facts",
                    {"expected_version": 1, "facts": {**FACTS_900, "malicious": True}})
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "version_conflict"
    assert body["current_version"] == 2 and body["expected_version"] == 1
    assert "2" in body["detail"]
    assert api.get(f"/incidents/{incident.pk}/facts").json()["facts"] == FACTS_1200 | {
        "knew_at": "2026-11-24T00:00:00+09:00"}
    retry = api.put(f"/incidents/{incident.pk}/facts",
                    {"expected_version": 2, "facts": {**FACTS_1200, "malicious": True}})
    assert retry.status_code == 200 and retry.json()["version"] == 3


@pytest.mark.parametrize("facts, error", [
    ({"people_confirmed": -5}, ("people_confirmed", "negative")),
    ({"people_confirmed": "many"}, ("people_confirmed", "not_an_integer")),
    ({"items": ["person_name", "blood_type_x"]}, ("items", "unknown_item")),
    ({"cause": "aliens"}, ("cause", "invalid_choice")),
    ({"knew_at": "2026-13-45"}, ("knew_at", "invalid_date")),
    ({"knew_at": "9999-12-31T23:59:59-09:00"}, ("knew_at", "out_of_range")),
    ({"occurred_at": "0001-01-01"}, ("occurred_at", "out_of_range")),
    ({"occurred_at": "2026-11-25", "knew_at": "2026-11-24"}, ("occurred_at", "date_order")),
    ({"malicious": "yes"}, ("malicious", "not_a_boolean")),
    ({"people": 3}, ("people", "unknown_key")),
])
def test_facts_update_bad_facts_is_422_naming_the_field(api, incident, facts, error):
    response = api.put(f"/incidents/{incident.pk}/facts",
                       {"expected_version": 1, "facts": facts})
    assert _errors(response) == [error]
    assert response.json()["errors"][0]["loc"] == ["body", "facts", error[0]]
    assert Incident.objects.get(pk=incident.pk).version == 1


def test_facts_error_body_does_not_echo_the_value(api, incident):
    response = api.put(f"/incidents/{incident.pk}/facts",
                       {"expected_version": 1, "facts": {"knew_at": "山田太郎 090-1234-5678"}})
    assert _errors(response) == [("knew_at", "invalid_date")]
    assert "山田" not in response.content.decode() and "5678" not in response.content.decode()


@pytest.mark.parametrize("body, error", [
    ({"facts": {}}, ("expected_version", "missing")),
    ({"expected_version": 0, "facts": {}}, ("expected_version", "greater_than_equal")),
    ({"expected_version": 1}, ("facts", "missing")),
    ({"expected_version": 1, "facts": {}, "force": True}, ("force", "extra_forbidden")),
])
def test_facts_update_bad_body_is_422(api, incident, body, error):
    assert error in _errors(api.put(f"/incidents/{incident.pk}/facts", body))


def test_incident_id_that_is_not_an_id_is_422(api):
    assert _errors(api.get("/incidents/abc")) == [("incident_id", "int_parsing")]
    assert _errors(api.get(f"/incidents/{2**64}")) == [("incident_id", "less_than_equal")]


# --- assessment -------------------------------------------------------------------------------

CONTRACT = {"report_required", "notify_required", "triggers", "possible_triggers",
            "exceptions", "trigger_details", "exception_details", "preliminary_report_window",
            "final_report_due", "final_report_days", "final_report_days_left", "reasons",
            "unknowns", "facts_version", "assessed_at", "lang", "knew_date", "reference_date",
            "rules_version", "next_deadline", "my_number_act"}


def test_assessment_returns_the_contract_keys(api, incident):
    api.put(f"/incidents/{incident.pk}/facts", {"expected_version": 1, "facts": FACTS_1200})
    body = api.get(f"/incidents/{incident.pk}/assessment").json()
    assert set(body) == CONTRACT
    assert body["report_required"] is True and body["notify_required"] is True
    assert body["triggers"] == ["over_1000"]
    assert body["facts_version"] == 2 and body["lang"] == "ja"
    assert body["knew_date"] == "2026-11-24"
    assert body["preliminary_report_window"]["end"] == "2026-11-28"
    assert body["final_report_due"] == "2026-12-23" and body["final_report_days"] == 30
    assert body["next_deadline"]["kind"] == "preliminary_report"
    assert body["next_deadline"]["due"] == "2026-11-28"
    assert body["my_number_act"] is None


def test_assessment_my_number_result_and_english(api, incident):
    facts = {**FACTS_900, "items": ["person_name", "my_number"], "people_confirmed": 150}
    api.put(f"/incidents/{incident.pk}/facts", {"expected_version": 1, "facts": facts})
    body = api.get(f"/incidents/{incident.pk}/assessment", lang="en").json()
    assert body["lang"] == "en"
    my_number = body["my_number_act"]
    assert my_number["report_required"] is True and "mn_over_100" in my_number["triggers"]
    assert my_number["final_report_due"] is not None
    assert body["reasons"][0]["text"].isascii()


def test_assessment_after_the_preliminary_report_filed_points_at_the_final_one(api, incident,
                                                                               user):
    api.put(f"/incidents/{incident.pk}/facts", {"expected_version": 1, "facts": FACTS_1200})
    file_report(incident, "preliminary", user)
    body = api.get(f"/incidents/{incident.pk}/assessment").json()
    assert body["next_deadline"]["kind"] == "final_report"
    assert body["next_deadline"]["due"] == "2026-12-23"


def test_assessment_bad_lang_is_422(api, incident):
    assert _errors(api.get(f"/incidents/{incident.pk}/assessment", lang="fr")) == [
        ("lang", "literal_error")]


# --- audit ------------------------------------------------------------------------------------

def test_api_writes_are_audited_with_the_token_user_as_actor(api, user, member, token_for):
    created = api.post("/incidents", {"title": "API で作成", "facts": FACTS_900}).json()
    legal_user = member("legal")
    actions.do_add_member(Incident.objects.get(pk=created["id"]), legal_user, "legal",
                          actor=user)
    api.as_(token_for(legal_user)).put(f"/incidents/{created['id']}/facts",
                                       {"expected_version": 1, "facts": FACTS_1200})
    events = AuditEvent.objects.filter(incident_id=created["id"]).order_by("sequence")
    assert [(e.action, e.actor_id) for e in events] == [
        ("incident.create", user.pk), ("member.add", user.pk),
        ("facts.update", legal_user.pk)]
    assert verify_chain() is None


def test_api_refused_writes_are_not_audited(api, incident, member, token_for):
    viewer = api.as_(token_for(member("viewer")))
    before = AuditEvent.objects.count()
    viewer.put(f"/incidents/{incident.pk}/facts", {"expected_version": 1, "facts": FACTS_1200})
    api.put(f"/incidents/{incident.pk}/facts", {"expected_version": 9, "facts": FACTS_1200})
    api.put(f"/incidents/{incident.pk}/facts", {"expected_version": 1, "facts": {"x": 1}})
    assert AuditEvent.objects.count() == before


# --- the document and the docs page -----------------------------------------------------------

def test_openapi_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    facts = document["components"]["schemas"]["FactsUpdateIn"]["properties"]["facts"]
    assert "people_confirmed" in facts["properties"]
    assert facts["additionalProperties"] is False


def test_docs_page_uses_no_cdn_and_keeps_the_strict_csp(client, settings):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


# --- editing the particulars (PATCH) -----------------------------------------------------------

def test_patch_incident_changes_only_the_fields_sent(api, incident):
    etag = api.get(f"/incidents/{incident.pk}").json()["etag"]
    response = api.patch(f"/incidents/{incident.pk}",
                         {"expected_etag": etag, "title": "委託先経由の漏えい"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "委託先経由の漏えい" and body["summary"] == "テスト用の事案"
    assert body["etag"] != etag and body["version"] == 1
    event = AuditEvent.objects.filter(incident_id=incident.pk).latest("sequence")
    assert event.action == "incident.update" and event.details == {"changed": ["title"]}
    assert verify_chain() is None


def test_patch_incident_stale_etag_is_409_and_saves_nothing(api, incident, member, token_for):
    etag = api.get(f"/incidents/{incident.pk}").json()["etag"]
    legal = api.as_(token_for(member("legal")))
    assert legal.patch(f"/incidents/{incident.pk}",
                       {"expected_etag": etag, "summary": "法務の追記"}).status_code == 200
    stale = api.patch(f"/incidents/{incident.pk}", {"expected_etag": etag, "summary": "上書き"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "edit_conflict" and body["expected_etag"] == etag
    assert body["current_etag"] == api.get(f"/incidents/{incident.pk}").json()["etag"]
    assert Incident.objects.get(pk=incident.pk).summary == "法務の追記"


def test_patch_incident_vendor_involvement_saves_a_facts_version(api, incident):
    etag = api.get(f"/incidents/{incident.pk}").json()["etag"]
    body = api.patch(f"/incidents/{incident.pk}",
                     {"expected_etag": etag, "vendor_involved": True}).json()
    assert body["vendor_involved"] is True and body["version"] == 2
    facts = api.get(f"/incidents/{incident.pk}/facts").json()
    assert facts["facts"]["vendor_involved"] is True and facts["version"] == 2


def test_patch_incident_viewer_gets_403(api, incident, member, token_for):
    viewer = api.as_(token_for(member("viewer")))
    etag = viewer.get(f"/incidents/{incident.pk}").json()["etag"]
    response = viewer.patch(f"/incidents/{incident.pk}", {"expected_etag": etag, "title": "x"})
    assert response.status_code == 403
    assert Incident.objects.get(pk=incident.pk).title != "x"


@pytest.mark.parametrize("body, error", [
    ({"title": "x"}, ("expected_etag", "missing")),
    ({"expected_etag": "e", "title": ""}, ("title", "string_too_short")),
    ({"expected_etag": "e", "title": None}, ("title", "string_type")),
    ({"expected_etag": "e", "version": 2}, ("version", "extra_forbidden")),
    ({"status": "finished"}, ("status", "enum")),
    ({"close_reason": "x"}, ("expected_etag", "missing")),
    ({"status": "closed", "acknowledged_duties": ["other"]}, ("acknowledged_duties", "literal_error")),
])
def test_patch_incident_bad_body_is_422(api, incident, body, error):
    assert error in _errors(api.patch(f"/incidents/{incident.pk}", body))


# --- dates in the future (issue 11, guard rail 2) ------------------------------------------------

def _api_path(name: str, *args) -> str:
    """The endpoint's path as ``api`` takes it (under /api/v1), from its URL name."""
    return reverse(f"api:v1:{name}", args=args).removeprefix(BASE)


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("key", ["knew_at", "occurred_at", "detected_at"])
def test_facts_update_date_in_the_future_is_422_naming_the_field(api, incident, key):
    facts = {**FACTS_900, "knew_at": _in_days(0), key: _in_days(2)}
    response = api.put(_api_path("update_facts", incident.pk),
                       {"expected_version": 1, "facts": facts})
    assert _errors(response) == [(key, "future_date")]


def test_facts_update_date_in_the_future_says_which_date(api, incident):
    response = api.put(_api_path("update_facts", incident.pk),
                       {"expected_version": 1, "facts": {**FACTS_900, "knew_at": "2099-01-01"}})
    assert response.json()["errors"][0]["message"] == "知った日は未来の日時にできません"


def test_facts_update_knew_at_today_is_saved(api, incident):
    response = api.put(_api_path("update_facts", incident.pk),
                       {"expected_version": 1, "facts": {**FACTS_900, "knew_at": _in_days(0)}})
    assert response.status_code == 200


def test_create_incident_knew_at_in_the_future_is_422(api):
    response = api.post(_api_path("create_incident"),
                        {"title": "WAF alert", "facts": {"knew_at": "2099-01-01"}})
    assert _errors(response) == [("knew_at", "future_date")]


# --- status and open duties (issue 11, guard rail 1) --------------------------------------------

REPORTABLE = {**FACTS_900, "people_confirmed": 2000}


@pytest.fixture
def reportable(user):
    return actions.do_create_incident(title="顧客情報の漏えい", facts=REPORTABLE, actor=user)


def test_patch_status_close_with_open_duties_is_409_with_the_list(api, reportable):
    response = api.patch(f"/incidents/{reportable.pk}", {"status": "closed"})
    body = response.json()
    assert response.status_code == 409 and body["code"] == "open_duties"
    assert [d["code"] for d in body["open_duties"]][:2] == ["preliminary_report", "final_report"]


def test_patch_status_refused_close_leaves_the_particulars(api, reportable):
    etag = api.get(f"/incidents/{reportable.pk}").json()["etag"]
    api.patch(f"/incidents/{reportable.pk}", {"expected_etag": etag, "title": "新しい題",
                                              "status": "closed"})
    assert Incident.objects.get(pk=reportable.pk).title == "顧客情報の漏えい"


def test_patch_status_close_with_every_duty_and_a_reason_closes(api, reportable):
    codes = [d["code"] for d in api.patch(f"/incidents/{reportable.pk}",
                                          {"status": "closed"}).json()["open_duties"]]
    response = api.patch(f"/incidents/{reportable.pk}", {
        "status": "closed", "close_reason": "委員会と協議済み", "acknowledged_duties": codes})
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_patch_status_only_needs_no_etag(api, reportable):
    response = api.patch(f"/incidents/{reportable.pk}", {"status": "investigating"})
    assert response.status_code == 200 and response.json()["status"] == "investigating"


def test_patch_status_close_by_legal_is_403(api, reportable, user, make_user, token_for):
    legal = make_user("legal-user")
    actions.do_add_member(reportable, legal, "legal", actor=user)
    response = api.as_(token_for(legal)).patch(f"/incidents/{reportable.pk}",
                                                {"status": "closed"})
    assert response.status_code == 403


def test_patch_status_closed_incident_keeps_its_unfiled_deadline(api, reportable):
    codes = [d["code"] for d in api.patch(f"/incidents/{reportable.pk}",
                                          {"status": "closed"}).json()["open_duties"]]
    body = api.patch(f"/incidents/{reportable.pk}", {
        "status": "closed", "close_reason": "委員会と協議済み", "acknowledged_duties": codes}).json()
    assert body["next_deadline"]["kind"] == "preliminary_report"

