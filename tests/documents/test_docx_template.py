"""A Word file as a kind's template (docxtpl): ``document.docx`` in the kind's folder or under
ROUEI_TEMPLATES_DIR makes the .docx, with the variables of ``document.jinja`` in the same
sandbox; the shipped example (the board report) renders the demo incident; a broken one is
named in Japanese, never a 500."""

from __future__ import annotations

import io
import shutil

import pytest
from django.urls import reverse
from docx import Document

from rouei.documents import services
from rouei.documents.kinds import get_kind
from rouei.documents.templating import (
    KINDS_DIR,
    TemplateFailed,
    render_docx_template,
)
from tests.documents.readback import docx_text, flat, pdf_text

EXAMPLE = KINDS_DIR / "board_report" / "examples" / "document.docx"


@pytest.fixture
def word_template(settings, tmp_path):
    """Put an administrator's Word template for a kind: ``word_template(kind, *paragraphs)``
    (each paragraph one run, so its tags stay whole) or ``word_template(kind, path=…)``."""
    settings.ROUEI_TEMPLATES_DIR = tmp_path

    def put(kind: str, *paragraphs: str, path=None):
        target = tmp_path / "documents" / kind / "document.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        if path is not None:
            shutil.copy(path, target)
        else:
            document = Document()
            for text in paragraphs:
                document.add_paragraph(text)
            document.save(str(target))
        return target

    return put


def word(content: bytes) -> str:
    return docx_text(content)


def board_docx(incident) -> str:
    return word(services.render(get_kind("board-report"), incident, stage=None,
                                fmt="docx").content)


# --- the shipped example: the board report --------------------------------------------------

@pytest.fixture
def example(word_template):
    return word_template("board-report", path=EXAMPLE)


@pytest.mark.django_db
def test_the_example_writes_the_board_reports_title(example, demo):
    assert "個人データの漏えい等事案に関する取締役会報告" in board_docx(demo)


@pytest.mark.django_db
def test_the_example_writes_the_incidents_title(example, demo):
    assert f"事案: {demo.title}" in board_docx(demo)


@pytest.mark.django_db
def test_the_example_writes_the_people_confirmed_of_the_facts(example, demo):
    confirmed = demo.latest_facts().as_facts().people_confirmed
    assert f"確認済み: {confirmed:,}人" in board_docx(demo)


@pytest.mark.django_db
def test_the_example_writes_the_status(example, demo):
    content = get_kind("board-report").build(demo, None, None)
    assert f"対応の段階: {content['status']['label']}" in board_docx(demo)


@pytest.mark.django_db
def test_the_example_writes_a_line_per_coming_deadline(example, demo):
    content = get_kind("board-report").build(demo, None, None)
    text = board_docx(demo)
    assert all(f"・{d['what']}（期限 " in text for d in content["deadlines"]["coming"])


@pytest.mark.django_db
def test_the_example_leaves_no_tag_in_the_word_file(example, demo):
    text = board_docx(demo)
    assert ("{{" not in text, "{%" not in text) == (True, True)


@pytest.mark.django_db
def test_the_example_writes_a_table_row_per_spend_category(example, demo):
    import datetime as dt

    from rouei.estimates import actions

    lead = demo.memberships.get(role="lead").user
    actions.do_add_spend(demo, spent_on=dt.date(2026, 12, 1), category="legal_counsel",
                         amount=123456, actor=lead)
    cells = [c.text for t in Document(io.BytesIO(services.render(
        get_kind("board-report"), demo, stage=None, fmt="docx").content)).tables
        for row in t.rows for c in row.cells]
    assert "123,456円" in cells


@pytest.mark.django_db
def test_the_pdf_still_follows_document_jinja(example, demo, settings):
    kind = get_kind("board-report")
    with_word = pdf_text(services.render(kind, demo, stage=None, fmt="pdf").content)
    settings.ROUEI_TEMPLATES_DIR = None
    without = pdf_text(services.render(kind, demo, stage=None, fmt="pdf").content)
    assert flat(with_word) == flat(without)


