from __future__ import annotations

import datetime as dt

from rouei.documents.checks import PublishedNotice
from rouei.documents.checks import notice_figures_unexplained as rule
from tests.documents.checks.conftest import TODAY, at, make

FIRST = PublishedNotice(at(TODAY), "第一報", (("people_confirmed", "漏えいを確認した方の人数",
                                               "1,200名"), ("items", "対象となる情報の項目", "氏名")))
GROWN = PublishedNotice(at(TODAY, 15), "第二報", (("people_confirmed", "漏えいを確認した方の人数",
                                                   "3,400名"), ("items", "対象となる情報の項目",
                                                                "氏名")))


def test_fires_when_the_count_changed_between_versions():
    data = make(published_notices=(FIRST, GROWN))
    assert "1,200名 → 3,400名" in rule.check(data)[0].message


def test_names_both_versions():
    data = make(published_notices=(FIRST, GROWN))
    assert "第二報で第一報から" in rule.check(data)[0].message


def test_fires_when_a_figure_was_dropped():
    dropped = PublishedNotice(at(TODAY, 15), "第二報", FIRST.figures[1:])
    data = make(published_notices=(FIRST, dropped))
    assert "記載なし" in rule.check(data)[0].message


def test_quiet_with_one_version():
    assert rule.check(make(published_notices=(FIRST,))) == []


def test_quiet_when_the_figures_stayed():
    same = PublishedNotice(at(TODAY, 15), "第二報", FIRST.figures)
    assert rule.check(make(published_notices=(FIRST, same))) == []


def test_quiet_once_a_reason_is_recorded_after_the_version():
    data = make(published_notices=(FIRST, GROWN),
                reasons={rule.CODE: at(TODAY, 16)})
    assert rule.check(data) == []


def test_a_reason_recorded_before_the_version_does_not_answer_it():
    data = make(published_notices=(FIRST, GROWN),
                reasons={rule.CODE: at(TODAY, 15) - dt.timedelta(minutes=1)})
    assert rule.check(data)[0].code == rule.CODE
