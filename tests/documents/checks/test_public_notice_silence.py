from __future__ import annotations

import datetime as dt

from rouei.documents.checks import PublishedNotice
from rouei.documents.checks import public_notice_silence as rule
from tests.documents.checks.conftest import TODAY, at, make

KNEW_5_DAYS_AGO = TODAY - dt.timedelta(days=5)  # today is day 6


def test_fires_on_day_6_without_notice_or_reason():
    assert rule.check(make(knew_on=KNEW_5_DAYS_AGO, publication_expected=True))


def test_names_the_day_in_japanese():
    found = rule.check(make(knew_on=KNEW_5_DAYS_AGO))
    assert "6日目" in found[0].message


def test_is_high_from_day_6():
    assert rule.check(make(knew_on=KNEW_5_DAYS_AGO))[0].severity == "high"


def test_is_medium_on_day_3():
    found = rule.check(make(knew_on=TODAY - dt.timedelta(days=2)))
    assert found[0].severity == "medium"


def test_quiet_on_day_2():
    assert rule.check(make(knew_on=TODAY - dt.timedelta(days=1))) == []


def test_quiet_once_a_notice_is_published():
    notice = PublishedNotice(published_at=at(TODAY))
    assert rule.check(make(knew_on=KNEW_5_DAYS_AGO, published_notices=(notice,))) == []


def test_quiet_when_a_reason_is_recorded():
    data = make(knew_on=KNEW_5_DAYS_AGO, reasons={rule.CODE: at(TODAY)})
    assert rule.check(data) == []


def test_a_reason_from_before_the_company_knew_does_not_count():
    data = make(knew_on=KNEW_5_DAYS_AGO,
                reasons={rule.CODE: at(KNEW_5_DAYS_AGO - dt.timedelta(days=1))})
    assert rule.check(data)


def test_quiet_when_the_company_decided_not_to_publish():
    assert rule.check(make(knew_on=KNEW_5_DAYS_AGO, publication_expected=False)) == []
