"""Three similar complaints through the real pages in headless Chromium: the warning appears,
and one click opens the incident."""

from __future__ import annotations

import re

import pytest

from rouei.incidents.models import Incident
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/signals.png"
WARNING = "類似の苦情が3件あります。漏えいの可能性があります。社内調査の開始を検討してください。"
COMPLAINTS = (
    ("2026-11-18T10:00", "株式会社〇〇", "佐藤 花子", "090-1111-2222"),
    ("2026-11-19T14:30", "(株)〇〇", "鈴木 一郎", "ichiro@example.jp"),
    ("2026-11-20T09:15", "〇〇 株式会社", "高橋 美咲", "03-0000-5678"),
)


def test_three_similar_complaints_warn_and_open_an_incident_in_one_click(page, live_server,
                                                                          intake):
    log_in(page, live_server, intake, "/signals/")
    for received, sender, name, contact in COMPLAINTS:
        page.click("a:has-text('シグナルを登録')")
        page.select_option("#id_kind", "complaint")
        page.fill("#id_received_at", received)
        page.select_option("#id_channel", "phone")
        page.fill("#id_subject", "見知らぬ会社からのDM")
        page.fill("#id_complainant_name", name)
        page.fill("#id_complainant_contact", contact)
        page.fill("#id_suspicion_reason", "取引のない会社から生年月日入りのDMが届いた")
        page.fill("#id_origin_reason", "この住所表記は御社にしか登録していない")
        page.fill("#id_sender_name", sender)
        for item in ("person_name", "address", "birth_date"):
            page.check(f"input[name=items][value={item}]")
        page.click("button[type=submit]:has-text('登録する')")
        page.wait_for_url(re.compile(r".*/signals/\d+/$"))
        assert "シグナルを登録しました" in page.inner_text(".messages")
        assert name not in page.inner_text("main")  # masked until shown
        page.click(".topnav a:has-text('苦情・シグナル')")

    warning = page.locator(".signal-warning")
    assert warning.count() == 1
    assert WARNING in warning.inner_text()
    # The warning is red by the app's stylesheet (no inline styles under the CSP).
    assert page.evaluate("getComputedStyle(document.querySelector('.signal-warning'))"
                         ".borderTopColor") == "rgb(180, 35, 24)"
    page.screenshot(path=SCREENSHOT)

    warning.locator("button:has-text('この3件から事案を開始')").click()
    page.wait_for_url(re.compile(r".*/incidents/\d+/$"))
    incident = Incident.objects.get()
    assert page.url.endswith(f"/incidents/{incident.pk}/")
    assert "シグナルから事案を開始しました" in page.inner_text(".messages")
    assert "見知らぬ会社からのDM" in page.inner_text("h1")
    timeline = page.locator("#timeline [data-kind=detected]")
    assert timeline.count() == 3
    assert "株式会社〇〇" in timeline.first.inner_text()
    assert "佐藤" not in page.inner_text("main")
