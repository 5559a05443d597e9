from __future__ import annotations

import datetime as dt

from rouei.documents.checks import Filing, Numbers, PublishedNotice
from rouei.documents.checks import notice_contradicts_report as rule
from tests.documents.checks.conftest import TODAY, at, make

NOTICE = PublishedNotice(at(TODAY, 15), "第一報", (
    ("people_confirmed", "漏えいを確認した方の人数", "1,200名"),
    ("people_total", "影響人数（可能性がある方を含む）", "約3,000名"),
    ("items", "対象となる情報の項目", "氏名、メールアドレス")))
SAME = Numbers(people_confirmed=1200, people_estimated=3000, items=("氏名", "メールアドレス"))
GROWN = Numbers(people_confirmed=3400, people_estimated=3000, items=("氏名", "メールアドレス"))


def filed(numbers: Numbers, hour: int = 12) -> Filing:
    return Filing("preliminary", "速報", at(TODAY, hour), numbers)


def test_fires_when_the_notice_gives_fewer_people_than_the_report_filed():
    data = make(published_notices=(NOTICE,), filings=(filed(GROWN),))
    assert "公表文 1,200人／報告 3,400人" in rule.check(data)[0].message


def test_names_the_filing_it_compares_with():
    data = make(published_notices=(NOTICE,), filings=(filed(GROWN),))
    assert "提出済みの速報" in rule.check(data)[0].message


def test_without_a_filing_compares_with_the_report_draft():
    data = make(published_notices=(NOTICE,), current=GROWN)
    assert "報告書（案）" in rule.check(data)[0].message


def test_fires_when_the_report_names_an_item_the_notice_does_not():
    more = Numbers(people_confirmed=1200, people_estimated=3000,
                   items=("氏名", "メールアドレス", "電話番号"))
    data = make(published_notices=(NOTICE,), filings=(filed(more),))
    assert "報告のみの項目: 電話番号" in rule.check(data)[0].message


def test_quiet_when_notice_and_report_agree():
    data = make(published_notices=(NOTICE,), filings=(filed(SAME),), current=GROWN)
    assert rule.check(data) == []


def test_quiet_when_the_report_does_not_give_the_number():
    data = make(published_notices=(NOTICE,), current=Numbers(items=("氏名", "メールアドレス")))
    assert rule.check(data) == []


def test_quiet_without_a_published_notice():
    assert rule.check(make(filings=(filed(GROWN),))) == []


def test_quiet_once_a_reason_is_recorded_after_notice_and_filing():
    data = make(published_notices=(NOTICE,), filings=(filed(GROWN, hour=16),),
                reasons={rule.CODE: at(TODAY, 17)})
    assert rule.check(data) == []


def test_a_reason_recorded_before_the_filing_does_not_answer_it():
    data = make(published_notices=(NOTICE,), filings=(filed(GROWN, hour=16),),
                reasons={rule.CODE: at(TODAY, 16) - dt.timedelta(minutes=1)})
    assert rule.check(data)[0].code == rule.CODE
