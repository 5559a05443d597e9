"""Register evidence through the real page in headless Chromium and see its SHA-256."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client

from rouei.evidence.models import EvidenceItem
from rouei.incidents import actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/evidence.png"
CONTENT = ("日時,送信元IP,URL\n2026-11-18 10:20,203.0.113.7,/checkout\n"
           "2026-11-18 10:21,203.0.113.7,/checkout/pay\n").encode()


def _sign_in(page, live_server, user):
    """The session of a signed-in user (signing in itself is the accounts slice's test)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_upload_through_the_page_shows_the_sha256(page, live_server, user, settings, tmp_path):
    settings.ROUEI_EVIDENCE_DIR = tmp_path / "evidence"
    incident = actions.do_create_incident(title="決済画面の改ざん（ブラウザ）", actor=user)
    _sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    page.click(".incident-nav a:has-text('証拠')")
    page.click("a.button:has-text('証拠を登録')")
    page.set_input_files("#id_file", files=[{
        "name": "アクセスログ抜粋.csv", "mimeType": "text/csv", "buffer": CONTENT}])
    page.fill("#id_description", "改ざん期間のアクセスログ（抜粋）")
    page.fill("#id_collected_from", "web01 /var/log/nginx/access.log")
    page.fill("#id_collected_at", "2026-11-19T09:30")
    page.fill("#id_collected_by_name", "デモフォレンジック社 佐藤")
    page.fill("#id_purpose", "原因調査")
    page.click("button[type=submit]:has-text('登録する')")
    page.wait_for_url(re.compile(r".*/incidents/\d+/evidence/items/\d+/$"))

    sha256 = hashlib.sha256(CONTENT).hexdigest()
    assert page.inner_text("#sha256") == sha256
    assert sha256 in page.inner_text(".messages")
    assert page.inner_text("h2.evidence-name") == "アクセスログ抜粋.csv"
    assert "CSV／TSVテキスト" in page.inner_text("#item")
    assert "収集" in page.inner_text("#custody") and "原因調査" in page.inner_text("#custody")
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.click("button:has-text('ハッシュ値を再検証')")
    page.wait_for_selector(".message-success")
    assert "一致しています" in page.inner_text(".messages")
    assert EvidenceItem.objects.get().sha256 == sha256


def test_upload_over_the_limit_is_stopped_in_the_page(page, live_server, user, settings,
                                                      tmp_path):
    settings.ROUEI_EVIDENCE_DIR = tmp_path / "evidence"
    settings.ROUEI_EVIDENCE_MAX_BYTES = 10
    incident = actions.do_create_incident(title="上限テスト", actor=user)
    _sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/evidence/upload/")
    page.set_input_files("#id_file", files=[{
        "name": "big.bin", "mimeType": "application/octet-stream", "buffer": b"x" * 11}])
    assert "ファイルが上限の10" in page.inner_text(".client-oversize")
    page.fill("#id_description", "x")
    page.click("button[type=submit]:has-text('登録する')")
    assert page.url.endswith("/upload/") and not EvidenceItem.objects.exists()
