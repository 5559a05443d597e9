from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning.people import PeopleCounter


def _count(*batches: dict) -> object:
    counter = PeopleCounter()
    for batch in batches:
        counter.add(pl.DataFrame(batch))
    return counter.count()


def test_people_same_person_in_two_files_counts_once():
    a = {"person_name": ["山田太郎", "佐藤花子"], "email": ["taro@example.jp", "hana@example.jp"]}
    b = {"person_name": ["山田太郎"], "phone": ["09012345678"], "email": ["taro@example.jp"]}
    result = _count(a, b)
    assert result.records == 3 and result.people == 2
    assert result.linked_by == {"person_name+email": 1}


def test_people_shared_email_with_different_names_stays_two():
    batch = {"person_name": ["山田太郎", "山田花子"], "email": ["yamada@example.jp"] * 2}
    assert _count(batch).people == 2


def test_people_email_alone_links_records_without_names():
    assert _count({"email": ["a@x.jp", "a@x.jp", "b@x.jp"]}).people == 2


def test_people_shared_household_phone_does_not_merge_different_names():
    batch = {"person_name": ["山田太郎", "山田花子"], "phone": ["0312345678", "0312345678"]}
    assert _count(batch).people == 2


def test_people_links_are_transitive():
    # row 0 ~ row 1 by e-mail, row 1 ~ row 2 by name+birth date
    batch = {"person_name": ["A", "A", "A"], "email": ["a@x.jp", "a@x.jp", None],
             "birth_date": [None, "19850401", "19850401"]}
    assert _count(batch).people == 1


def test_people_records_without_any_key_each_count():
    result = _count({"address": ["東京都千代田区1-1", "東京都千代田区1-1"]})
    assert result.people == 2 and result.records_without_key == 2


def test_people_empty_strings_are_not_keys():
    assert _count({"email": ["", "", "x@y.jp"]}).people == 3


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]),
                          st.sampled_from(["1@x", "2@x", "3@x", None])), min_size=1, max_size=40),
       st.integers(min_value=1, max_value=7))
def test_people_count_does_not_depend_on_batching(rows, split):
    names = [n for n, _ in rows]
    emails = [e for _, e in rows]
    whole = _count({"person_name": names, "email": emails, "birth_date": ["1"] * len(rows)})
    # with a name: name+birth date (all "1") and name+e-mail; without: the e-mail alone
    counter = PeopleCounter()
    for i in range(0, len(rows), split):
        counter.add(pl.DataFrame({"person_name": names[i:i + split],
                                  "email": emails[i:i + split],
                                  "birth_date": ["1"] * len(names[i:i + split])},
                                 schema={"person_name": pl.Utf8, "email": pl.Utf8,
                                         "birth_date": pl.Utf8}))
    assert counter.count().people == whole.people
    # reference: union-find in plain Python
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    seen: dict = {}
    for i, (n, e) in enumerate(rows):
        keys = [("nb", n)] + ([("ne", n, e)] if e else []) if n else ([("e", e)] if e else [])
        for key in keys:
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    assert whole.people == len({find(i) for i in range(len(rows))})


def test_people_merged_counters_equal_one_counter():
    a = {"person_name": ["A", "B"], "email": ["a@x", "b@x"]}
    b = {"person_name": ["A"], "email": ["a@x"]}
    one = _count(a, b)
    left, right = PeopleCounter(), PeopleCounter()
    left.add(pl.DataFrame(a))
    right.add(pl.DataFrame(b))
    left.merge(right)
    assert left.count() == one and one.people == 2
