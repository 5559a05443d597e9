from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning.people import MAX_IN_MEMORY_RUNS, PeopleCounter


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
    # a nameless record joins the first named record with its e-mail (never two named ones)
    first_named = {}
    for i, (n, e) in enumerate(rows):
        if n and e:
            first_named.setdefault(e, i)
    for i, (n, e) in enumerate(rows):
        if not n and e in first_named:
            parent[find(i)] = find(first_named[e])
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


# -- bounded memory: spilled runs, key ranges, the numpy union-find

_FIELDS = ("person_name", "email", "phone", "birth_date", "my_number")
_values = st.sampled_from(["a", "b", "c", "d", "", None])


def _frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame({f: [r[i] for r in rows] for i, f in enumerate(_FIELDS)},
                        schema=dict.fromkeys(_FIELDS, pl.Utf8))


def _fill(counter: PeopleCounter, rows: list[tuple], split: int, text: bool) -> PeopleCounter:
    from rouei.scanning.people import IDENTITY_KEYS, TEXT_KEYS
    for i in range(0, len(rows), split):
        counter.add(_frame(rows[i:i + split]), keys=TEXT_KEYS if text else IDENTITY_KEYS)
    return counter


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(*[_values] * len(_FIELDS)), min_size=0, max_size=120),
       st.integers(min_value=1, max_value=30), st.booleans(), st.integers(min_value=0, max_value=3))
def test_people_spilled_and_in_memory_counts_agree(rows, split, text, merges):
    in_memory = _fill(PeopleCounter(), rows, split, text)
    # 1 KiB: the buffer spills every ~20 edges and count() reads many key ranges
    spilled = _fill(PeopleCounter(memory=1024), rows, split, text)
    expected = in_memory.count()
    assert in_memory.spilled == 0
    if expected.records - expected.records_without_key > 20:  # > 20 edges
        assert spilled.spilled > 0
    assert spilled.count() == expected
    # merged counters (some spilled, some not) give the count of one counter
    if merges:
        parts = [rows[i::merges + 1] for i in range(merges + 1)]
        whole = _fill(PeopleCounter(), [r for p in parts for r in p], split, text).count()
        left = PeopleCounter(memory=1024)
        for i, part in enumerate(parts):
            left.merge(_fill(PeopleCounter(memory=1024 if i % 2 else None), part, split, text))
        assert left.count() == whole


def test_people_spilled_counter_pickles_by_path_and_cleans_up(tmp_path):
    import gc
    import os
    import pickle
    rows = [(f"n{i % 50}", f"{i % 70}@x", None, "1", None) for i in range(500)]
    counter = _fill(PeopleCounter(memory=2048, temp_dir=str(tmp_path)), rows, 37, False)
    expected = counter.count()
    assert counter.spilled > 0
    folder = counter._spill.path
    data = pickle.dumps(counter)
    assert sum(run._arrays is None for run in counter._runs) == counter.spilled  # by path
    del counter
    gc.collect()
    assert os.path.isdir(folder)  # the pickled counter handed the folder over
    copy = pickle.loads(data)
    assert copy.count() == expected
    del copy
    gc.collect()
    assert not os.path.exists(folder)


