from __future__ import annotations

from rouei.documents.checks import Filing, Numbers
from rouei.documents.checks import numbers_changed_since_filing as rule
from tests.documents.checks.conftest import TODAY, at, make

FILED = Filing("preliminary", "速報", at(TODAY), Numbers(640, None, ("氏名",)))


def test_fires_when_the_count_grew():
    data = make(filings=(FILED,), current=Numbers(3100, None, ("氏名",)))
    assert "640人 → 3,100人" in rule.check(data)[0].message


def test_fires_when_an_item_was_added():
    data = make(filings=(FILED,), current=Numbers(640, None, ("氏名", "住所")))
    assert "項目の追加: 住所" in rule.check(data)[0].message


def test_names_the_report_filed():
    data = make(filings=(FILED,), current=Numbers(3100, None, ("氏名",)))
    assert "速報" in rule.check(data)[0].message


def test_compares_with_the_last_report_filed():
    supplement = Filing("supplement", "追完", at(TODAY, 15), Numbers(3100, None, ("氏名",)))
    data = make(filings=(FILED, supplement), current=Numbers(3100, None, ("氏名",)))
    assert rule.check(data) == []


def test_quiet_when_the_numbers_agree():
    assert rule.check(make(filings=(FILED,), current=Numbers(640, None, ("氏名",)))) == []


def test_quiet_when_an_explanation_is_recorded_after_the_filing():
    data = make(filings=(FILED,), current=Numbers(3100, None, ("氏名",)),
                reasons={rule.CODE: at(TODAY, 12)})
    assert rule.check(data) == []


def test_an_explanation_from_before_the_filing_does_not_count():
    data = make(filings=(FILED,), current=Numbers(3100, None, ("氏名",)),
                reasons={rule.CODE: at(TODAY, 8)})
    assert rule.check(data)


def test_quiet_before_any_filing():
    assert rule.check(make(current=Numbers(3100, None, ("氏名",)))) == []