# --- data is data -----------------------------------------------------------------------------

def test_markup_characters_in_the_data_are_text(word_template):
    word_template("board-report", "{{ report.title }}")
    content = render_docx_template("board-report", {"report": {"title": "A & <w:p> B"}})
    assert word(content).strip() == "A & <w:p> B"


def test_a_line_break_in_the_data_is_a_line_break_in_word(word_template):
    word_template("board-report", "{{ report.title }}")
    content = render_docx_template("board-report", {"report": {"title": "一行目\n二行目"}})
    assert word(content).strip() == "一行目\n二行目"


def test_the_filters_of_document_jinja_work_in_word(word_template):
    word_template("board-report", "{{ day | wareki }} {{ amount | yen }}")
    content = render_docx_template("board-report", {"day": "2026-12-06", "amount": 1200})
    assert word(content).strip() == "令和8年12月6日 1,200円"


def test_an_empty_value_prints_nothing(word_template):
    word_template("board-report", "[{{ status.summary }}]")
    assert word(render_docx_template("board-report", {"status": {"summary": None}})).strip() \
        == "[]"


def test_document_is_the_whole_content(word_template):
    word_template("board-report", "{{ document.report.title }}")
    assert word(render_docx_template("board-report", {"report": {"title": "件名"}})).strip() \
        == "件名"


def test_without_a_word_template_there_is_none(settings, tmp_path):
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    assert render_docx_template("board-report", {}) is None


# --- failures ---------------------------------------------------------------------------------

@pytest.mark.parametrize("expression", [
    "document.__class__.__mro__",
    "''.__class__.__subclasses__()",
    "lipsum.__globals__",
])
def test_the_sandbox_refuses_private_attributes(word_template, expression):
    word_template("board-report", "{{ " + expression + " }}")
    with pytest.raises(TemplateFailed, match="sandbox"):
        render_docx_template("board-report", {"report": {}})


def test_the_sandbox_refuses_to_change_the_content(word_template):
    word_template("board-report", "{{ report.update(title='x') }}")
    with pytest.raises(TemplateFailed, match="sandbox"):
        render_docx_template("board-report", {"report": {"title": "y"}})


def test_a_syntax_error_names_the_file(word_template):
    word_template("board-report", "前の文", "{% if %}")
    with pytest.raises(TemplateFailed) as failed:
        render_docx_template("board-report", {})
    assert failed.value.name == "documents/board-report/document.docx"


def test_a_syntax_error_quotes_the_text_near_it(word_template):
    word_template("board-report", "前の文", "{% if %}")
    with pytest.raises(TemplateFailed, match="前の文"):
        render_docx_template("board-report", {})


def test_an_unknown_name_is_an_error(word_template):
    word_template("board-report", "{{ no_such_key }}")
    with pytest.raises(TemplateFailed, match="no_such_key"):
        render_docx_template("board-report", {})


def test_a_file_that_is_not_word_is_named(settings, tmp_path):
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    path = tmp_path / "documents" / "board-report" / "document.docx"
    path.parent.mkdir(parents=True)
    path.write_text("not a docx")
    with pytest.raises(TemplateFailed, match="not a Word"):
        render_docx_template("board-report", {})


@pytest.mark.django_db
def test_a_download_through_a_broken_word_template_says_why_in_japanese(
        word_template, logged_in_client, incident):
    word_template("board-report", "{% if %}")
    page = logged_in_client.post(
        reverse("documents:board-report-download", args=[incident.pk]),
        {"format": "docx"}, follow=True)
    assert "管理者が置いた文書テンプレート documents/board-report/document.docx を使えません" \
        in page.content.decode()


@pytest.mark.django_db
def test_a_download_through_a_broken_word_template_is_no_server_error(
        word_template, logged_in_client, incident):
    word_template("board-report", "{% if %}")
    page = logged_in_client.post(
        reverse("documents:board-report-download", args=[incident.pk]), {"format": "docx"})
    assert page.status_code == 302
