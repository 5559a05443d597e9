"""The spend record (支出): audited adds and corrections, the sum per category beside the
estimate, and the page reachable from the incident (members only; editors write)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.estimates import actions
from rouei.estimates.services import incident_estimate, spend_summary

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def add(incident, user, category="forensic_investigation", amount=1_200_000, note=""):
    return actions.do_add_spend(incident, spent_on=TODAY, category=category, amount=amount,
                                note=note, actor=user)


def summary(incident) -> dict:
    return spend_summary(incident, incident_estimate(incident, "ja")["estimate"], "ja")


def line(incident, key) -> dict:
    return next(x for x in summary(incident)["lines"] if x["key"] == key)


# --- the writes -------------------------------------------------------------------------------

def test_a_spend_is_recorded(incident, user):
    add(incident, user)
    assert incident.spends.get().amount == 1_200_000


def test_adding_is_audited(incident, user):
    row = add(incident, user)
    assert AuditEvent.objects.get(action="spend.add").object_id == str(row.pk)


def test_the_audit_event_holds_no_note(incident, user):
    add(incident, user, note="山田様への返金")
    assert "山田" not in str(AuditEvent.objects.get(action="spend.add").details)


def test_the_note_is_encrypted_at_rest(incident, user):
    row = add(incident, user, note="SECRETNOTE-1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM estimates_spend WHERE id = %s", [row.pk])
        assert "SECRETNOTE" not in cursor.fetchone()[0]


def test_an_unknown_category_is_refused(incident, user):
    with pytest.raises(ActionError) as refused:
        add(incident, user, category="champagne")
    assert refused.value.field == "category"


def test_a_zero_amount_is_refused(incident, user):
    with pytest.raises(ActionError) as refused:
        add(incident, user, amount=0)
    assert refused.value.field == "amount"


def test_a_future_day_is_refused(incident, user):
    with pytest.raises(ActionError) as refused:
        actions.do_add_spend(incident, spent_on=timezone.localdate() + dt.timedelta(days=1),
                             category="other", amount=1, actor=user)
    assert refused.value.field == "spent_on"


def test_a_viewer_cannot_record_spend(incident, member):
    from rouei.core.access import RoleForbidden

    with pytest.raises(RoleForbidden):
        add(incident, member("viewer"))


def test_a_correction_changes_the_amount(incident, user):
    row = add(incident, user)
    actions.do_update_spend(row, expected_version=1, amount=1_500_000, actor=user)
    assert incident.spends.get().amount == 1_500_000


def test_a_correction_is_audited_with_what_changed(incident, user):
    row = add(incident, user)
    actions.do_update_spend(row, expected_version=1, amount=1_500_000, actor=user)
    assert AuditEvent.objects.get(action="spend.update").details["changed"] == ["amount"]


def test_a_correction_from_an_old_form_is_refused(incident, user):
    row = add(incident, user)
    actions.do_update_spend(row, expected_version=1, amount=1_500_000, actor=user)
    with pytest.raises(actions.SpendConflict):
        actions.do_update_spend(row, expected_version=1, amount=900_000, actor=user)


# --- beside the estimate ------------------------------------------------------------------------

def test_spend_is_summed_per_category(incident, user):
    add(incident, user, amount=1_000_000)
    add(incident, user, amount=200_000)
    assert line(incident, "forensic_investigation")["spent"] == 1_200_000


def test_the_difference_is_spent_minus_estimate(incident, user):
    add(incident, user, amount=1_200_000)  # the default forensic estimate is 3,000,000
    assert line(incident, "forensic_investigation")["difference"] == -1_800_000


def test_a_category_without_estimate_has_no_difference(incident, user):
    add(incident, user, category="goodwill", amount=450_000)
    assert line(incident, "goodwill")["difference"] is None


def test_the_total_spent_adds_every_category(incident, user):
    add(incident, user, amount=1_200_000)
    add(incident, user, category="other", amount=30_000)
    assert summary(incident)["total"]["spent"] == 1_230_000


def test_the_total_estimate_is_the_response_costs(incident, user):
    estimate = incident_estimate(incident, "ja")["estimate"]["response_costs"]["subtotal"]
    assert summary(incident)["total"]["estimate"] == estimate


# --- the page -------------------------------------------------------------------------------------

def spend_url(incident) -> str:
    return reverse("estimates:spend", args=[incident.pk])


def test_the_incident_page_links_the_spend_page(logged_in_client, incident):
    page = logged_in_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert spend_url(incident) in page


def test_the_board_report_page_links_the_spend_page(logged_in_client, incident):
    page = logged_in_client.get(reverse("documents:board-report",
                                        args=[incident.pk])).content.decode()
    assert spend_url(incident) in page


def test_the_page_records_a_spend(logged_in_client, incident):
    logged_in_client.post(spend_url(incident), {
        "spent_on": "2026-12-01", "category": "legal_counsel", "amount": "500000",
        "note": "法律事務所 着手金"})
    assert incident.spends.get().category == "legal_counsel"


def test_the_page_shows_the_record_and_the_comparison(logged_in_client, incident, user):
    add(incident, user)
    page = logged_in_client.get(spend_url(incident)).content.decode()
    assert 'data-category="forensic_investigation"' in page


def test_a_bad_amount_is_shown_on_the_form(logged_in_client, incident):
    response = logged_in_client.post(spend_url(incident), {
        "spent_on": "2026-12-01", "category": "legal_counsel", "amount": "0"})
    assert response.status_code == 400


def test_the_edit_page_corrects_a_record(logged_in_client, incident, user):
    row = add(incident, user)
    logged_in_client.post(reverse("estimates:spend_edit", args=[incident.pk, row.pk]), {
        "spent_on": "2026-12-01", "category": "forensic_investigation", "amount": "1300000",
        "note": "", "expected_version": "1"})
    assert incident.spends.get().amount == 1_300_000


def test_a_viewer_reads_the_page_without_the_form(client, incident, member):
    client.force_login(member("viewer"))
    page = client.get(spend_url(incident)).content.decode()
    assert 'id="spend-add"' not in page


def test_a_viewer_cannot_post(client, incident, member):
    client.force_login(member("viewer"))
    response = client.post(spend_url(incident), {
        "spent_on": "2026-12-01", "category": "other", "amount": "1"})
    assert response.status_code == 403


def test_a_non_member_gets_404(client, incident, make_user):
    client.force_login(make_user("stranger"))
    assert client.get(spend_url(incident)).status_code == 404


def test_another_incidents_record_is_not_found(logged_in_client, incident, user):
    from rouei.incidents import actions as incident_actions

    other = incident_actions.do_create_incident(title="別の事案", actor=user)
    row = add(other, user)
    url = reverse("estimates:spend_edit", args=[incident.pk, row.pk])
    assert logged_in_client.get(url).status_code == 404
