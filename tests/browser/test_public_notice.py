"""The public notice in a real browser: publish the 第一報, let the count grow on the facts page,
publish the 第二報, then read the public page signed out — both versions, their SHA-256 and the
count that changed, highlighted; at desktop width and on a 390 px phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rouei.incidents import actions
from rouei.people.models import NoticeSettings
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = "/tmp/public-notice-desktop.png"
PHONE = "/tmp/public-notice-390.png"
EDITOR = "/tmp/public-notice-editor.png"


def publish(page, label: str) -> None:
    page.click("#publish")
    page.wait_for_selector(f".message-success:has-text('{label}を公表しました')")


def test_publish_grow_the_count_publish_again_and_read_it_signed_out(page, chromium,
                                                                     live_server, user):
    incident = actions.do_create_incident(
        title="不正アクセスによる顧客情報の漏えい", organisation="株式会社テスト通販",
        facts={"items": ["person_name", "email"], "people_confirmed": 1200,
               "cause": "unauthorized_access", "knew_at": "2026-11-24"}, actor=user)
    NoticeSettings.objects.create(incident=incident, window_phone="0120-000-000",
                                  window_hours="9:00～18:00（土日祝日を含む）")
    notices = reverse("documents:notices", args=[incident.pk])
    log_in(page, live_server, user, notices)
    assert "1,200名" in page.input_value("#section-lead")
    publish(page, "第一報")

    page.goto(f"{live_server.url}{reverse('incidents:facts', args=[incident.pk])}")
    page.fill("#id_people_confirmed", "3400")
    page.click("button[type=submit]:has-text('事実を保存')")
    page.wait_for_url(re.compile(r".*/incidents/\d+/$"))

    page.goto(f"{live_server.url}{notices}")
    assert "3,400名" in page.input_value("#section-lead")
    publish(page, "第二報")
    page.screenshot(path=EDITOR, full_page=True)
    public_url = page.locator("#public-url a").get_attribute("href")

    signed_out = chromium.new_context(locale="ja-JP", viewport={"width": 1366, "height": 900})
    public = signed_out.new_page()
    try:
        public.goto(public_url)
        assert "/accounts/login/" not in public.url
        assert public.locator("h1.notice-title").inner_text().startswith("【第二報】")
        assert public.locator(".notice-history > li").count() == 2
        assert public.locator("#v1").inner_text().count("SHA-256") == 1
        change = public.locator("#v2 .figure-changes tr[data-figure=people_confirmed]")
        assert change.locator("del").inner_text() == "1,200名"
        assert change.locator("ins").inner_text() == "3,400名"
        # The added count is highlighted (a background colour), not only underlined.
        assert public.evaluate("getComputedStyle(document.querySelector('#v2 ins'))"
                               ".backgroundColor") != "rgba(0, 0, 0, 0)"
        public.screenshot(path=DESKTOP, full_page=True)
        public.set_viewport_size({"width": 390, "height": 844})
        # Nothing wider than the phone: the SHA-256 and the tables wrap.
        assert public.evaluate("document.documentElement.scrollWidth") <= 390
        public.screenshot(path=PHONE, full_page=True)
    finally:
        signed_out.close()
