"""The incident workspace in a real browser: open a case, enter facts, watch the duty change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rouei.incidents import actions
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/incident.png"


def test_incident_create_enter_facts_then_people_past_1000_announces_the_duty(page, live_server,
                                                                              user):
    log_in(page, live_server, user, "/incidents/")
    page.click("a:has-text('事案を登録')")
    page.fill("#id_title", "顧客名簿の流出（テスト）")
    page.fill("#id_summary", "委託先から顧客名簿が流出したおそれ")
    page.click("button[type=submit]:has-text('登録する')")
    page.wait_for_url(re.compile(r".*/incidents/\d+/facts/$"))
    assert "事案を登録しました" in page.inner_text(".messages")

    # What is known on day one: 900 people, the cause still unclear.
    page.check("input[name=items][value=person_name]")
    page.check("input[name=items][value=email]")
    page.fill("#id_people_confirmed", "900")
    page.fill("#id_knew_at", "2026-11-24")
    page.select_option("#id_cause", "other")
    page.click("button[type=submit]:has-text('事実を保存')")
    page.wait_for_url(re.compile(r".*/incidents/\d+/$"))
    triggers = page.locator("#assessment .trigger-summary").first.inner_text()
    assert "不正の目的によるおそれ（規則7条3号） — 要確認" in triggers
    final_due = page.locator("#final-due").first.inner_text()
    assert "2026年12月23日（水）" in final_due and "令和8年12月23日" in final_due
    # Knowing the day started the clock: the deadline is announced.
    assert page.locator(".duty-change").inner_text() == "確報の期限は2026年12月23日（水）です（30日）"

    # The log analysis finds more people: 1,001.
    page.click(".incident-nav a:has-text('事実の編集')")
    assert page.input_value("#id_people_confirmed") == "900"
    page.fill("#id_people_confirmed", "1001")
    page.click("button[type=submit]:has-text('事実を保存')")
    page.wait_for_url(re.compile(r".*/incidents/\d+/$"))
    announcement = page.locator(".message.duty-change").first
    assert announcement.inner_text() == (
        "本人の数が1,000人を超えたため、規則7条4号に該当し報告が必要になりました")
    assert "本人の数が1,000人超（規則7条4号）" in page.locator(
        "#assessment .trigger-summary").first.inner_text()
    assert page.locator("#assessment .duty-yes").first.inner_text() == "必要"
    assert "規則7条4号に該当し報告が必要" in page.locator(
        "#timeline [data-kind=duty_change]").last.inner_text()
    # The announcement is styled by the stylesheet (no inline styles under the CSP).
    assert page.evaluate("getComputedStyle(document.querySelector('.duty-change')).fontWeight"
                         ) == "700"
    page.screenshot(path=SCREENSHOT)


def test_incident_non_member_gets_not_found(page, live_server, user, django_user_model):
    incident = actions.do_create_incident(title="他部署の事案", actor=user)
    outsider = django_user_model.objects.create_user(username="outsider", password=PASSWORD)
    log_in(page, live_server, outsider, "/incidents/")
    assert "他部署の事案" not in page.inner_text("main")
    response = page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    assert response.status == 404
    assert "他部署の事案" not in page.content()


GREEN = "rgb(30, 107, 58)"  # --no: the colour of "not required"


def test_incident_duty_gone_is_announced_in_green_not_as_a_danger(page, live_server, user):
    incident = actions.do_create_incident(
        title="誤送信", facts={"items": ["person_name", "email"], "people_confirmed": 1500,
                               "cause": "misdelivery", "knew_at": "2026-11-24"}, actor=user)
    log_in(page, live_server, user, reverse("incidents:facts", args=[incident.pk]))
    page.fill("#id_people_confirmed", "900")
    page.click("button[type=submit]:has-text('事実を保存')")
    page.wait_for_url(re.compile(r".*/incidents/\d+/$"))
    assert page.evaluate("getComputedStyle(document.querySelector('.message.duty-change')).color"
                         ) == GREEN
