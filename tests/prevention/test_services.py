"""Reading the plan: by group with overdue marks, item 8 of the PPC report, the status a
measure had at a filing, and the summary a company publishes (no owners, no notes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from rouei.documents.kinds import get_kind
from rouei.prevention import actions, services

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


def test_the_plan_lists_every_group_in_the_reference_order(incident):
    groups = [g["value"] for g in services.plan(incident, TODAY)["groups"]]
    assert groups == ["technical", "organisational", "vendors", "governance"]


def test_an_open_measure_past_its_due_date_is_overdue(measure):
    plan = services.plan(measure.incident, dt.date(2027, 2, 1))
    assert plan["overdue"] == 1


def test_a_done_measure_past_its_due_date_is_not_overdue(measure, user):
    actions.do_update_measure(measure, expected_version=measure.version, status="done",
                              actor=user)
    assert services.plan(measure.incident, dt.date(2027, 2, 1))["overdue"] == 0


def test_a_measure_without_owner_is_counted_as_vague(incident, user):
    actions.do_add_measure(incident, group="governance", title="取締役会への報告",
                           due_date=TODAY, actor=user)
    assert services.plan(incident, TODAY)["without_owner_or_due"] == 1


def test_an_incident_without_measures_has_no_item_8_lines(incident):
    assert services.report_lines(incident) is None


def test_item_8_planned_lists_open_measures_with_their_due_date(measure):
    lines = services.report_lines(measure.incident)
    assert [(x["title"], x["due"]) for x in lines["planned"]] == [
        ("管理者アカウントへのMFA導入", "2027-01-31")]


def test_item_8_done_lists_measures_done_with_their_day(measure, user):
    actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1), note="完了",
                                       status="done", actor=user)
    lines = services.report_lines(measure.incident)
    assert [(x["title"], x["completed_on"]) for x in lines["done"]] == [
        ("管理者アカウントへのMFA導入", "2026-12-01")]


def test_item_8_leaves_out_dropped_measures(measure, user):
    actions.do_update_measure(measure, expected_version=measure.version, status="dropped",
                              drop_reason="方式を変更", actor=user)
    assert services.report_lines(measure.incident) == {"done": [], "planned": []}


def test_the_status_before_a_later_change_is_the_one_at_the_filing(measure, user):
    filed_at = timezone.now()
    actions.do_update_measure(measure, expected_version=measure.version, status="done",
                              actor=user)
    assert services.status_at(measure, filed_at) == "planned"


def test_a_measure_added_after_the_filing_did_not_exist_then(measure):
    assert services.status_at(measure, measure.created_at - dt.timedelta(seconds=1)) is None


def test_the_ppc_report_item_8_comes_from_the_measures(measure):
    planned = get_kind("ppc-report").build(measure.incident, "preliminary")["prevention"][
        "planned"]
    assert [line["measure_id"] for line in planned] == [measure.pk]


def test_the_ppc_report_item_8_keeps_the_task_line_shape(measure):
    line = get_kind("ppc-report").build(measure.incident, "preliminary")["prevention"][
        "planned"][0]
    assert {"key", "title", "status", "completed_on", "due"} <= set(line)


def test_the_ppc_follow_up_shows_a_measure_done_since_the_filing(measure, user):
    from rouei.incidents import actions as incident_actions

    incident_actions.do_record_filed_report(
        measure.incident, kind="preliminary", filed_at=timezone.now(), channel="ppc_form",
        receipt_number="A-1", filed_by=user, actor=user)
    actions.do_record_measure_progress(measure, on=timezone.localdate(), note="完了",
                                       status="done", actor=user)
    changes = get_kind("ppc-report").build(measure.incident, "final")["other"][
        "changes_since_last_filed"]
    assert "prevention.done" in {c["field"] for c in changes["fields"]}


def test_the_published_summary_names_no_owner(measure, user):
    text = services.published_summary(measure.incident, TODAY)["text"]
    assert user.get_username() not in text


def test_the_published_summary_quotes_no_progress_note(measure, user):
    actions.do_record_measure_progress(measure, on=dt.date(2026, 12, 1),
                                       note="山田さんのPCで設定", actor=user)
    assert "山田" not in services.published_summary(measure.incident, TODAY)["text"]


def test_the_published_summary_gives_the_planned_month(measure):
    text = services.published_summary(measure.incident, TODAY)["text"]
    assert "管理者アカウントへのMFA導入（2027年1月までに完了予定・実施予定）" in text


titles = st.text(alphabet=st.characters(categories=("Lo", "Nd")), min_size=1, max_size=20)
months = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@given(done=st.lists(st.tuples(titles, months), max_size=4),
       planned=st.lists(st.tuples(titles, months, st.booleans()), max_size=4))
def test_summary_text_has_one_line_per_measure_with_its_month(done, planned):
    group = {"label": "技術的対策",
             "done": [{"title": t, "month": services.month_text(d)} for t, d in done],
             "planned": [{"title": t, "month": services.month_text(d), "in_progress": p}
                         for t, d, p in planned]}
    text = services.summary_text([group], TODAY)
    bullets = [line for line in text.splitlines() if line.startswith("　・")]
    expected = ([f"　・{t}（{d.year}年{d.month}月実施）" for t, d in done]
                + [f"　・{t}（{d.year}年{d.month}月までに完了予定・{'実施中' if p else '実施予定'}）"
                   for t, d, p in planned])
    assert bullets == expected