def test_people_long_chain_of_links_is_one_person():
    # record i shares a name+birth date with i+1 and a name+e-mail with i-1 … one chain
    n = 3000
    names = ["x"] * n
    emails = [f"{i // 2}@x" for i in range(n)]
    births = [str((i + 1) // 2) for i in range(n)]
    for memory in (None, 4096):
        counter = PeopleCounter(memory=memory)
        counter.add(pl.DataFrame({"person_name": names, "email": emails,
                                  "birth_date": births}))
        assert counter.count().people == 1


def test_people_memory_budget_parses_sizes(monkeypatch):
    from rouei.scanning.people import DEFAULT_MEMORY, memory_budget
    assert memory_budget("256M") == 256 << 20
    assert memory_budget("2g") == 2 << 30
    assert memory_budget("1.5GiB") == 3 << 29
    assert memory_budget(5000) == 5000
    monkeypatch.delenv("ROUEI_SCAN_MEMORY", raising=False)
    assert memory_budget() == DEFAULT_MEMORY
    monkeypatch.setenv("ROUEI_SCAN_MEMORY", "64M")
    assert PeopleCounter().memory == 64 << 20


def test_people_many_small_counters_merge_into_one_run():
    rows = [(f"n{i % 13}", f"{i % 17}@x", None, str(i % 5), None) for i in range(2_000)]
    whole = _fill(PeopleCounter(), rows, 2_000, False).count()
    merged = PeopleCounter()
    for i in range(0, 2_000, 7):  # 286 files of 7 rows, a run or more each
        merged.merge(_fill(PeopleCounter(), rows[i:i + 7], 7, False))
    assert len(merged._runs) <= MAX_IN_MEMORY_RUNS
    assert merged.count() == whole


def test_people_nameless_record_with_a_named_records_email_adds_no_one():
    count = _count({"person_name": ["山田太郎", None], "email": ["taro@example.jp", "taro@example.jp"]})
    assert count.people == 1


def test_people_nameless_record_does_not_join_a_family_sharing_its_email():
    count = _count({"person_name": ["山田太郎", "山田花子", None],
                    "email": ["yamada@example.jp"] * 3})
    assert count.people == 2


def test_people_nameless_records_of_other_emails_stay_apart_from_the_named():
    count = _count({"person_name": ["山田太郎", None], "email": ["taro@example.jp", "x@example.jp"]})
    assert count.people == 2


def test_people_a_name_alone_is_the_person_of_that_name_with_data():
    count = _count({"person_name": ["柴田誠", "柴田誠"], "phone": ["09011112222", None]})
    assert count.people == 1


def test_people_a_name_alone_does_not_join_two_namesakes_with_their_own_data():
    count = _count({"person_name": ["柴田誠", "柴田誠", "柴田誠"],
                    "phone": ["09011112222", "08033334444", None]})
    assert count.people == 2


def test_people_a_name_alone_of_no_one_else_counts():
    count = _count({"person_name": ["柴田誠", "柴田恵子"], "phone": ["09011112222", None]})
    assert count.people == 2


def test_people_namesakes_with_their_own_data_and_no_name_alone_stay_apart():
    # every named record with data anchors its name: namesakes share that key, which links
    # no one until a record holding the name alone comes (counted in memory and spilled)
    names = ["柴田誠"] * 50 + ["柴田恵子"] * 50
    phones = [f"090{i:08d}" for i in range(100)]
    for memory in (None, 1024):
        counter = PeopleCounter(memory=memory)
        counter.add(pl.DataFrame({"person_name": names, "phone": phones}))
        assert counter.count().people == 100
        counter.add(pl.DataFrame({"person_name": ["柴田誠"], "phone": [None]}))
        assert counter.count().people == 100


def test_people_a_million_customer_rows_are_counted_without_spilling(monkeypatch):
    # a 1M-row customer file (name, reading, birth date, phone, address, e-mail, card: ~8
    # edges a row) stays within the default budget: a spill costs ~0.5 CPU-s a million rows
    monkeypatch.delenv("ROUEI_SCAN_MEMORY", raising=False)
    counter = PeopleCounter()
    for start in range(0, 1_000_000, 200_000):
        i = pl.int_range(start, start + 200_000, eager=True).cast(pl.Utf8)
        counter.add(pl.DataFrame({
            "person_name": "名" + i, "name_kana": "メイ" + i, "birth_date": "b" + i,
            "phone": "090" + i, "address": "東京都" + i, "email": i + "@example.jp",
            "credit_card": "4" + i}))
    assert counter.spilled == 0


# -- the key hashes' compiled pass (_kernels.key_hashes) against numpy's expression

@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)), min_size=1,
                max_size=60),
       st.data(), st.sampled_from([("person_name", "phone"), ("email",), ("email", "@attach")]))
