"""Issue 11, guard rails 1 and 3 in a real browser: a close with a 速報 due is refused with the
list of open duties; recording the 速報 as filed turns its deadline card to 提出済."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.incidents import actions
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED = "/tmp/filed_close_refused.png"
FILED = "/tmp/filed_card_done.png"


@pytest.fixture
def due_tomorrow(user):
    """Reportable (2,000 people); the company knew yesterday, so the 速報 is due within days."""
    knew = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    return actions.do_create_incident(title="顧客名簿の流出", actor=user, facts={
        "items": ["person_name", "email"], "people_confirmed": 2000, "knew_at": knew,
        "cause": "misconfiguration", "malicious": False})


def test_close_with_a_due_preliminary_report_is_refused_with_the_list(page, live_server, user,
                                                                      due_tomorrow):
    detail = reverse("incidents:detail", args=[due_tomorrow.pk])
    log_in(page, live_server, user, detail)
    page.select_option("#status select[name=status]", "closed")
    page.click("#status button[type=submit]")
    refusal = page.locator("#open-duties-refusal")
    assert "速報の提出が記録されていません" in refusal.inner_text()
    assert page.locator("input[name=acknowledged_duties]").count() == page.locator(
        ".open-duties li").count()
    page.screenshot(path=REFUSED, full_page=True)
    page.goto(f"{live_server.url}{detail}")
    assert "完了" not in page.locator("#status [aria-current=step]").inner_text()


def test_record_the_preliminary_report_turns_its_card_to_filed(page, live_server, user,
                                                               due_tomorrow):
    detail = reverse("incidents:detail", args=[due_tomorrow.pk])
    log_in(page, live_server, user, detail)
    card = page.locator("#assessment .deadline").first
    assert "提出済" not in card.inner_text()
    page.click("#record-report")
    assert page.input_value("#id_kind") == "preliminary"
    page.select_option("#id_channel", "ppc_form")
    page.fill("#id_receipt_number", "PPC-2026-0042")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/incidents/\d+/#reports$"))
    card = page.locator("#assessment .deadline").first
    assert "提出済" in card.inner_text() and "受付番号 PPC-2026-0042" in card.inner_text()
    assert card.locator(".left").count() == 0  # no days left, never 超過
    assert page.locator("#status .next-deadline").inner_text().startswith("次の期限: 確報")
    page.locator("#assessment").screenshot(path=FILED)
