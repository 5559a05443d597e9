"""Users of the intake desk (受付窓口), signals built through the actions, and the browser
fixtures for test_browser_signals.py."""

from __future__ import annotations

import datetime as dt

import pytest

from rouei.intake import actions
from rouei.intake.permissions import ensure_intake_group
from tests.browser import conftest as browser

# Headless Chromium for test_browser_signals.py: the browser tests' own fixtures.
chromium, browser_locale, page = browser.chromium, browser.browser_locale, browser.page

T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)  # 10:00 JST


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def intake(user):
    """``user`` (tanaka) in the 受付窓口 / intake group: view, add and change signals."""
    ensure_intake_group().user_set.add(user)
    return user


@pytest.fixture
def make_intake(make_user):
    def make(username: str):
        other = make_user(username)
        ensure_intake_group().user_set.add(other)
        return other
    return make


@pytest.fixture
def record(intake):
    """``record(**overrides)``: a complaint about direct mail from 株式会社〇〇 by ``intake``."""

    def make(**overrides):
        values = {
            "subject": "見知らぬ会社からのDM", "received_at": T0,
            "sender_name": "株式会社〇〇", "items": ["person_name", "address", "birth_date"],
            "complainant_name": "佐藤 花子", "complainant_contact": "090-1111-2222",
            "suspicion_reason": "取引のない会社からDMが届いた",
            "origin_reason": "旧姓の珍しい表記「佐籐」で登録しているのは御社だけ",
            **overrides,
        }
        return actions.do_record_signal(**values, actor=overrides.pop("actor", intake))
    return make