def test_people_compiled_key_hashes_equal_numpy_ones(pairs, data, key):
    import numpy as np

    from rouei.scanning import people
    first = np.array([a for a, _ in pairs], dtype=np.uint64)
    second = np.array([b for _, b in pairs], dtype=np.uint64)
    fields = [first, second][:len([f for f in key if f != "@attach"])]
    rows = data.draw(st.none() | st.lists(st.integers(0, len(pairs) - 1), max_size=80)
                     .map(lambda r: np.array(r, dtype=np.int64)))
    compiled = people._key_hash(fields, key, rows)
    # numpy's expression (the counter's before the kernel, and without it)
    expected = np.full(len(first) if rows is None else len(rows), people._salt(key),
                       dtype=np.uint64)
    for hashes in fields:
        expected = people._mix(expected ^ (hashes if rows is None else hashes[rows]))
    assert people._kernels is not None and compiled.dtype == np.uint64
    assert compiled.tolist() == expected.tolist()


def test_people_compiled_key_hashes_refuse_a_row_outside_the_fields():
    import numpy as np
    import pytest

    from rouei.scanning import _kernels
    out = np.empty(2, dtype=np.uint64)
    hashes = np.zeros(3, dtype=np.uint64)
    with pytest.raises(IndexError):
        _kernels.key_hashes(out, 1, np.array([0, 3], dtype=np.int64), (hashes,))
    with pytest.raises(IndexError):
        _kernels.key_hashes(out, 1, np.array([-1, 0], dtype=np.int64), (hashes,))
    with pytest.raises(ValueError):  # fields of different lengths
        _kernels.key_hashes(out, 1, np.array([0, 1], dtype=np.int64),
                            (hashes, np.zeros(2, dtype=np.uint64)))
    with pytest.raises(ValueError):  # no rows: as many edges as records
        _kernels.key_hashes(out, 1, None, (hashes,))


def test_people_batches_of_full_and_partial_keys_count_as_joined_runs():
    # add()'s parts (one kind each, rows shared by the keys every record holds) and the same
    # edges joined into one run (many small counters merged) give the same people
    rows = {"person_name": ["A", "B", "A", None, "C"], "email": ["a@x", "b@x", "a@x", "b@x", None],
            "phone": ["1", "2", "3", "4", "5"], "birth_date": ["d", "d", "d", "d", "d"]}
    one = PeopleCounter()
    one.add(pl.DataFrame(rows))
    joined = PeopleCounter()
    for i in range(5):
        part = PeopleCounter()
        part.add(pl.DataFrame({k: v[i:i + 1] for k, v in rows.items()},
                              schema=dict.fromkeys(rows, pl.Utf8)))
        joined.merge(part)
    joined._combine_in_memory()
    assert joined.count() == one.count()
    assert one.count().people == 3  # A (rows 1, 3), B and the nameless b@x, C


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=40), st.lists(st.integers(0, 2**64 - 1),
                                                                   max_size=200),
       st.lists(st.integers(0, 39), max_size=60))
def test_people_shared_keys_are_found_where_they_are(members, others, copies):
    import numpy as np

    from rouei.scanning import people
    shared = np.unique(np.array(members, dtype=np.uint64))
    # keys: others, copies of members, and keys sharing a member's low bits but not the member
    near = [int(m) ^ (1 << 63) for m in shared]
    picked = [int(shared[i % len(shared)]) for i in copies] if len(shared) else []
    keys = np.array(others + picked + near, dtype=np.uint64)
    np.random.default_rng(len(keys)).shuffle(keys)
    found = people._membership(shared)(keys)
    assert found.tolist() == np.flatnonzero(np.isin(keys, shared)).tolist()


