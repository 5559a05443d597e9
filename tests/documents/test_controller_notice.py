"""The processor's notice to its controller (規則9条): the PPC report's nine items as far as
known, addressed to the controller, in JSON, Word and the PDF's text layer; what is missing is
measured against the notice's own guide (about day 3–5 from when the processor knew)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rouei.documents import services
from rouei.documents.kinds import get_kind
from rouei.documents.kinds.ppc_report.context import REPORT_KEYS
from rouei.incidents import actions
from tests.documents.test_ppc_report import HEADINGS, docx_text, pdf_text

pytestmark = pytest.mark.django_db
KIND = get_kind("controller-notice")
PROCESSOR_FACTS = {"items": ["person_name", "email"], "people_confirmed": 1200,
                   "knew_at": "2026-11-24", "cause": "unauthorized_access", "malicious": True,
                   "role": "processor", "vendor_involved": True}


@pytest.fixture
def processor_case(user):
    return actions.do_create_incident(title="受託システムへの不正アクセス", summary="受託先での事案",
                                      organisation="株式会社受託サービス", facts=PROCESSOR_FACTS,
                                      actor=user)


@pytest.fixture
def files(processor_case):
    return {fmt: services.render(KIND, processor_case, stage=None, fmt=fmt).content
            for fmt in ("docx", "pdf")}


def test_json_has_the_ppc_reports_keys(processor_case):
    assert tuple(KIND.build(processor_case)) == REPORT_KEYS


def test_json_says_it_is_the_controller_notice(processor_case):
    assert KIND.build(processor_case)["overview"]["report"]["kind"] == "controller-notice"


def test_json_knows_the_company_is_the_processor(processor_case):
    assert KIND.build(processor_case)["overview"]["report"]["is_processor"] is True


def test_json_carries_the_number_of_people(processor_case):
    assert KIND.build(processor_case)["people"]["confirmed"] == 1200


def test_missing_starts_with_the_controllers_name(processor_case):
    assert KIND.build(processor_case)["missing"][0]["label"] == "通知先（委託元）の名称"


def test_missing_threatens_the_notice_guide_day_5(processor_case):
    # knew 2026-11-24 = day 1; the guide's day 5 is 2026-11-28.
    assert {m["deadline"] for m in KIND.build(processor_case)["missing"]} == {"2026-11-28"}


def test_a_notice_recorded_as_given_ends_the_deadline(processor_case, user):
    actions.do_record_filed_report(
        processor_case, kind="processor_notice", filed_at=timezone.now() - dt.timedelta(hours=1),
        channel="email", receipt_number="", filed_by=user, note="", actor=user)
    assert KIND.build(processor_case)["overview"]["report"]["notice_due"] is None


def test_docx_is_addressed_to_the_controller(files):
    assert "通知先（委託元）" in docx_text(files["docx"])


def test_docx_cites_article_9(files):
    assert "施行規則第9条" in docx_text(files["docx"])


@pytest.mark.parametrize("heading", HEADINGS)
def test_docx_has_every_item(files, heading):
    assert heading in docx_text(files["docx"])


def test_pdf_text_layer_has_the_count(files):
    assert "1,200人" in pdf_text(files["pdf"])


def test_pdf_text_layer_names_the_processor(files):
    assert "株式会社受託サービス" in pdf_text(files["pdf"])


def test_a_controller_is_told_the_facts_do_not_say_processor(incident):
    layout = KIND.layout(KIND.build(incident))
    assert any("委託先になっていません" in note for note in layout.notes)


def test_the_page_shows_the_notice(logged_in_client, processor_case):
    response = logged_in_client.get(f"/incidents/{processor_case.pk}/documents/controller-notice/")
    assert "個人データの漏えい等の事案に関するご通知" in response.content.decode()
