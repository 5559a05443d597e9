"""Document templates an administrator edits without Python: the Japanese filters, the line
markup, the sandbox, the overrides under ROUEI_TEMPLATES_DIR, a broken template named by file
and line, and reference.docx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from rouei.documents import services
from rouei.documents.kinds import get_kind
from rouei.documents.renderers.docx import default_reference
from rouei.documents.templating import (
    DEFAULT_PLACEHOLDER,
    TemplateFailed,
    builtin_path,
    environment,
    parse,
    render_layout,
)
from tests.documents.readback import docx_text, flat, pdf_text

PPC = "ppc-report/document.jinja"


def markup(source: str, **content) -> str:
    return environment(False).from_string(source).render(content)


# --- the filters ------------------------------------------------------------------------------

def test_wareki_writes_the_era():
    assert markup("{{ d | wareki }}", d=dt.date(2026, 12, 6)) == "令和8年12月6日"


def test_wareki_reads_an_iso_date():
    assert markup("{{ d | wareki }}", d="2019-05-01") == "令和元年5月1日"


def test_jdate_writes_the_weekday():
    assert markup("{{ d | jdate }}", d="2026-12-06") == "2026年12月6日（日）"


def test_seireki_has_no_weekday():
    assert markup("{{ d | seireki }}", d="2026-12-06") == "2026年12月6日"


def test_jdatetime_is_in_japan_time():
    assert markup("{{ t | jdatetime }}", t="2026-12-05T15:30:00+00:00") \
        == "2026年12月6日（日）0時30分"


def test_jtime_is_in_japan_time():
    assert markup("{{ t | jtime }}", t="2026-12-06T01:05:00+00:00") == "10時05分"


def test_yen_separates_thousands():
    assert markup("{{ n | yen }}", n=12345678) == "12,345,678円"


def test_people_counts_people():
    assert markup("{{ n | people }}", n=1200) == "1,200人"


def test_a_filter_prints_nothing_for_none():
    assert markup("{{ n | yen }}{{ d | wareki }}", n=None, d=None) == ""


def test_bullets_puts_each_entry_after_a_dot():
    layout = parse(markup("field: k | L | {{ xs | bullets }}", xs=["a", "b"]))
    assert layout.fields()["k"].value == "・a\n・b"


# --- the markup -------------------------------------------------------------------------------

def test_an_empty_field_shows_the_placeholder():
    assert parse("field: k | L | ").fields()["k"].value == DEFAULT_PLACEHOLDER


def test_an_empty_field_is_missing():
    assert parse("field: k | L | ").fields()["k"].missing


def test_a_filled_field_is_not_missing():
    assert not parse("field: k | L | x").fields()["k"].missing


def test_field_bang_is_marked_even_when_filled():
    assert parse("field!: k | L | x").fields()["k"].missing


def test_placeholder_changes_the_text_of_the_fields_after_it():
    layout = parse("placeholder: （未設定）\nfield: k | L |")
    assert layout.fields()["k"].value == "（未設定）"


def test_continuation_lines_add_lines_to_the_value():
    assert parse("field: k | L |\n| one\n| two").fields()["k"].value == "one\ntwo"


def test_fields_before_a_section_are_the_heading_block():
    assert [f.key for f in parse("field: a | A | 1\nsection: 1 | S\nfield: b | B | 2").head] \
        == ["a"]


def test_a_section_has_its_number_heading_and_citation():
    section = parse("section: 3 | 本人の数 | 規則8条1項3号").sections[0]
    assert (section.number, section.heading, section.citation) == ("3", "本人の数", "規則8条1項3号")


def test_text_is_a_paragraph_without_a_label():
    layout = parse("section: 1 | 経緯\ntext: sections.history | 本文")
    assert layout.sections[0].fields[0].label == ""


def test_data_cannot_add_a_block():
    typed = "本文\nfield: fake | 偽 | x"
    layout = parse(markup("section: 1 | S\ntext: t | {{ v }}", v=typed))
    assert layout.sections[0].fields[0].value == typed


def test_a_bar_in_the_data_does_not_split_the_line():
    layout = parse(markup("field: k | L | {{ v }}", v="a | b"))
    assert layout.fields()["k"].value == "a | b"


def test_html_characters_in_the_data_are_kept():
    layout = parse(markup("field: k | L | {{ v }}", v="A&B <株>"))
    assert layout.fields()["k"].value == "A&B <株>"


# --- the sandbox ------------------------------------------------------------------------------

@pytest.fixture
def override(settings, tmp_path):
    """Write an administrator's template: ``override(name, text)``."""
    settings.ROUEI_TEMPLATES_DIR = tmp_path

    def write(name: str, text: str):
        path = tmp_path / "documents" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize("expression", [
    "document.__class__.__mro__",
    "''.__class__.__subclasses__()",
    "'x'.upper.__self__",
    "lipsum.__globals__",
])
def test_the_sandbox_refuses_private_attributes(override, expression):
    override(PPC, "{% from 'common.jinja' import task_line %}title: {{ " + expression + " }}")
    with pytest.raises(TemplateFailed, match="sandbox"):
        render_layout("ppc-report", {"overview": {}})