def test_people_shared_positions_refuse_a_table_not_a_power_of_two():
    import numpy as np
    import pytest

    from rouei.scanning import _kernels
    keys = np.zeros(4, dtype=np.uint64)
    with pytest.raises(ValueError):
        _kernels.shared_positions(np.empty(4, dtype=np.int64), keys, np.zeros(3, dtype=bool),
                                  np.zeros(1, dtype=np.uint64))
    with pytest.raises(ValueError):  # no room for every key's position
        _kernels.shared_positions(np.empty(3, dtype=np.int64), keys, np.zeros(4, dtype=bool),
                                  np.zeros(1, dtype=np.uint64))


# -- the shared keys' compiled search (_kernels.shared_keys) against numpy's sort

def _shared_by_sorting(taken) -> list[int]:
    import numpy as np
    keys = np.concatenate([keys if keep is None else keys[keep] for keys, keep in taken]
                          or [np.empty(0, dtype=np.uint64)])
    keys.sort()
    return np.unique(keys[1:][keys[1:] == keys[:-1]]).tolist()


def _parts(draw_keys, data) -> list:
    import numpy as np
    taken = []
    for keys in draw_keys:
        array = np.array(keys, dtype=np.uint64)
        keep = data.draw(st.none() | st.lists(st.integers(0, max(len(keys) - 1, 0)),
                                              max_size=len(keys) * 2)
                         .map(lambda p: np.array(p, dtype=np.int64)))
        taken.append((array, keep if keep is None or len(array) else None))
    return taken


# keys from a small pool (many repeats, 0 and 2**64 - 1 among them) and from anywhere
_KEY = st.sampled_from([0, 1, 2**63, 2**64 - 1, 12345, 2**32]) | st.integers(0, 2**64 - 1)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(_KEY, max_size=60), max_size=5), st.data())
def test_people_compiled_shared_keys_equal_the_sorted_ones(draw_keys, data):
    from rouei.scanning import people
    taken = _parts(draw_keys, data)
    assert people._kernels is not None
    assert people._shared_keys(taken).tolist() == _shared_by_sorting(taken)


@settings(max_examples=25, deadline=None)
@given(st.integers(4_000, 60_000), st.integers(1, 2**32), st.sampled_from([2, 50, 10**9]),
       st.booleans())
def test_people_compiled_shared_keys_of_many_groups_equal_the_sorted_ones(size, seed, spread,
                                                                          close):
    # more keys than one group holds (4,096): the keys are scattered by their top bits first;
    # with ``close`` the keys differ in their low bits only (one group, long probe runs)
    import numpy as np

    from rouei.scanning import people
    rng = np.random.default_rng(seed)
    if close:
        values = rng.integers(0, min(spread * size, 1 << 40), size, dtype=np.uint64) << 20
    else:
        values = rng.integers(0, 2**64 - 1, size, dtype=np.uint64, endpoint=True)
        values = values[rng.integers(0, min(len(values), spread * size), size) % size]
    cut = size // 3
    taken = [(values[:cut], None),
             (values[cut:], rng.integers(0, size - cut, size // 2).astype(np.int64))]
    assert people._shared_keys(taken).tolist() == _shared_by_sorting(taken)


def test_people_compiled_shared_keys_refuse_a_position_outside_the_keys():
    import numpy as np
    import pytest

    from rouei.scanning import _kernels
    keys = np.arange(4, dtype=np.uint64)
    with pytest.raises(IndexError):
        _kernels.shared_keys(np.empty(2, dtype=np.uint64), ((keys, np.array([0, 4])),))
    with pytest.raises(IndexError):
        _kernels.shared_keys(np.empty(2, dtype=np.uint64), ((keys, np.array([-1, 0])),))
    with pytest.raises(ValueError):  # no room for every key
        _kernels.shared_keys(np.empty(3, dtype=np.uint64), ((keys, None),))
