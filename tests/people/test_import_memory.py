"""An import's memory does not grow by a dict for each bad row it skips: the rejected rows are
kept as numbers (``RejectedRows``) and still read, and come out in the JSON contract, as the
list of ``{row, reason}`` in file order."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.people import actions
from rouei.people.imports import ImportResult, RejectedRows

REASONS = ["メールアドレスの形式ではありません", "生年月日を日付として読めません",
           "電話番号として読めません"]
rejected_rows = st.lists(st.tuples(st.integers(2, 10**12),
                                   st.sampled_from(REASONS) | st.text(max_size=40)),
                         max_size=60)


def _kept(entries) -> RejectedRows:
    kept = RejectedRows()
    for row, reason in entries:
        kept.add(row, reason)
    return kept


@given(rejected_rows)
def test_rejected_rows_read_as_the_list_of_their_rows_and_reasons(entries):
    assert _kept(entries) == [{"row": row, "reason": reason} for row, reason in entries]


@given(rejected_rows)
def test_the_first_rejected_rows_are_a_slice_of_that_list(entries):
    expected = [{"row": row, "reason": reason} for row, reason in entries]
    assert _kept(entries)[:20] == expected[:20]


@given(rejected_rows)
def test_the_json_result_lists_every_rejected_row_in_file_order(entries):
    result = ImportResult(rejected=_kept(entries))
    expected = [{"row": row, "reason": reason} for row, reason in entries]
    assert json.loads(json.dumps(result.to_dict()))["rejected"] == expected


def test_a_hundred_thousand_rejected_rows_take_a_few_megabytes():
    result = ImportResult()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for row in range(2, 100_002):
            result.rejected.add(row, REASONS[row % 3])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 3 << 20  # a dict a row took ~30 MB


@pytest.mark.django_db
def test_an_import_skipping_many_bad_rows_lists_each_in_file_order(incident, user, people_csv):
    rows = [f"山田 太郎{i},ヤマダ タロウ,,,090-1234-{i:04d},"
            f"{'bad-address' if i % 3 == 0 else f'taro{i}@example.jp'},1985-04-01,"
            for i in range(300)]
    result = actions.do_import_people(user, incident, people_csv(rows=rows), on_error="skip")
    assert [r["row"] for r in result.to_dict()["rejected"]] == [i + 2 for i in range(0, 300, 3)]