def test_the_sandbox_refuses_to_change_the_content(override):
    override(PPC, "title: {{ overview.update({'x': 1}) }}")
    with pytest.raises(TemplateFailed, match="sandbox"):
        render_layout("ppc-report", {"overview": {}})


# --- overrides and errors -----------------------------------------------------------------------


def test_the_built_in_template_is_in_the_kind_folder():
    assert builtin_path(PPC).parent.name == "ppc_report"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_an_override_changes_the_rendered_text(override, incident, fmt):
    source = builtin_path(PPC).read_text(encoding="utf-8")
    override(PPC, source.replace("title: 個人データの漏えい等の事案に関する報告",
                                 "title: 当社版・漏えい等報告書"))
    rendered = services.render(get_kind("ppc-report"), incident, stage="preliminary", fmt=fmt)
    text = {"docx": docx_text, "pdf": pdf_text}[fmt](rendered.content)
    assert "当社版・漏えい等報告書" in flat(text)


@pytest.mark.django_db
def test_an_override_of_the_ppc_report_reaches_the_controller_notice(override, incident):
    source = builtin_path(PPC).read_text(encoding="utf-8")
    override(PPC, source.replace("section: 4 | 原因 |", "section: 4 | 原因（当社の書き方） |"))
    kind = get_kind("controller-notice")
    assert "原因（当社の書き方）" in kind.layout(kind.build(incident)).text()


def test_a_syntax_error_names_the_file(override):
    override(PPC, "title: x\n{% if %}\n")
    with pytest.raises(TemplateFailed) as failed:
        render_layout("ppc-report", {})
    assert failed.value.name == "documents/ppc-report/document.jinja"


def test_a_syntax_error_names_the_line(override):
    override(PPC, "title: x\n\n{% if %}\n")
    with pytest.raises(TemplateFailed) as failed:
        render_layout("ppc-report", {})
    assert failed.value.line == 3


def test_an_unknown_name_names_the_line(override):
    override(PPC, "title: x\nsubtitle: y\nfield: k | L | {{ overview.no_such_key }}\n")
    with pytest.raises(TemplateFailed) as failed:
        render_layout("ppc-report", {"overview": {}})
    assert failed.value.line == 3


def test_a_wrong_markup_line_names_its_template_line(override):
    override(PPC, "title: x\nfeld: k | L | {{ v }}\n")
    with pytest.raises(TemplateFailed) as failed:
        render_layout("ppc-report", {"v": 1})
    assert failed.value.line == 2


def test_the_error_says_it_is_the_administrators_copy(override):
    override(PPC, "{% if %}")
    with pytest.raises(TemplateFailed) as failed:
        render_layout("ppc-report", {})
    assert "管理者が置いた" in failed.value.message("ja")


