"""Editing an incident and its people in a real browser (headless Chromium): the lead renames
the case from the incident page and makes a viewer a legal member; the last lead is kept."""

from __future__ import annotations

import re

import pytest

from rouei.incidents import actions
from rouei.incidents.models import Incident, Membership
from tests.browser.conftest import (  # noqa: F401 — fixtures
    browser_locale,
    chromium,
    log_in,
    page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/incident-members.png"


def test_lead_edits_the_title_and_changes_a_members_role(page, live_server, user,  # noqa: F811
                                                         make_user):
    incident = actions.do_create_incident(title="誤送信（仮）", summary="詳細は調査中",
                                          actor=user)
    kato = make_user("kato")
    actions.do_add_member(incident, kato, "viewer", actor=user)
    detail = f"/incidents/{incident.pk}/"
    log_in(page, live_server, user, detail)

    page.click("#edit-details")
    page.wait_for_url(re.compile(rf".*/incidents/{incident.pk}/edit/$"))
    assert page.input_value("#id_title") == "誤送信（仮）"
    page.fill("#id_title", "顧客リストのメール誤送信")
    page.fill("#id_organisation", "営業部")
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_url(re.compile(rf".*/incidents/{incident.pk}/$"))
    assert "事案の基本情報を保存しました。" in page.inner_text(".messages")
    assert "顧客リストのメール誤送信" in page.inner_text("h1")
    assert "営業部" in page.inner_text("#details")

    # The members card: make kato a legal member.
    row = page.locator("#members tr[data-user=kato]")
    row.locator("select").select_option("legal")
    row.locator("button:has-text('役割を変更')").click()
    page.wait_for_url(re.compile(rf".*/incidents/{incident.pk}/#members$"))
    assert "kato の役割を「法務」にしました。" in page.inner_text(".messages")
    assert page.locator("#members tr[data-user=kato] select").input_value() == "legal"

    # The last lead cannot step down: the page says why and nothing changes.
    mine = page.locator("#members tr[data-user=tanaka]")
    mine.locator("select").select_option("viewer")
    mine.locator("button:has-text('役割を変更')").click()
    page.wait_for_url(re.compile(r".*#members$"))
    assert "唯一の対応責任者です" in page.inner_text(".messages")
    page.screenshot(path=SCREENSHOT, full_page=True)

    assert Incident.objects.get(pk=incident.pk).title == "顧客リストのメール誤送信"
    assert Membership.objects.get(incident=incident, user=kato).role == "legal"
    assert Membership.objects.get(incident=incident, user=user).role == "lead"
