"""Which signals look alike: the sender's name normalised, shared data items, the time window,
and the clusters the warning counts. Pure functions: no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rouei.intake.similarity import (
    DEFAULT_WINDOW,
    UBIQUITOUS_ITEMS,
    SignalFacts,
    clusters,
    compare,
    is_similar,
    normalise_sender,
)

T0 = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
ITEMS = ["person_name", "address", "birth_date", "phone", "email", "bank_account"]

names = st.text(alphabet=st.sampled_from(list("ABCabc〇〇商事ライフ株式会社有限(株)（）㈱㍿ 　ＡＢ")),
                max_size=16)
facts = st.builds(
    SignalFacts,
    key=st.integers(0, 10_000),
    received_at=st.integers(0, 200).map(lambda d: T0 + dt.timedelta(days=d)),
    sender=names,
    items=st.frozensets(st.sampled_from(ITEMS), max_size=4),
    group=st.none() | st.integers(0, 3),
)


def _unique(signals: list[SignalFacts]) -> list[SignalFacts]:
    return list({s.key: s for s in signals}.values())


def test_normalise_sender_company_forms_and_widths_compare_equal():
    spellings = ["株式会社〇〇", "(株)〇〇", "（株）〇〇", "〇〇㈱", "〇〇 株式会社", "㍿〇〇",
                 "株式会社　〇〇"]
    assert {normalise_sender(s) for s in spellings} == {"〇〇"}
    assert normalise_sender("株式会社 ＡＢＣ商事") == normalise_sender("abc商事") == "abc商事"


def test_normalise_sender_different_companies_stay_different():
    assert normalise_sender("株式会社〇〇") != normalise_sender("株式会社△△")


@given(names)
def test_normalise_sender_is_idempotent(name):
    once = normalise_sender(name)
    assert normalise_sender(once) == once


plain_names = st.text(alphabet=st.sampled_from(list("ABCabcＡＢ〇△商事ライフ 　")), max_size=12)


@given(plain_names)
def test_normalise_sender_ignores_company_words_and_spaces(name):
    bare = normalise_sender(name)
    assert normalise_sender(f"株式会社 {name}") == normalise_sender(f"{name}（株）") == bare
    assert normalise_sender(name.upper()) == normalise_sender(name.lower()) == bare.casefold()


@given(facts, facts)
def test_compare_is_symmetric(a, b):
    assert compare(a, b) == compare(b, a)


@given(facts)
def test_signal_with_a_sender_is_similar_to_itself(a):
    assert is_similar(a, a) == (bool(normalise_sender(a.sender))
                                or (len(a.items) >= 2 and bool(a.items - UBIQUITOUS_ITEMS)))


@given(facts, facts)
def test_signals_outside_the_window_are_never_similar(a, b):
    far = SignalFacts(key=b.key, received_at=a.received_at + DEFAULT_WINDOW
                      + dt.timedelta(seconds=1), sender=a.sender, items=a.items)
    assert not is_similar(a, far)


def test_one_shared_item_alone_is_not_enough():
    a = SignalFacts(1, T0, "", frozenset({"person_name", "phone"}))
    b = SignalFacts(2, T0, "", frozenset({"person_name", "email"}))
    c = SignalFacts(3, T0, "", frozenset({"person_name", "phone", "email"}))
    assert not is_similar(a, b)
    assert is_similar(a, c) and is_similar(b, c)


def test_sharing_only_name_and_address_is_not_enough():
    a = SignalFacts(key=1, received_at=T0, sender="株式会社A",
                    items=frozenset({"person_name", "address"}))
    b = SignalFacts(key=2, received_at=T0, sender="B商事", items=a.items)
    c = SignalFacts(key=3, received_at=T0, sender="C社", items=a.items | {"birth_date"})
    d = SignalFacts(key=4, received_at=T0, sender="D社", items=a.items | {"birth_date"})
    assert not is_similar(a, b)
    assert is_similar(c, d)
    assert clusters([a, b, c, d]) == [frozenset({3, 4}), frozenset({1}), frozenset({2})]


def test_same_sender_is_enough_without_shared_items():
    a = SignalFacts(1, T0, "株式会社〇〇", frozenset({"person_name"}))
    b = SignalFacts(2, T0 + dt.timedelta(days=30), "〇〇㈱", frozenset({"email"}))
    found = compare(a, b)
    assert found.similar and found.same_sender and not found.shared_items


@given(st.lists(facts, max_size=12))
def test_clusters_partition_the_signals(signals):
    signals = _unique(signals)
    found = clusters(signals)
    keys = [k for cluster in found for k in cluster]
    assert sorted(keys) == sorted(s.key for s in signals)  # each once
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)


@given(st.lists(facts, max_size=12))
def test_similar_or_linked_signals_share_a_cluster(signals):
    signals = _unique(signals)
    where = {k: i for i, cluster in enumerate(clusters(signals)) for k in cluster}
    for a in signals:
        for b in signals:
            if is_similar(a, b) or (a.group is not None and a.group == b.group):
                assert where[a.key] == where[b.key]


@given(st.lists(facts, max_size=10), facts)
def test_adding_a_signal_never_splits_a_cluster(signals, extra):
    signals = [s for s in _unique(signals) if s.key != extra.key]
    before = clusters(signals)
    after = clusters([*signals, extra])
    for cluster in before:
        assert any(cluster <= bigger for bigger in after)
