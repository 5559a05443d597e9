"""Comparing two assessments in words (pure: no database)."""

from __future__ import annotations

import datetime as dt
import json

from rouei.domain.assessment import Assessment, assess
from rouei.domain.facts import parse_facts
from rouei.incidents.duty_changes import all_good_news, compare

TODAY = dt.date(2026, 11, 25)
BASE = {"items": ["person_name", "email"], "knew_at": "2026-11-24", "cause": "misconfiguration",
        "malicious": False, "people_confirmed": 900}


def _changes(before: dict, after: dict):
    return compare(assess(parse_facts(before), today=TODAY), assess(parse_facts(after), today=TODAY))


def test_compare_same_facts_no_changes():
    assert _changes(BASE, BASE) == []


def test_compare_no_previous_assessment_no_changes():
    a = assess(parse_facts(BASE), today=TODAY)
    assert compare(None, a) == []


def test_compare_people_past_1000_report_becomes_required():
    changes = _changes(BASE, {**BASE, "people_confirmed": 1001})
    assert [c.code for c in changes] == ["report_required", "final_due_set"]
    assert changes[0].ja == "本人の数が1,000人を超えたため、規則7条4号に該当し報告が必要になりました"
    assert changes[0]("en").startswith("The number of people passed 1,000")


def test_compare_exactly_1000_people_is_no_change():
    assert _changes(BASE, {**BASE, "people_confirmed": 1000}) == []


def test_compare_second_trigger_while_already_required_says_also():
    sensitive = {**BASE, "items": ["person_name", "health"]}
    changes = _changes(sensitive, {**sensitive, "people_confirmed": 5000})
    assert [c.code for c in changes] == ["trigger_added"]
    assert changes[0].ja == ("本人の数が1,000人を超えたため、規則7条4号にも該当するようになりました"
                             "（報告は引き続き必要です）")


def test_compare_malice_found_moves_the_final_deadline_to_60_days():
    sensitive = {**BASE, "items": ["person_name", "health"]}
    changes = _changes(sensitive, {**sensitive, "malicious": True})
    codes = [c.code for c in changes]
    assert codes == ["trigger_added", "final_due_changed"]
    assert changes[1].ja == ("確報の期限が2026年12月23日（水）から2027年1月22日（金）に変わりました"
                             "（60日）")


def test_compare_trigger_gone_report_no_longer_required():
    changes = _changes({**BASE, "people_confirmed": 1500}, BASE)
    assert [c.code for c in changes] == ["report_not_required"]


def test_compare_unknown_fact_makes_the_report_undecided():
    changes = _changes(BASE, {k: v for k, v in BASE.items() if k != "malicious"} | {
        "cause": "other"})
    assert changes[0].code == "report_undecided"
    assert "要確認" in changes[0].ja


UNDECIDED = {}  # a new incident before its facts are entered: the report is 要確認


def test_compare_first_facts_not_reportable_does_not_say_no_longer():
    changes = _changes(UNDECIDED, BASE)
    assert [c.ja for c in changes] == ["報告の対象ではないと判定されました（報告・本人通知は不要）"]


def test_compare_first_facts_not_reportable_in_english_does_not_say_no_longer():
    changes = _changes(UNDECIDED, BASE)
    assert changes[0]("en") == "not reportable (no report or notice required)"


def test_compare_reportable_then_not_says_no_longer():
    changes = _changes({**BASE, "people_confirmed": 1500}, BASE)
    assert changes[0].ja == "報告の対象ではなくなりました（報告・本人通知は不要）"


def test_compare_duty_gone_is_good_news():
    changes = _changes({**BASE, "people_confirmed": 1500}, BASE)
    assert changes[0].good_news is True


def test_compare_duty_arising_is_not_good_news():
    changes = _changes(BASE, {**BASE, "people_confirmed": 1001})
    assert [c.good_news for c in changes] == [False, False]


def test_all_good_news_only_a_duty_gone_is_good_news():
    assert all_good_news(["report_not_required", "task_due_moved"]) is True


def test_all_good_news_a_duty_gone_beside_a_new_deadline_is_not():
    assert all_good_news(["report_not_required", "final_due_set"]) is False


def test_all_good_news_without_a_duty_gone_is_not():
    assert all_good_news(["trigger_removed"]) is False


def test_compare_assessments_read_back_from_records_give_the_same_changes():
    before = assess(parse_facts(BASE), today=TODAY)
    after = assess(parse_facts({**BASE, "people_confirmed": 1001}), today=TODAY)
    stored = [Assessment.from_record(json.loads(json.dumps(a.to_record())))
              for a in (before, after)]
    assert compare(*stored) == compare(before, after)


def test_compare_new_trigger_rule_is_named_by_its_label(new_trigger_rule):
    changes = _changes(BASE, {**BASE, "publicly_viewable": True})
    assert changes[0].ja == "「掲示板への掲載（試験用）」に該当し報告が必要になりました"


def test_compare_my_number_duty_arising_is_announced_for_the_my_number_act():
    payroll = {**BASE, "items": ["person_name", "my_number"], "people_confirmed": 50,
               "people_is_upper_bound": True, "network_system": False,
               "publicly_viewable": False}
    changes = _changes(payroll, {**payroll, "people_confirmed": 101})
    assert changes[0].ja.startswith("番号法: ")
