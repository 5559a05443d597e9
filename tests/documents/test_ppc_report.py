"""The PPC report (速報・確報・追完) of the demo incident and of incidents built in the tests: every
item of 規則8条1項 present and matching the facts, in JSON, Word (python-docx) and the PDF's text
layer (pypdf); what is missing, with its deadline; what changed since the last report filed."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from rouei.documents import services
from rouei.documents.kinds import get_kind
from rouei.documents.kinds.ppc_report.context import REPORT_KEYS
from rouei.documents.renderers import pdf as pdf_renderer
from rouei.domain.items import ITEMS
from rouei.incidents import actions

pytestmark = pytest.mark.django_db
KIND = get_kind("ppc-report")
HEADINGS = ("概要", "個人データの項目", "本人の数", "原因", "二次被害又はそのおそれの有無",
            "本人への対応の実施状況", "公表の実施状況", "再発防止のための措置",
            "その他参考となる事項")


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)



@pytest.fixture
def demo_files(demo):
    return {fmt: services.render(KIND, demo, stage="final", fmt=fmt).content
            for fmt in ("docx", "pdf")}


def test_json_export_has_exactly_the_nine_items_and_missing(demo):
    assert set(KIND.build(demo, "final")) == set(REPORT_KEYS)


def test_prevention_has_done_and_planned_apart(demo):
    assert set(KIND.build(demo, "final")["prevention"]) == {"done", "planned"}


def test_measures_done_come_from_the_prevention_plan(demo):
    done = [m["title"] for m in KIND.build(demo, "final")["prevention"]["done"]]
    assert done == list(demo.measures.filter(status="done").values_list("title", flat=True))


def test_measures_planned_come_from_the_plan_with_their_due_dates(demo):
    planned = {m["title"]: m["due"] for m in KIND.build(demo, "final")["prevention"]["planned"]}
    assert planned == {m.title: m.due_date.isoformat()
                       for m in demo.measures.filter(status__in=("planned", "in_progress"))}


def test_without_measures_the_tasks_are_marked_as_tasks(incident):
    planned = KIND.build(incident, "preliminary")["prevention"]["planned"]
    assert {line["source"] for line in planned} == {"task"}


def test_people_match_the_latest_facts(demo):
    facts = demo.latest_facts().as_facts()
    people = KIND.build(demo, "final")["people"]
    assert (people["confirmed"], people["estimated"]) == (facts.people_confirmed,
                                                          facts.people_estimated)


def test_cause_has_its_actor(demo):
    assert KIND.build(demo, "final")["cause"]["actor"] == "third_party"


def test_chronology_is_dated_from_the_timeline(demo):
    first = KIND.build(demo, "final")["overview"]["chronology"][0]
    assert first["at"] == "2026-08-03T02:14:00+09:00"


def test_discovered_by_comes_from_the_detected_entry(demo):
    assert "カード会社" in KIND.build(demo, "final")["overview"]["discovered_by"]


def test_secondary_damage_unrecorded_is_missing_not_none(demo):
    report = KIND.build(demo, "final")
    assert report["secondary_damage"]["status"] is None
    assert "secondary_damage.status" in {m["field"] for m in report["missing"]}


def test_missing_item_threatens_the_final_report_after_the_preliminary_is_filed(demo):
    missing = {m["field"]: m for m in KIND.build(demo, "final")["missing"]}
    assert missing["secondary_damage.status"]["deadline"] == \
        demo.latest_snapshot().final_report_due.isoformat()


def test_missing_core_item_threatens_the_preliminary_report(user):
    incident = actions.do_create_incident(
        title="件名", facts={"people_confirmed": 1200, "knew_at": "2026-11-24"}, actor=user)
    missing = {m["field"]: m for m in KIND.build(incident, "preliminary")["missing"]}
    assert missing["items.items"]["deadline"] == \
        incident.latest_snapshot().preliminary_report_due.isoformat()


def test_preliminary_shows_no_changes(demo):
    assert KIND.build(demo, "preliminary")["other"]["changes_since_last_filed"] is None


def test_follow_up_shows_what_changed_since_the_last_filing(user):
    incident = actions.do_create_incident(
        title="件名", facts={"items": ["person_name"], "people_confirmed": 900,
                            "knew_at": "2026-11-24"}, actor=user)
    actions.do_record_filed_report(incident, kind="preliminary",
                                   filed_at=timezone.now() - dt.timedelta(minutes=5),
                                   channel="ppc_form", receipt_number="A-1", filed_by=user,
                                   actor=user)
    actions.do_update_facts(incident, {"items": ["person_name"], "people_confirmed": 1500,
                                       "knew_at": "2026-11-24"},
                            expected_version=incident.version, actor=user)
    changes = KIND.build(incident, "final")["other"]["changes_since_last_filed"]
    people = next(c for c in changes["fields"] if c["field"] == "people.text")
    assert (people["before"], people["after"]) == ("900人（確認済み）", "1,500人（確認済み）")


def test_follow_up_names_the_filing_it_compares_with(demo):
    changes = KIND.build(demo, "final")["other"]["changes_since_last_filed"]
    assert changes["since"]["receipt_number"] == "DEMO-0001"


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_every_item_heading_is_in_the_file(demo_files, fmt):
    text = (docx_text if fmt == "docx" else pdf_text)(demo_files[fmt])
    absent = [h for h in HEADINGS if h not in text.replace("\n", "")]
    assert absent == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_name_every_item_of_the_facts(demo, demo_files, fmt):
    text = (docx_text if fmt == "docx" else pdf_text)(demo_files[fmt]).replace("\n", "")
    labels = [ITEMS[i].label_ja for i in demo.latest_facts().as_facts().items]
    assert [label for label in labels if label not in text] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_give_the_number_of_people(demo_files, fmt):
    text = (docx_text if fmt == "docx" else pdf_text)(demo_files[fmt]).replace("\n", "")
    assert "3,100人（確認済み）" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_give_the_day_the_company_knew(demo_files, fmt):
    text = (docx_text if fmt == "docx" else pdf_text)(demo_files[fmt]).replace("\n", "")
    assert "2026年11月18日（水）10時20分" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_give_the_report_date_in_wareki(demo_files, fmt):
    text = (docx_text if fmt == "docx" else pdf_text)(demo_files[fmt]).replace("\n", "")
    assert "報告年月日令和" in text.replace(" ", "").replace(":", "")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_files_give_the_receipt_number_of_the_filed_preliminary(demo_files, fmt):
    text = (docx_text if fmt == "docx" else pdf_text)(demo_files[fmt]).replace("\n", "")
    assert "DEMO-0001" in text


def test_pdf_embeds_its_fonts(demo_files):
    reader = PdfReader(io.BytesIO(demo_files["pdf"]))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = [f for f in fonts.values()
                if "/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()
                ["/FontDescriptor"].get_object()]
    assert len(embedded) == len(fonts)


def test_pdf_page_renders_as_an_image(demo_files, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed; ./run test installs it")
    source = tmp_path / "report.pdf"
    source.write_bytes(demo_files["pdf"])
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(source),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    assert image.stat().st_size > 20_000  # a page of text, not a blank one


def test_without_a_japanese_font_the_pdf_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("ROUEI_PDF_FONT", str(tmp_path / "absent.ttf"))
    with pytest.raises(pdf_renderer.FontMissing, match="fonts-ipaexfont"):
        pdf_renderer.find_fonts()
