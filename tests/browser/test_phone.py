"""Every main page at a phone's width (390 × 844, an iPhone 12–15): nothing wider than the
screen (no sideways scrolling of the page; wide tables scroll inside their own box) and the
header's links all on screen. Screenshots go to /tmp/phone-shots/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from rouei.evidence import actions as evidence_actions
from rouei.incidents import actions
from rouei.intake import actions as signal_actions
from rouei.intake.permissions import ensure_intake_group
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/phone-shots")
FACTS = {"items": ["person_name", "email", "credit_card", "health"], "people_confirmed": 1200,
         "cause": "unauthorized_access", "malicious": True, "vendor_involved": True}


@pytest.fixture
def phone(chromium, browser_locale):
    context = chromium.new_context(locale=browser_locale, viewport=PHONE, is_mobile=True,
                                   has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def case(user, settings, tmp_path):
    """An incident with something in every section: facts with a deadline, tasks, a timeline
    entry, an evidence item, a complaint on the intake desk."""
    settings.ROUEI_EVIDENCE_DIR = tmp_path / "evidence"
    knew = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    incident = actions.do_create_incident(
        title="会員サイトへの不正アクセス（クレジットカード情報を含む）", summary="決済画面の改ざん",
        organisation="ECサイト運営部", facts={**FACTS, "knew_at": knew}, actor=user)
    actions.do_add_timeline_event(incident, kind="action", text="決済画面を停止し、ログを保全した",
                                  at=timezone.now(), actor=user)
    item = evidence_actions.add_evidence_from_stream(
        incident, io.BytesIO(b"2026-11-18T10:20:00Z GET /checkout 200 203.0.113.7\n"),
        original_name="access-log-web01-2026-11-18.log", description="Webサーバーのアクセスログ",
        collected_from="web01 /var/log/nginx", collected_at=timezone.now(),
        collected_by_user=user, actor=user)
    evidence_actions.do_add_note(incident, body="## 初動\n\n- 決済画面を停止\n- カード会社へ連絡",
                                 actor=user)
    ensure_intake_group().user_set.add(user)
    signal = signal_actions.do_record_signal(
        subject="見知らぬ会社からのDM", sender_name="株式会社〇〇",
        items=["person_name", "address"], complainant_name="佐藤 花子",
        complainant_contact="090-1111-2222", suspicion_reason="取引のない会社からDMが届いた",
        actor=user)
    incident.item, incident.signal = item, signal  # for the addresses of their pages
    return incident


PAGES = {
    "assess": lambda i: reverse("assessments:assess") + "?example=demo",  # result: see _open
    "incident-list": lambda i: reverse("incidents:list"),
    "incident": lambda i: reverse("incidents:detail", args=[i.pk]),
    "facts-form": lambda i: reverse("incidents:facts", args=[i.pk]),
    "tasks": lambda i: reverse("playbooks:tasks", args=[i.pk]),
    "evidence": lambda i: reverse("evidence:list", args=[i.pk]),
    "dashboard": lambda i: reverse("playbooks:dashboard"),
    "signals": lambda i: reverse("signals:list"),
    "account-security": lambda i: reverse("accounts:security"),
    # and the other pages of a case and of the header
    "incident-create": lambda i: reverse("incidents:create"),
    "incident-edit": lambda i: reverse("incidents:edit", args=[i.pk]),
    "timeline-add": lambda i: reverse("incidents:timeline_add", args=[i.pk]),
    "audit": lambda i: reverse("incidents:audit", args=[i.pk]),
    "evidence-item": lambda i: reverse("evidence:item", args=[i.pk, i.item.pk]),
    "evidence-upload": lambda i: reverse("evidence:upload", args=[i.pk]),
    "notes": lambda i: reverse("evidence:notes", args=[i.pk]),
    "signal": lambda i: reverse("signals:detail", args=[i.signal.pk]),
    "signal-new": lambda i: reverse("signals:create"),
    "api-tokens": lambda i: reverse("api:tokens"),
}


def _open(phone, live_server, user, path: str) -> None:
    log_in(phone, live_server, user, path)
    if path.startswith(reverse("assessments:assess")):  # the demo facts, assessed: wide tables
        phone.click("button[type=submit]:has-text('判定する')")
        phone.locator("#result").wait_for()
    phone.wait_for_load_state("networkidle")


def _screenshots(phone, name: str) -> None:
    """The whole page, and the same in screen-high slices (a long page shrunk to fit one image
    is too small to judge)."""
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    height = phone.evaluate("document.documentElement.scrollHeight")
    for n, top in enumerate(range(0, height, PHONE["height"]), start=1):
        phone.screenshot(path=str(SHOTS / f"{name}-{n:02d}.png"), full_page=True, clip={
            "x": 0, "y": top, "width": PHONE["width"],
            "height": min(PHONE["height"], height - top)})


@pytest.mark.parametrize("name", PAGES)
def test_phone_page_is_no_wider_than_the_screen(phone, live_server, user, case, name):
    _open(phone, live_server, user, PAGES[name](case))
    _screenshots(phone, name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("name", ["incident", "dashboard"])
def test_phone_header_links_are_all_on_screen(phone, live_server, user, case, name):
    _open(phone, live_server, user, PAGES[name](case))
    off_screen = phone.evaluate("""() => [...document.querySelectorAll(
        '.topbar a, .topbar button')].filter(e => {
          const r = e.getBoundingClientRect();
          return !(r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth);
        }).map(e => e.textContent.trim())""")
    assert off_screen == []


def test_phone_header_link_takes_you_there(phone, live_server, user, case):
    _open(phone, live_server, user, PAGES["incident"](case))
    phone.click(".topbar a:has-text('期限')")
    phone.wait_for_url(f"{live_server.url}{reverse('playbooks:dashboard')}")
    assert phone.locator("h1").first.is_visible()


def test_phone_wide_table_scrolls_inside_its_box(phone, live_server, user, case):
    """Not firing in a phone-sized page is only proof if something wide is there: the
    assessment's item table is wider than the screen and scrolls within its own box."""
    _open(phone, live_server, user, PAGES["assess"](case))
    widths = phone.evaluate("""() => [...document.querySelectorAll('main table')].map(t => {
        const box = t.closest('.table-wrap') || t;
        return [t.scrollWidth, box.clientWidth, getComputedStyle(box).overflowX];
      })""")
    assert any(inner > outer and overflow == "auto" for inner, outer, overflow in widths)
