"""Issue 13, the mistake check in a real browser: the count grew after the 速報 was filed, so
the incident page warns at the top; the lead records why, and the warning goes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.incidents import actions
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = "/tmp/checks_card_desktop.png"
PHONE = "/tmp/checks_card_390.png"
CHANGED = "check.numbers_changed_since_filing"


@pytest.fixture
def grown(user):
    knew = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    incident = actions.do_create_incident(title="顧客名簿の流出", actor=user, facts={
        "items": ["person_name", "email"], "people_confirmed": 2000, "knew_at": knew,
        "cause": "misconfiguration", "malicious": False})
    actions.do_record_filed_report(
        incident, kind="preliminary", filed_at=timezone.now() - dt.timedelta(hours=1),
        channel="ppc_form", receipt_number="A-1", filed_by=user, note="", actor=user)
    facts = {**incident.latest_facts().facts, "people_confirmed": 3500}
    actions.do_update_facts(incident, facts, expected_version=incident.version, actor=user)
    return incident


def test_the_warning_is_answered_by_a_reason(page, live_server, user, grown):
    detail = reverse("incidents:detail", args=[grown.pk])
    log_in(page, live_server, user, detail)
    warning = page.locator(f'#checks [data-code="{CHANGED}"]')
    assert "2,000人 → 3,500人" in warning.inner_text()
    page.screenshot(path=DESKTOP, full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=PHONE, full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    warning.locator("summary").click()
    warning.locator("textarea").fill("調査で対象期間が広がったため。追完で報告予定。")
    warning.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{detail}#checks")
    assert page.locator(f'#checks [data-code="{CHANGED}"]').count() == 0
