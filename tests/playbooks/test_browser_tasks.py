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


def test_cause_changed_to_misdelivery_proposes_its_tasks(page, live_server, user):  # noqa: F811
    knew = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    incident = actions.do_create_incident(
        title="健康診断結果の漏えい（テスト）",
        facts={"items": ["person_name", "health"], "people_confirmed": 3, "knew_at": knew,
               "malicious": False, "cause": "other"}, actor=user)
    assert not incident.tasks.filter(key="recipient_delete").exists()
    log_in(page, live_server, user, f"/incidents/{incident.pk}/facts/")

    # The cause turns out to be a mis-sent e-mail.
    page.select_option("#id_cause", "misdelivery")
    page.click("button[type=submit]:has-text('事実を保存')")
    page.wait_for_url(re.compile(rf".*/incidents/{incident.pk}/$"))

    # The tasks card proposes the mis-delivery playbook's tasks; none added by itself.
    proposals = page.locator("#tasks .task-proposals")
    assert "現在の事実に合うタスクの提案（2件）" in proposals.locator("h3").inner_text()
    item = proposals.locator("li", has_text="誤送付先への削除依頼と削除の確認")
    assert item.count() == 1
    assert page.locator("#tasks tr", has_text="誤送付先への削除依頼と削除の確認").count() == 0
    # The timeline's duty-change entry says what was proposed.
    assert "誤送付先への削除依頼と削除の確認" in page.locator(
        "#timeline [data-kind=duty_change]").last.inner_text()
    page.locator("#tasks").screenshot(path="/tmp/playbooks-proposals-card.png")

    # One click adds it: it is an open task now, and no longer proposed.
    item.locator("button:has-text('追加')").click()
    page.wait_for_url(re.compile(rf".*/incidents/{incident.pk}/#tasks$"))
    assert "提案されたタスクを1件追加しました。" in page.inner_text(".messages")
    assert page.locator("#tasks tr", has_text="誤送付先への削除依頼と削除の確認").count() == 1
    assert page.locator("#tasks .task-proposals li").count() == 1

    # The tasks page shows the remaining proposal with the same button.
    page.click(".incident-nav a:has-text('タスク')")
    rest = page.locator(".task-proposals li")
    assert "誤送付の範囲の確認" in rest.inner_text()
    page.screenshot(path="/tmp/playbooks-proposals-tasks.png")
