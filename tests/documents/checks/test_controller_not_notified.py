from __future__ import annotations

import datetime as dt

from rouei.documents.checks import controller_not_notified as rule
from tests.documents.checks.conftest import TODAY, make

DAY_4 = TODAY - dt.timedelta(days=3)


def test_fires_for_a_processor_on_day_4():
    assert rule.check(make(knew_on=DAY_4, role="processor"))[0].severity == "high"


def test_cites_article_9():
    assert "規則9条" in rule.check(make(knew_on=DAY_4, role="processor"))[0].message


def test_quiet_once_the_controller_is_notified():
    assert rule.check(make(knew_on=DAY_4, role="processor", processor_notified=True)) == []


def test_quiet_for_a_controller():
    assert rule.check(make(knew_on=DAY_4, role="controller")) == []


def test_quiet_on_the_day_the_processor_knew():
    assert rule.check(make(role="processor")) == []
