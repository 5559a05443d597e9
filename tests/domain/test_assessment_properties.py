"""Properties of the duty engine that must hold for any facts (hypothesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rouei.domain.assessment import assess
from rouei.domain.facts import Cause, Encryption, Event, Facts, Role
from rouei.domain.items import ITEMS

ORDER = {False: 0, None: 1, True: 2}  # no duty < undecided < duty

item_ids = st.lists(st.sampled_from(sorted(ITEMS)), unique=True, max_size=8)
maybe_bool = st.one_of(st.none(), st.booleans())
counts = st.one_of(st.none(), st.integers(min_value=0, max_value=2_000_000))
days = st.dates(min_value=dt.date(2022, 4, 1), max_value=dt.date(2035, 12, 31))


@st.composite
def facts(draw) -> Facts:
    knew = draw(st.one_of(st.none(), days))
    return Facts(
        items=tuple(draw(item_ids)),
        people_confirmed=draw(counts),
        people_estimated=draw(counts),
        people_is_upper_bound=draw(maybe_bool),
        possibility_only=draw(maybe_bool),
        is_personal_data=draw(maybe_bool),
        encryption=draw(st.one_of(st.none(), st.sampled_from(Encryption))),
        key_leaked=draw(maybe_bool),
        malicious=draw(maybe_bool),
        cause=draw(st.one_of(st.none(), st.sampled_from(Cause))),
        knew_at=dt.datetime.combine(knew, dt.time(9), tzinfo=dt.UTC) if knew else None,
        event=draw(st.one_of(st.none(), st.sampled_from(Event))),
        recovered_before_viewed=draw(maybe_bool),
        copy_exists_elsewhere=draw(maybe_bool),
        intentional_provision=draw(maybe_bool),
        pseudonymized=draw(maybe_bool),
        intended_for_database=draw(maybe_bool),
        role=draw(st.one_of(st.none(), st.sampled_from(Role))),
        notified_principal=draw(maybe_bool),
        payment_functions=draw(maybe_bool),
        publicly_viewable=draw(maybe_bool),
        network_system=draw(maybe_bool),
    )


def _duties(f: Facts) -> tuple[int, int | None]:
    result = assess(f, today=dt.date(2026, 11, 24))
    mn = result.my_number_act
    return ORDER[result.report_required], ORDER[mn.report_required] if mn else None


@settings(max_examples=300, deadline=None)
@given(facts(), item_ids)
def test_adding_leaked_items_never_removes_a_duty(f, extra):
    more = replace(f, items=tuple(dict.fromkeys((*f.items, *extra))))
    before, after = _duties(f), _duties(more)
    assert after[0] >= before[0]
    if before[1] is not None:
        assert after[1] >= before[1]


@settings(max_examples=300, deadline=None)
@given(facts(), st.integers(min_value=0, max_value=2_000_000))
def test_more_people_never_removes_a_duty(f, extra):
    assume(f.people_max is not None)  # from unknown to a count is learning, not growth

    def grow(n: int | None) -> int | None:
        return None if n is None else n + extra

    more = replace(f, people_confirmed=grow(f.people_confirmed),
                   people_estimated=grow(f.people_estimated))
    before, after = _duties(f), _duties(more)
    assert after[0] >= before[0]
    if before[1] is not None:
        assert after[1] >= before[1]


@settings(max_examples=300, deadline=None)
@given(facts())
def test_malice_never_removes_a_duty(f):
    before, after = _duties(f), _duties(replace(f, malicious=True))
    assert after[0] >= before[0]
    if before[1] is not None:
        assert after[1] >= before[1]


@settings(max_examples=300, deadline=None)
@given(facts())
def test_deadlines_never_precede_the_day_the_company_knew(f):
    result = assess(f, today=dt.date(2026, 11, 24))
    for regime in filter(None, (result.appi, result.my_number_act)):
        if regime.final_report_due:
            assert regime.final_report_due >= f.knew_date + dt.timedelta(days=29)
            first, last = regime.preliminary_report_window
            assert f.knew_date <= first <= last <= regime.final_report_due


@settings(max_examples=200, deadline=None)
@given(facts())
def test_every_result_explains_itself(f):
    data = assess(f, today=dt.date(2026, 11, 24)).to_dict()
    assert data["reasons"], "a result always carries at least one reason"
    assert all(r["text"] and r["citation"] for r in data["reasons"])
    if data["report_required"] is None:
        assert data["possible_triggers"] and data["unknowns"]
    if data["report_required"] is not False and f.knew_at is None:
        assert "knew_at" in {u["field"] for u in data["unknowns"]}
