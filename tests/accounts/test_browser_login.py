"""Signing in through the real pages in headless Chromium: password, then the app's code."""

from __future__ import annotations

import re

import pytest

from rouei.accounts import mfa
from tests.accounts.conftest import app_code, code_for, typed_key, wrong_code
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/accounts-enrolment.png"


def _password_step(page, live_server, user, start: str):
    page.goto(f"{live_server.url}{start}")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


def test_browser_login_with_totp_code_reaches_the_incident(page, live_server, user, incident,
                                                          enrol, mfa_on):
    device, _codes = enrol(user)
    start = f"/incidents/{incident.pk}/"
    _password_step(page, live_server, user, start)
    page.wait_for_url(f"{live_server.url}/accounts/login/verify/")
    assert page.inner_text("h1") == "確認コードの入力"

    page.fill("#id_code", wrong_code(device))
    page.click("button[type=submit].primary")
    assert "コードが正しくありません" in page.inner_text(".field-error")

    page.fill("#id_code", code_for(device))
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}{start}")
    assert "テスト事案（二要素認証）" in page.inner_text("main")


def test_browser_enrolment_with_the_typed_key_reaches_the_incident(
        page, live_server, user, incident, mfa_on):
    start = f"/incidents/{incident.pk}/"
    _password_step(page, live_server, user, start)
    page.wait_for_url(re.compile(r".*/accounts/mfa/setup/\?next=.*"))
    assert "先に進む前に二要素認証を設定してください" in page.inner_text(".mfa-required")
    # The QR code is drawn by this site and allowed by the CSP: the image loads.
    assert page.evaluate("document.querySelector('.qr img').naturalWidth") > 0
    page.fill("#id_code", app_code(typed_key(page.content())))
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.click("button[type=submit]:has-text('確認して有効にする')")

    page.wait_for_url(f"{live_server.url}/accounts/mfa/recovery-codes/")
    assert len(page.locator(".recovery-codes li").all()) == 10
    page.click("a:has-text('保管しました')")
    page.wait_for_url(f"{live_server.url}{start}")
    assert "テスト事案（二要素認証）" in page.inner_text("main")
    assert mfa.has_authenticator(user)

