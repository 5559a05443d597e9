"""The documents page under an incident: who sees it, who downloads, the card on the incident
page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rouei.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(name, incident, kind=None):
    if kind is None:
        return reverse(f"documents:{name}", args=[incident.pk])
    suffix = "-download" if name == "download" else ""
    return reverse(f"documents:{kind}{suffix}", args=[incident.pk])


def test_non_member_gets_404_on_the_page(client, incident, outsider):
    client.force_login(outsider)
    assert client.get(url("kind", incident, "ppc-report")).status_code == 404


def test_non_member_gets_404_on_the_download(client, incident, outsider):
    client.force_login(outsider)
    response = client.post(url("download", incident, "ppc-report"), {"format": "pdf"})
    assert response.status_code == 404


def test_index_lists_the_ppc_report(logged_in_client, incident):
    response = logged_in_client.get(url("index", incident))
    assert 'data-kind="ppc-report"' in response.content.decode()


def test_viewer_reads_the_report_field_by_field(client, incident, member):
    client.force_login(member("viewer"))
    page = client.get(url("kind", incident, "ppc-report")).content.decode()
    assert "900人（確認済み）" in page


def test_viewer_sees_the_missing_items_with_their_deadline(client, incident, member):
    client.force_login(member("viewer"))
    page = client.get(url("kind", incident, "ppc-report")).content.decode()
    assert 'data-field="secondary_damage.status"' in page


def test_viewer_cannot_download(client, incident, member):
    client.force_login(member("viewer"))
    response = client.post(url("download", incident, "ppc-report"), {"format": "pdf"})
    assert response.status_code == 403


def test_forensics_cannot_download(client, incident, member):
    client.force_login(member("forensics"))
    response = client.post(url("download", incident, "ppc-report"), {"format": "docx"})
    assert response.status_code == 403


def test_legal_downloads_the_pdf(client, incident, member):
    client.force_login(member("legal"))
    response = client.post(url("download", incident, "ppc-report"),
                           {"format": "pdf", "stage": "preliminary"})
    assert response.content.startswith(b"%PDF-")


def test_download_is_an_audit_event(logged_in_client, incident):
    logged_in_client.post(url("download", incident, "ppc-report"), {"format": "json"})
    assert AuditEvent.objects.filter(action="document.render",
                                     incident_id=incident.pk).count() == 1


def test_download_by_get_is_not_allowed(logged_in_client, incident):
    assert logged_in_client.get(url("download", incident, "ppc-report")).status_code == 405


def test_unknown_kind_is_404(logged_in_client, incident):
    address = url("index", incident) + "no-such-kind/"
    assert logged_in_client.get(address).status_code == 404


def test_unknown_stage_is_404(logged_in_client, incident):
    response = logged_in_client.get(url("kind", incident, "ppc-report") + "?stage=draft")
    assert response.status_code == 404


def test_incident_page_has_the_documents_card(logged_in_client, incident):
    page = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content
    assert url("kind", incident, "ppc-report").encode() in page


def test_demo_final_stage_shows_the_changes_since_the_preliminary(client, demo):
    client.force_login(demo.created_by)
    page = client.get(url("kind", demo, "ppc-report") + "?stage=final").content.decode()
    assert 'data-field="people.text"' in page
