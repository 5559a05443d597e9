"""`rouei incident create|facts` and `rouei documents render`: documents for a facts file
without the web app, through the audited actions."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.models import AuditEvent
from rouei.incidents.models import Incident

pytestmark = pytest.mark.django_db
runner = CliRunner()
FACTS = "items: [person_name, email]\npeople_confirmed: {n}\nknew_at: '2026-11-24'\n" \
        "cause: misconfiguration\nmalicious: false\n"


@pytest.fixture
def facts_file(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS.format(n=900), encoding="utf-8")
    return path


@pytest.fixture
def created(user, facts_file):
    result = runner.invoke(app, ["incident", "create", "--facts", str(facts_file), "--lead",
                                 user.username, "--title", "設定ミス"])
    return result, Incident.objects.get(pk=int(result.stdout.strip()))


def test_incident_create_prints_the_new_id(created):
    assert created[0].exit_code == 0


def test_incident_create_makes_the_lead_the_given_user(created, user):
    assert created[1].memberships.get().user == user


def test_incident_create_refuses_bad_facts(user, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("people_confirmed: -1\n", encoding="utf-8")
    result = runner.invoke(app, ["incident", "create", "--facts", str(bad), "--lead",
                                 user.username])
    assert result.exit_code == 2


def test_incident_facts_saves_a_new_version(created, facts_file):
    facts_file.write_text(FACTS.format(n=1500), encoding="utf-8")
    runner.invoke(app, ["incident", "facts", str(created[1].pk), str(facts_file)])
    assert created[1].latest_facts().facts["people_confirmed"] == 1500


def test_incident_facts_prints_the_duty_change(created, facts_file):
    facts_file.write_text(FACTS.format(n=1500), encoding="utf-8")
    result = runner.invoke(app, ["incident", "facts", str(created[1].pk), str(facts_file)])
    assert "規則7条4号" in result.stdout


def test_render_json_writes_the_report(created, tmp_path):
    out = tmp_path / "report.json"
    runner.invoke(app, ["documents", "render", str(created[1].pk), "ppc-report", "--format",
                        "json", "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["people"]["confirmed"] == 900


def test_render_pdf_with_a_stage(created, tmp_path):
    out = tmp_path / "report.pdf"
    result = runner.invoke(app, ["documents", "render", str(created[1].pk), "ppc-report",
                                 "--stage", "final", "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_render_is_audited(created, tmp_path):
    runner.invoke(app, ["documents", "render", str(created[1].pk), "ppc-report", "--format",
                        "docx", "--out", str(tmp_path / "r.docx")])
    event = AuditEvent.objects.get(action="document.render")
    assert event.details["via"] == "cli"


@pytest.mark.parametrize("kind", ["board-report", "prevention-plan"])
def test_board_report_and_prevention_plan_render_from_the_command_line(created, tmp_path, kind):
    out = tmp_path / "x.json"
    runner.invoke(app, ["documents", "render", str(created[1].pk), kind, "--format", "json",
                        "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))[
        "report" if kind == "board-report" else "plan"]["kind"] == kind


def test_the_my_number_report_is_refused_where_not_owed(created, tmp_path):
    # The facts file has no My Numbers: the command says why instead of writing a file.
    result = runner.invoke(app, ["documents", "render", str(created[1].pk), "my-number-report",
                                 "--format", "pdf", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "個人番号" in result.stderr


def test_render_public_notice_writes_the_draft_as_json(created, tmp_path):
    out = tmp_path / "notice.json"
    runner.invoke(app, ["documents", "render", str(created[1].pk), "public-notice", "--format",
                        "json", "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8"))["notice"]["version_label"] == "第一報"


def test_unknown_stage_is_refused(created, tmp_path):
    result = runner.invoke(app, ["documents", "render", str(created[1].pk), "ppc-report",
                                 "--stage", "draft", "--format", "pdf", "--out",
                                 str(tmp_path / "x.pdf")])
    assert result.exit_code == 2


def test_unknown_incident_is_refused(tmp_path):
    result = runner.invoke(app, ["documents", "render", "999999", "ppc-report", "--format",
                                 "json", "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 1


# --- rouei documents check ------------------------------------------------------------------

@pytest.fixture
def grown(created, facts_file, user):
    """Filed a 速報 for 900 people, then the count grew to 1,500 (no explanation recorded)."""
    import datetime as dt

    from django.utils import timezone

    from rouei.incidents.actions import do_record_filed_report

    case = created[1]
    do_record_filed_report(case, kind="preliminary", filed_at=timezone.now()
                           - dt.timedelta(minutes=1), channel="ppc_form", receipt_number="",
                           filed_by=user, note="", actor=user)
    facts_file.write_text(FACTS.format(n=1500), encoding="utf-8")
    runner.invoke(app, ["incident", "facts", str(case.pk), str(facts_file)])
    return case


def test_documents_check_lists_the_warning_codes(grown):
    result = runner.invoke(app, ["documents", "check", str(grown.pk)])
    assert "check.numbers_changed_since_filing" in result.stdout


def test_documents_check_exits_0_with_warnings(grown):
    assert runner.invoke(app, ["documents", "check", str(grown.pk)]).exit_code == 0


def test_documents_check_json_has_the_contract_keys(grown):
    result = runner.invoke(app, ["documents", "check", str(grown.pk), "--json"])
    assert {"code", "severity", "message", "message_en"} <= set(json.loads(result.stdout)[0])


def test_documents_check_json_message_names_the_new_count(grown):
    result = runner.invoke(app, ["documents", "check", str(grown.pk), "--json"])
    found = {f["code"]: f for f in json.loads(result.stdout)}
    assert "1,500人" in found["check.numbers_changed_since_filing"]["message"]


def test_documents_check_refuses_a_missing_incident(db):
    assert runner.invoke(app, ["documents", "check", "999999"]).exit_code == 1


# --- rouei documents templates ------------------------------------------------------------------

def test_templates_lists_the_kinds_templates(settings):
    settings.ROUEI_TEMPLATES_DIR = None
    result = runner.invoke(app, ["documents", "templates"])
    assert "documents/ppc-report/document.jinja" in result.stdout


def test_templates_export_writes_what_templates_dir_expects(tmp_path):
    runner.invoke(app, ["documents", "templates", "--export", str(tmp_path)])
    assert (tmp_path / "documents" / "board-report" / "document.jinja").is_file()


def test_templates_export_writes_a_reference_docx(tmp_path):
    runner.invoke(app, ["documents", "templates", "--export", str(tmp_path)])
    assert (tmp_path / "documents" / "reference.docx").read_bytes().startswith(b"PK")


def test_templates_export_keeps_an_adapted_file(tmp_path):
    adapted = tmp_path / "documents" / "ppc-report" / "document.jinja"
    adapted.parent.mkdir(parents=True)
    adapted.write_text("title: 当社版", encoding="utf-8")
    runner.invoke(app, ["documents", "templates", "--export", str(tmp_path)])
    assert adapted.read_text(encoding="utf-8") == "title: 当社版"


def test_templates_says_which_file_is_the_administrators(settings, tmp_path):
    runner.invoke(app, ["documents", "templates", "--export", str(tmp_path)])
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    result = runner.invoke(app, ["documents", "templates"])
    assert "override" in result.stdout


def test_render_with_a_broken_template_names_file_and_line(created, settings, tmp_path):
    broken = tmp_path / "documents" / "ppc-report" / "document.jinja"
    broken.parent.mkdir(parents=True)
    broken.write_text("title: x\n{{ overview.nope }}\n", encoding="utf-8")
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    result = runner.invoke(app, ["documents", "render", str(created[1].pk), "ppc-report",
                                 "--format", "pdf", "--out", str(tmp_path / "x.pdf")])
    assert "documents/ppc-report/document.jinja:2" in result.stderr


def test_templates_export_writes_the_example_word_template(tmp_path):
    runner.invoke(app, ["documents", "templates", "--export", str(tmp_path)])
    example = tmp_path / "documents" / "examples" / "board-report" / "document.docx"
    assert example.read_bytes().startswith(b"PK")


def test_templates_export_writes_the_kinds_page(tmp_path):
    runner.invoke(app, ["documents", "templates", "--export", str(tmp_path)])
    assert (tmp_path / "documents" / "ppc-report" / "page.html").is_file()


def test_templates_says_a_word_template_leaves_the_pdf_to_document_jinja(settings, tmp_path):
    runner.invoke(app, ["documents", "templates", "--export", str(tmp_path)])
    examples = tmp_path / "documents" / "examples" / "board-report" / "document.docx"
    examples.rename(tmp_path / "documents" / "board-report" / "document.docx")
    settings.ROUEI_TEMPLATES_DIR = tmp_path
    result = runner.invoke(app, ["documents", "templates"])
    line = next(x for x in result.stdout.splitlines()
                if "documents/board-report/document.docx" in x)
    assert "the page and the PDF follow document.jinja" in line
