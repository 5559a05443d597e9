"""Tasks in a real browser (headless Chromium): see them on the incident, complete one with one
click, see it move to 完了 and the overdue ones in red; the dashboard ranks the incident."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from rouei.domain import deadlines
from rouei.domain.jdates import format_date
from rouei.incidents import actions
from tests.browser.conftest import (  # noqa: F401 — fixtures
    browser_locale,
    chromium,
    log_in,
    page,
)
from tests.playbooks.conftest import FACTS_ACCESS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED_BACKGROUND = "rgb(253, 236, 234)"  # --yes-bg: overdue rows


def test_complete_a_task_through_the_task_page(page, live_server, user):  # noqa: F811
    knew = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    incident = actions.do_create_incident(title="会員サイトへの不正アクセス（テスト）",
                                          facts={**FACTS_ACCESS, "knew_at": knew}, actor=user)
    log_in(page, live_server, user, f"/incidents/{incident.pk}/")

    # The incident page lists the open tasks; the ones due on the day of knowing are overdue.
    section = page.locator("#tasks")
    assert "未完了のタスク" in section.locator("h2").inner_text()
    overdue = section.locator("tr.overdue", has_text="ログ・証拠の保全")
    assert "2日超過" in overdue.inner_text()
    assert overdue.locator("th").evaluate("e => getComputedStyle(e).backgroundColor"
                                          ) == RED_BACKGROUND

    page.click(".incident-nav a:has-text('タスク')")
    page.wait_for_url(re.compile(rf".*/incidents/{incident.pk}/tasks/$"))
    todo = page.locator("#tasks-todo")
    row = todo.locator("tr", has_text="ログ・証拠の保全")
    assert "未割当" in row.inner_text() and "IT・フォレンジック" in row.inner_text()
    row.locator("button:has-text('完了にする')").click()

    page.wait_for_url(re.compile(r".*/tasks/#task-\d+$"))
    assert "タスク「ログ・証拠の保全」を完了しました。" in page.inner_text(".messages")
    assert todo.locator("tr", has_text="ログ・証拠の保全").count() == 0
    done = page.locator("#tasks-done tr", has_text="ログ・証拠の保全")
    assert "tanaka" in done.inner_text() and done.locator("button").count() == 0
    # The 確報 task is due with the 確報 itself: 60 days counting the day of knowing.
    final = page.locator("#tasks-todo tr", has_text="個人情報保護委員会への確報")
    assert "overdue" not in final.get_attribute("class")
    assert final.locator(".date").inner_text() == format_date(
        deadlines.due_date(dt.date.fromisoformat(knew), 60), "ja")

    # Back on the incident page the completed task is gone from the open ones.
    page.click(".incident-nav a:has-text('概要')")
    assert page.locator("#tasks tr", has_text="ログ・証拠の保全").count() == 0

    # The dashboard puts this incident first and marks it overdue.
    page.click(".topnav a:has-text('期限一覧')")
    first = page.locator(".deadline-board tbody tr").first
    assert "会員サイトへの不正アクセス（テスト）" in first.inner_text()
    assert "overdue" in first.get_attribute("class")
    page.screenshot(path="/tmp/playbooks-dashboard.png")