def test_an_error_in_common_names_common(override):
    override("common.jinja", "{% macro task_line(line) %}{{ line.nope }}{% endmacro %}")
    override(PPC, "{% from 'common.jinja' import task_line %}\ntitle: {{ task_line({}) }}\n")
    with pytest.raises(TemplateFailed) as failed:
        render_layout("ppc-report", {})
    assert failed.value.name == "documents/common.jinja"


@pytest.mark.django_db
def test_the_page_names_the_broken_template_and_line(override, logged_in_client, incident):
    override(PPC, "title: x\n{% if %}\n")
    page = logged_in_client.get(reverse("documents:ppc-report", args=[incident.pk]))
    assert "documents/ppc-report/document.jinja:2" in page.content.decode()


@pytest.mark.django_db
def test_the_page_with_a_broken_template_shows_no_traceback(override, logged_in_client,
                                                            incident):
    override(PPC, "title: x\n{% if %}\n")
    page = logged_in_client.get(reverse("documents:ppc-report", args=[incident.pk]))
    assert "Traceback" not in page.content.decode()


@pytest.mark.django_db
def test_the_page_with_a_broken_template_answers_503(override, logged_in_client, incident):
    override(PPC, "title: x\n{% if %}\n")
    page = logged_in_client.get(reverse("documents:ppc-report", args=[incident.pk]))
    assert page.status_code == 503


@pytest.mark.django_db
def test_the_mistake_check_keeps_working_with_a_broken_ppc_template(override, incident):
    from rouei.documents.services import check

    override(PPC, "{% if %}")
    assert isinstance(check(incident), list)


# --- reference.docx ---------------------------------------------------------------------------

@pytest.fixture
def letterhead(settings, tmp_path):
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    document = Document(io.BytesIO(default_reference()))
    document.sections[0].header.paragraphs[0].text = "株式会社レター 総務部"
    path = tmp_path / "documents" / "ppc-report" / "reference.docx"
    path.parent.mkdir(parents=True)
    document.save(str(path))
    return path


@pytest.mark.django_db
def test_reference_docx_gives_the_word_file_its_letterhead(letterhead, incident):
    rendered = services.render(get_kind("ppc-report"), incident, stage="preliminary",
                               fmt="docx")
    header = Document(io.BytesIO(rendered.content)).sections[0].header.paragraphs[0].text
    assert header == "株式会社レター 総務部"


@pytest.mark.django_db
def test_reference_docx_keeps_the_text_of_the_pdf(letterhead, incident):
    kind = get_kind("ppc-report")
    word = docx_text(services.render(kind, incident, stage="preliminary", fmt="docx").content)
    assert "900人（確認済み）" in word


@pytest.mark.django_db
def test_a_reference_that_is_not_a_word_file_is_named(settings, tmp_path, incident):
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "reference.docx").write_text("not a docx")
    with pytest.raises(TemplateFailed) as failed:
        services.render(get_kind("ppc-report"), incident, stage="preliminary", fmt="docx")
    assert failed.value.name == "documents/reference.docx"


@pytest.mark.django_db
def test_the_public_page_stays_up_with_a_broken_notice_template(override, client, incident,
                                                                 user):
    from rouei.documents import actions
    from rouei.documents.models import PublicNoticePage
    from rouei.people.models import NoticeSettings

    NoticeSettings.objects.create(incident=incident, window_phone="0120-000-000",
                                  window_hours="9:00～18:00")
    actions.do_publish_notice(incident, actor=user)
    override("public-notice/document.jinja", "{% if %}")
    token = PublicNoticePage.objects.get(incident=incident).token
    page = client.get(reverse("documents:public", args=[token]))
    assert "お詫び" in page.content.decode()


def test_a_template_cannot_include_a_file_outside_the_templates(override, tmp_path):
    (tmp_path / "secret.txt").write_text("title: secret", encoding="utf-8")
    override(PPC, "{% include '../secret.txt' %}")
    with pytest.raises(TemplateFailed, match="not found"):
        render_layout("ppc-report", {})
