"""``/api/v1/incidents/{id}/documents/…``: the kinds, the renders and the mistake check, for
members only (others get 404), in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from rouei.core.models import AuditEvent
from rouei.documents.kinds.ppc_report.context import REPORT_KEYS
from rouei.incidents import actions as incident_actions

pytestmark = pytest.mark.django_db


def docs(incident, rest: str = "") -> str:
    return f"/incidents/{incident.pk}/documents/{rest}"


@pytest.fixture
def outsider_api(api, outsider, token_for):
    return api.as_(token_for(outsider))


@pytest.fixture
def grown(incident, user):
    """A 速報 filed for 900 people, then 1,500 confirmed."""
    incident_actions.do_record_filed_report(
        incident, kind="preliminary", filed_at=timezone.now() - dt.timedelta(minutes=1),
        channel="ppc_form", receipt_number="", filed_by=user, note="", actor=user)
    facts = {**incident.latest_facts().facts, "people_confirmed": 1500}
    incident_actions.do_update_facts(incident, facts, expected_version=incident.version,
                                     actor=user)
    return incident


def test_list_names_the_ppc_report(api, incident):
    assert "ppc-report" in {k["slug"] for k in api.get(docs(incident)).json()}


def test_list_gives_formats_and_stages(api, incident):
    kind = {k["slug"]: k for k in api.get(docs(incident)).json()}["ppc-report"]
    assert (kind["formats"], [s["slug"] for s in kind["stages"]]) == (
        ["json", "docx", "pdf"], ["preliminary", "final", "supplement"])


def test_list_is_404_for_a_non_member(outsider_api, incident):
    assert outsider_api.get(docs(incident)).status_code == 404


def test_render_json_has_the_nine_items_and_missing(api, incident):
    body = api.get(docs(incident, "ppc-report"), format="json", stage="preliminary").json()
    assert tuple(body) == REPORT_KEYS


def test_render_json_carries_the_facts(api, incident):
    body = api.get(docs(incident, "ppc-report"), format="json").json()
    assert body["people"]["confirmed"] == 900


def test_render_docx_is_a_word_file_with_the_count(api, incident):
    response = api.get(docs(incident, "ppc-report"), format="docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    text += "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables
                      for row in t.rows for c in row.cells)
    assert "900人" in text


def test_render_docx_is_an_attachment(api, incident):
    response = api.get(docs(incident, "ppc-report"), format="docx")
    assert response["Content-Disposition"].startswith("attachment;")


def test_render_pdf_is_a_pdf(api, incident):
    assert api.get(docs(incident, "ppc-report"), format="pdf").content.startswith(b"%PDF-")


def test_render_is_audited(api, incident):
    api.get(docs(incident, "ppc-report"), format="json")
    event = AuditEvent.objects.filter(action="document.render").latest("id")
    assert event.details["via"] == "api"


def test_render_is_404_for_a_non_member(outsider_api, incident):
    assert outsider_api.get(docs(incident, "ppc-report"), format="json").status_code == 404


def test_render_is_403_for_a_member_who_does_not_publish(api, incident, member, token_for):
    forensics = api.as_(token_for(member("forensics")))
    assert forensics.get(docs(incident, "ppc-report"), format="json").status_code == 403


def test_render_of_an_unknown_kind_is_404(api, incident):
    assert api.get(docs(incident, "no-such-kind"), format="json").status_code == 404


def test_render_refuses_an_unknown_format(api, incident):
    assert api.get(docs(incident, "ppc-report"), format="odt").status_code == 422


def test_check_returns_the_contract_keys(api, grown):
    warning = api.get(docs(grown, "check")).json()[0]
    assert {"code", "severity", "message", "message_en", "fix_url"} <= set(warning)


def test_check_warns_of_the_changed_count(api, grown):
    codes = {w["code"] for w in api.get(docs(grown, "check")).json()}
    assert "check.numbers_changed_since_filing" in codes


def test_check_is_open_to_every_member(api, grown, member, token_for):
    forensics = api.as_(token_for(member("forensics")))
    assert forensics.get(docs(grown, "check")).status_code == 200


def test_check_is_404_for_a_non_member(outsider_api, grown):
    assert outsider_api.get(docs(grown, "check")).status_code == 404


def test_openapi_documents_the_document_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/incidents/{incident_id}/documents/",
            "/api/v1/incidents/{incident_id}/documents/check",
            "/api/v1/incidents/{incident_id}/documents/{kind}"} <= set(paths)


def test_list_says_the_my_number_report_is_not_offered_without_my_numbers(api, incident):
    kinds = {k["slug"]: k for k in api.get(docs(incident)).json()}
    assert kinds["my-number-report"]["offered"] is False


def test_list_says_why_the_my_number_report_is_not_offered(api, incident):
    kinds = {k["slug"]: k for k in api.get(docs(incident)).json()}
    assert "個人番号" in kinds["my-number-report"]["not_offered_why"]


def test_render_of_a_report_not_owed_is_409(api, incident):
    response = api.get(docs(incident, "my-number-report?format=json"))
    assert (response.status_code, response.json()["code"]) == (409, "kind_not_applicable")


def test_render_with_a_broken_template_is_503_naming_the_file(api, incident, settings,
                                                             tmp_path):
    broken = tmp_path / "documents" / "ppc-report" / "document.jinja"
    broken.parent.mkdir(parents=True)
    broken.write_text("title: x\n{% if %}\n", encoding="utf-8")
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    response = api.get(docs(incident, "ppc-report?format=pdf"))
    assert (response.status_code, response.json()["template"]) \
        == (503, "documents/ppc-report/document.jinja")
