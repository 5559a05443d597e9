"""The day the company knew as one fact: the facts' knew_at against the 判明 timeline entries."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.facts import JST
from rouei.incidents.knew_date import compare

DAY = dt.date(2026, 11, 24)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=JST)


def test_compare_entry_on_the_facts_day_proposes_nothing():
    assert compare(DAY, [_at(DAY)]).proposals == ()


def test_compare_entry_on_another_day_proposes_it():
    assert compare(DAY, [_at(DAY - dt.timedelta(days=4))]).proposals == (dt.date(2026, 11, 20),)


def test_compare_entry_on_another_day_is_a_contradiction():
    assert compare(DAY, [_at(DAY - dt.timedelta(days=4))]).contradiction


def test_compare_entry_without_a_facts_day_proposes_it():
    assert compare(None, [_at(DAY)]).proposals == (DAY,)


def test_compare_entry_without_a_facts_day_is_no_contradiction():
    assert not compare(None, [_at(DAY)]).contradiction


def test_compare_without_entries_proposes_nothing():
    assert compare(DAY, []).proposals == ()


def test_compare_reads_the_entry_as_a_day_in_japan():
    # 16:30 UTC on the 23rd is 01:30 JST on the 24th: the facts' day.
    late_utc = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC)
    assert compare(DAY, [late_utc]).proposals == ()


def test_compare_describes_both_days_in_japanese():
    described = compare(DAY, [_at(dt.date(2026, 11, 20))]).describe("ja")
    assert described == {"facts": "2026年11月24日（火）",
                         "proposals": [{"iso": "2026-11-20", "text": "2026年11月20日（金）"}]}


@given(facts_day=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
       moments=st.lists(st.datetimes(dt.datetime(2000, 1, 2), dt.datetime(2099, 12, 30),
                                     timezones=st.just(dt.UTC)), max_size=5))
def test_compare_proposes_every_other_day_once_and_never_the_facts_day(facts_day, moments):
    check = compare(facts_day, moments)
    days = {m.astimezone(JST).date() for m in moments}
    assert set(check.proposals) == days - {facts_day}
    assert len(check.proposals) == len(set(check.proposals))
    assert check.contradiction == (facts_day is not None and bool(days - {facts_day}))
