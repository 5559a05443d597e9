"""The kind's page an administrator adapts: ``ROUEI_TEMPLATES_DIR/documents/<kind>/page.html``
and the parts pages include (``documents/_report_layout.html``, ``documents/_field.html``)
win over the built-in ones; what they print is escaped; a broken one is named, with its line."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_override(settings, tmp_path):
    """``page_override(name, text)``: an administrator's file under ROUEI_TEMPLATES_DIR."""
    settings.ROUEI_TEMPLATES_DIR = tmp_path

    def write(name: str, text: str):
        path = tmp_path / "documents" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return write


def page(client, incident, kind: str):
    return client.get(reverse(f"documents:{kind}", args=[incident.pk]))


def test_an_administrators_page_replaces_the_built_in_one(page_override, logged_in_client,
                                                          incident):
    page_override("board-report/page.html", '<p id="ours">当社様式: {{ layout.title }}</p>')
    text = page(logged_in_client, incident, "board-report").content.decode()
    assert '<p id="ours">当社様式: 個人データの漏えい等事案に関する取締役会報告</p>' in text


def test_what_an_administrators_page_prints_is_escaped(page_override, logged_in_client,
                                                       incident):
    incident.summary = '<script>alert("x")</script>'
    incident.save()
    page_override("board-report/page.html", "<p>{{ report.status.summary }}</p>")
    text = page(logged_in_client, incident, "board-report").content.decode()
    assert "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>" in text


def test_an_administrators_field_part_reaches_the_ppc_report(page_override, logged_in_client,
                                                             incident):
    page_override("_field.html", '<div class="ours" data-key="{{ f.key }}">{{ f.value }}</div>')
    text = page(logged_in_client, incident, "ppc-report").content.decode()
    assert '<div class="ours" data-key="people.text">900人' in text


def test_the_page_sees_the_incidents_id_not_the_record(page_override, logged_in_client,
                                                       incident):
    page_override("board-report/page.html",
                  "<p>[{{ incident.pk }}|{{ incident.created_by.password }}]</p>")
    text = page(logged_in_client, incident, "board-report").content.decode()
    assert f"<p>[{incident.pk}|]</p>" in text


def test_a_broken_page_is_named_with_its_line(page_override, logged_in_client, incident):
    page_override("board-report/page.html", "<p>\n{% if %}\n</p>")
    text = page(logged_in_client, incident, "board-report").content.decode()
    assert "documents/board-report/page.html:2" in text


def test_a_broken_page_answers_503(page_override, logged_in_client, incident):
    page_override("board-report/page.html", "{% if %}")
    assert page(logged_in_client, incident, "board-report").status_code == 503


def test_a_broken_part_is_named(page_override, logged_in_client, incident):
    page_override("_report_layout.html", "{% for %}")
    text = page(logged_in_client, incident, "ppc-report").content.decode()
    assert "documents/_report_layout.html:1" in text
