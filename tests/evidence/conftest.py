"""An evidence store of its own for every test, incidents built through the actions, and users
in each role."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from rouei.evidence import actions as evidence_actions
from rouei.incidents import actions
from tests.browser import conftest as browser

# Headless Chromium for test_browser_upload.py: the browser tests' own fixtures.
chromium, browser_locale, page = browser.chromium, browser.browser_locale, browser.page

COLLECTED_AT = dt.datetime(2026, 11, 19, 9, 30, tzinfo=dt.UTC)
LOG = b"2026-11-18T10:20:00Z GET /checkout 200 203.0.113.7\n"


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.ROUEI_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.ROUEI_EVIDENCE_DIR


@pytest.fixture
def incident(user):
    """Led by ``user`` (tanaka)."""
    return actions.do_create_incident(title="決済画面の改ざん（証拠テスト）", actor=user)


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def add_item(incident, user):
    """``add_item(b"content", name="x.log")``: an item registered through the action."""
    def add(content: bytes = LOG, *, name: str = "access.log", on=None, actor=None, **fields):
        defaults = {"description": "Webサーバーのアクセスログ", "collected_from": "web01 /var/log/nginx",
                    "collected_at": COLLECTED_AT, "collected_by_user": actor or user,
                    "purpose": "保全"}
        return evidence_actions.add_evidence_from_stream(
            on or incident, io.BytesIO(content), original_name=name, actor=actor or user,
            **{**defaults, **fields})
    return add
