"""The scan page when a scan stopped early (issue 15, finding 1): "stopped: limit" and
"cancelled", with what was found kept, and the cancel button of a running scan — at desktop
width and on a phone. Screenshots go to /tmp/scan-shots/ for a person to look at."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.evidence import actions as evidence_actions
from rouei.evidence import store
from rouei.incidents import actions
from rouei.scanning.engine import ScanOptions, scan_files
from rouei.scanning.model import TextPart
from rouei.scanning.readers import text
from rouei.scans import actions as scan_actions
from rouei.scans.jobs import enqueue_scan
from rouei.scans.models import EvidenceScan, ScanStatus
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/scan-shots")
SEI = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村")
CSV = "氏名,電話番号,メールアドレス\n" + "".join(
    f"{SEI[i % 8]} {('太郎', '花子', '翔太', '陽菜', '大輔')[i % 5]},090-1234-{i:04d},"
    f"user{i}@example.jp\n" for i in range(40))


def _slow_text(monkeypatch) -> None:
    """Text files read slowly (a file on a slow share), so a budget or a cancel stops them."""
    def read(path, name, ctx, kind="text"):
        def slow():
            for number in range(1, 10_000):
                time.sleep(0.02)
                yield number, f"{number} 佐藤様 03-1234-{number % 10_000:04d}"
        yield TextPart(name=name, lines=slow(), encoding="utf-8")
    monkeypatch.setattr(text, "read", read)


@pytest.fixture
def scans(user, settings, tmp_path, monkeypatch) -> dict[str, EvidenceScan]:
    settings.ROUEI_EVIDENCE_DIR = tmp_path / "evidence"
    settings.ROUEI_SCAN_MAX_SECONDS = 2
    _slow_text(monkeypatch)
    incident = actions.do_create_incident(title="会員サイトからの漏えい", actor=user)
    for name, data in (("顧客一覧.csv", CSV.encode()),
                       ("問い合わせメモ.txt", "佐藤様 03-1234-5678\n".encode())):
        evidence_actions.add_evidence_from_stream(
            incident, io.BytesIO(data), original_name=name, description="流出したファイル",
            collected_from="web01", collected_at=timezone.now(), collected_by_user=user,
            actor=user)
    limit = scan_actions.do_start_scan(incident, actor=user)
    enqueue_scan(limit)  # tests run tasks at once: it stops at the 2-second limit
    cancelled = scan_actions.do_start_scan(incident, actor=user)
    flag = threading.Event()
    threading.Timer(1.0, flag.set).start()
    files = [(store.blob_path(i.sha256), i.original_name) for i in cancelled.items.order_by("pk")]
    report = scan_files(files, ScanOptions(workers=1), cancelled=flag.is_set)
    EvidenceScan.objects.filter(pk=cancelled.pk).update(
        status=ScanStatus.CANCELLED, report=report.to_dict(), stop_reason="cancelled",
        cancelled_by=user, cancel_requested_at=timezone.now(), finished_at=timezone.now())
    running = scan_actions.do_start_scan(incident, actor=user)
    EvidenceScan.objects.filter(pk=running.pk).update(status=ScanStatus.RUNNING, bytes_done=40,
                                                      bytes_total=100)
    return {"limit": limit, "cancelled": cancelled, "running": running}


def _url(scan) -> str:
    return reverse("scans:detail", args=[scan.incident_id, scan.pk])


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_stopped_at_a_limit_on_desktop_and_phone(page, chromium, live_server, user, scans):
    SHOTS.mkdir(exist_ok=True)
    log_in(page, live_server, user, _url(scans["limit"]))
    stopped = page.locator("#scan-stopped").inner_text()
    found = page.locator(".scan-totals").inner_text()
    page.screenshot(path=str(SHOTS / "limit-desktop.png"), full_page=True)
    phone = chromium.new_context(locale="ja-JP", viewport=PHONE, is_mobile=True,
                                 storage_state=page.context.storage_state()).new_page()
    phone.goto(f"{live_server.url}{_url(scans['limit'])}")
    phone.screenshot(path=str(SHOTS / "limit-phone.png"), full_page=True)
    assert ("中断: 上限に到達（時間 2 秒）" in stopped, "電話番号" in found, _fits(phone)) == (
        True, True, True)


def test_cancelled_on_desktop_and_phone(page, chromium, live_server, user, scans):
    SHOTS.mkdir(exist_ok=True)
    log_in(page, live_server, user, _url(scans["cancelled"]))
    stopped = page.locator("#scan-stopped").inner_text()
    page.screenshot(path=str(SHOTS / "cancelled-desktop.png"), full_page=True)
    phone = chromium.new_context(locale="ja-JP", viewport=PHONE, is_mobile=True,
                                 storage_state=page.context.storage_state()).new_page()
    phone.goto(f"{live_server.url}{_url(scans['cancelled'])}")
    phone.screenshot(path=str(SHOTS / "cancelled-phone.png"), full_page=True)
    assert ("取消し済み" in stopped, "下限値" in stopped, _fits(phone)) == (True, True, True)


def test_cancel_button_of_a_running_scan(page, chromium, live_server, user, scans):
    SHOTS.mkdir(exist_ok=True)
    log_in(page, live_server, user, _url(scans["running"]))
    page.screenshot(path=str(SHOTS / "running-desktop.png"), full_page=True)
    phone = chromium.new_context(locale="ja-JP", viewport=PHONE, is_mobile=True,
                                 storage_state=page.context.storage_state()).new_page()
    phone.goto(f"{live_server.url}{_url(scans['running'])}")
    phone.screenshot(path=str(SHOTS / "running-phone.png"), full_page=True)
    page.click("text=スキャンを取り消す")
    page.wait_for_load_state()
    scans["running"].refresh_from_db()
    assert (scans["running"].cancel_requested_at is not None, _fits(phone)) == (True, True)


def test_stopped_at_a_limit_in_english(chromium, live_server, user, scans):
    context = chromium.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, live_server, user, _url(scans["limit"]))
    page.context.add_cookies([{"name": "django_language", "value": "en",
                               "url": live_server.url}])
    page.goto(f"{live_server.url}{_url(scans['limit'])}")
    page.screenshot(path=str(SHOTS / "limit-desktop-en.png"), full_page=True)
    text_shown = page.locator("#scan-stopped").inner_text()
    context.close()
    assert "Stopped: limit (time: 2 s)" in text_shown
