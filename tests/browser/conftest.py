"""Headless Chromium (Debian's package) driven by Playwright against pytest-django's live_server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside
# one unless told that this test process is allowed to.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("ROUEI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_SHARED: dict = {"users": 0}  # the running Playwright and browser, see chromium()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: `./run test` installs Debian's chromium"
        if os.environ.get("ROUEI_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # One Playwright and one Chromium for the whole run, however many conftests import this
    # fixture (tests/accounts, tests/evidence … reuse it): a second sync_playwright() in the
    # same thread fails with "Sync API inside the asyncio loop".
    if not _SHARED["users"]:
        from playwright.sync_api import sync_playwright

        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED["browser"].close()
            _SHARED["playwright"].stop()


@pytest.fixture
def browser_locale():
    return "ja-JP"


@pytest.fixture
def page(chromium, browser_locale):
    context = chromium.new_context(locale=browser_locale, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, live_server, user, start: str) -> None:
    """Open ``start`` signed out, sign in as ``user`` on the login page it sends us to (password
    step only: two-factor sign-in is off in the tests), and land back on ``start``."""
    from tests.conftest import PASSWORD

    page.goto(f"{live_server.url}{start}")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}{start}")
