"""Issue 12 in a real browser: an operator looks a caller up by a phone number typed in
full-width digits, sees the caller's items and the talk script, and logs the call."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rouei.incidents import actions as incident_actions
from rouei.people import actions
from rouei.people.models import Inquiry
from tests.browser.conftest import log_in
from tests.people.conftest import FACTS, HEADER, ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WINDOW = "/tmp/people_window.png"
WINDOW_PHONE = "/tmp/people_window_390.png"


@pytest.fixture
def operator(user, make_user, tmp_path):
    incident = incident_actions.do_create_incident(title="顧客情報の漏えい", facts=FACTS,
                                                   actor=user)
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    actions.do_import_people(user, incident, path)
    operator = make_user("operator")
    incident_actions.do_add_member(incident, operator, "call_centre", actor=user)
    return incident, operator


def test_an_operator_finds_a_caller_by_a_full_width_phone_and_logs_the_call(page, live_server,
                                                                            operator):
    incident, user = operator
    window = reverse("people:window", args=[incident.pk])
    log_in(page, live_server, user, window)
    page.fill("#id_phone", "０９０－１２３４－５６７８")
    page.fill("#id_name", "やまだ　たろう")
    page.click("#window-form button[type=submit]")
    assert "クレジットカード番号" in page.locator("#caller-items").inner_text()
    assert "決して" in page.locator("#script").inner_text()
    page.screenshot(path=WINDOW, full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=WINDOW_PHONE, full_page=True)
    page.select_option("#id_category", "what_leaked")
    page.fill("#id_answer", "ご本人の項目を案内")
    page.click("#log-call")
    page.wait_for_url(f"{live_server.url}{window}")
    assert Inquiry.objects.get().category == "what_leaked"


def test_a_caller_who_gives_a_wrong_birth_date_is_not_told_anything(page, live_server, operator):
    incident, user = operator
    window = reverse("people:window", args=[incident.pk])
    log_in(page, live_server, user, window)
    page.fill("#id_name", "山田太郎")
    page.fill("#id_birth_date", "1999-01-01")
    page.click("#window-form button[type=submit]")
    # is_visible() does not wait: the answer page may not have loaded yet on a busy machine.
    expect(page.locator("#not-confirmed")).to_be_visible()


def test_a_lead_adapts_the_talk_script_and_the_operator_sees_the_new_version(
        page, live_server, user, operator):
    incident, operator_user = operator
    script = reverse("people:script", args=[incident.pk])
    log_in(page, live_server, user, script)
    assert "事案から作成した下書き" in page.locator("#script-current").inner_text()
    page.fill("#id_entry-0-a", "受付番号と生年月日で本人確認のうえ、ご本人の項目をご案内します。")
    page.fill("#id_note", "本人確認の言い方を統一")
    page.click("#script-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{script}")
    page.screenshot(path="/tmp/people_script.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/people_script_390.png", full_page=True)
    assert "本人確認の言い方を統一" in page.locator("#script-versions").inner_text()
    page.context.clear_cookies()
    log_in(page, live_server, operator_user, reverse("people:window", args=[incident.pk]))
    assert "受付番号と生年月日で本人確認のうえ" in page.locator("#script").inner_text()
