"""The assessment page in a real browser: log in, fill the form, read the result."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/assess.png"


def test_assess_page_health_misdelivery_shows_report_required_and_due_date(page, live_server,
                                                                          user):
    log_in(page, live_server, user, "/assess/")
    assert page.locator("h1").inner_text() == "漏えい等の判定"

    page.check("input[name=items][value=person_name]")
    page.check("input[name=items][value=health]")
    page.fill("#id_people_confirmed", "5")
    page.fill("#id_knew_at", "2026-11-24")
    page.select_option("#id_cause", "misdelivery")
    page.click("button[type=submit]:has-text('判定する')")

    result = page.locator("#result")
    result.wait_for()
    duties = result.locator(".duty-card").first
    assert "個人情報保護委員会への報告" in duties.inner_text()
    assert duties.locator(".duty-yes").inner_text() == "必要"
    sensitive = result.locator("tr[data-id=sensitive]").first
    assert "要配慮個人情報" in sensitive.inner_text()
    assert "該当" in sensitive.locator(".badge").inner_text()
    final_due = result.locator("#final-due").first.inner_text()
    assert "2026年12月23日（水）" in final_due
    assert "令和8年12月23日" in final_due
    # The stylesheet loaded (served offline, no CDN).
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.topbar')).display") == "flex"
    page.locator("#result h2").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT)  # the viewport: the duties and deadlines at a glance


@pytest.mark.parametrize("browser_locale", ["en-US"])
def test_assess_page_language_switch_to_english_and_back(page, live_server, user):
    # A browser that prefers English still gets Japanese until the user switches.
    log_in(page, live_server, user, "/assess/")
    assert page.locator("h1").inner_text() == "漏えい等の判定"
    page.click("button[name=language][value=en]")
    page.wait_for_selector("h1:has-text('Leak assessment')")
    page.goto(f"{live_server.url}/assess/?example=demo")
    assert page.is_checked("input[name=items][value=credit_card]")
    page.click("button[type=submit]:has-text('Assess')")
    page.locator("#result").wait_for()
    assert "Report to the Personal Information Protection Commission" in page.inner_text(
        "#result")
    page.click("button[name=language][value=ja]")
    page.wait_for_selector("h1:has-text('漏えい等の判定')")


def test_assess_page_bad_input_shows_the_error_next_to_the_field(page, live_server, user):
    log_in(page, live_server, user, "/assess/")
    page.fill("#id_knew_at", "2026-11-24")
    page.fill("#id_occurred_at", "2026-12-01T10:00")
    page.click("button[type=submit]:has-text('判定する')")
    error = page.locator("#field-occurred_at .field-error")
    error.wait_for()
    assert "発生日時" in error.inner_text()
    assert page.locator("#result").count() == 0
