"""The prevention plan in a browser, at desktop width and at a phone's (390 px): the measures
by group with their overdue marks, nothing wider than the screen, recording progress from the
measure's page. Screenshots go to /tmp/prevention-shots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from rouei.demo.workspace import load_workspace
from rouei.incidents import actions
from rouei.prevention.demo import add_demo_measures
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/prevention-shots")
PHONE = {"width": 390, "height": 844}
FACTS = {"items": ["person_name", "credit_card"], "people_confirmed": 3100,
         "knew_at": "2026-11-18", "cause": "unauthorized_access", "malicious": True}


@pytest.fixture
def case(user):
    """An incident with the demo's prevention plan (one measure overdue, one without a KPI)."""
    incident = actions.do_create_incident(title="ECサイト決済画面の改ざん", facts=FACTS,
                                          organisation="EC事業部", actor=user)
    add_demo_measures(incident, load_workspace(), actor=user)
    return incident


@pytest.fixture
def phone(chromium, browser_locale):
    context = chromium.new_context(locale=browser_locale, viewport=PHONE, is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_plan_shows_the_overdue_measure_marked(page, live_server, user, case):
    log_in(page, live_server, user, reverse("prevention:index", args=[case.pk]))
    _shoot(page, "plan-desktop")
    overdue = page.locator("tr.measure.overdue th a")
    assert overdue.all_inner_texts() == ["インシデント対応マニュアルの改訂（公表手順・連絡網・FAQ）"]


def test_the_plan_fits_a_phone_screen(phone, live_server, user, case):
    log_in(phone, live_server, user, reverse("prevention:index", args=[case.pk]))
    _shoot(phone, "plan-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_recording_progress_completes_the_measure(page, live_server, user, case):
    measure = case.measures.get(status="in_progress", kpi__startswith="管理者")
    log_in(page, live_server, user, reverse("prevention:measure", args=[case.pk, measure.pk]))
    page.fill("#id_note", "全12アカウントで設定完了")
    page.select_option("#id_status", "done")
    page.click("#record-progress button[type=submit]")
    page.locator("#measure[data-status=done]").wait_for()
    _shoot(page, "measure-desktop")
    assert page.locator(".measure-history li").first.inner_text().count("全12アカウントで設定完了") == 1


def test_the_summary_fits_a_phone_screen(phone, live_server, user, case):
    log_in(phone, live_server, user, reverse("prevention:summary", args=[case.pk]))
    _shoot(phone, "summary-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
