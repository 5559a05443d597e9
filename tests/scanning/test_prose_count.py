"""The findings of a free-text column counted in arrays (``_count_prose``) are the counts of
the cell-by-cell loop (``_count_prose_each``): the same number, the same items, met in the
same order (the report lists them in that order)."""

from __future__ import annotations

from collections import Counter

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rouei.scanning.engine import _count_prose, _count_prose_each, _match_prose

NOTES = ["電話 090-1234-5678 まで折り返し", "〒100-0001 東京都千代田区千代田1-1 へ送付",
         "yamada.taro@example.jp に連絡済み", "生年月日 1980年4月1日 確認済み", "糖尿病で通院中とのこと",
         "山田 太郎様より電話 03-3324-6748", "担当の佐藤です。", "特になし", "",
         "大阪府大阪市北区梅田3丁目 佐藤 花子様 06-6345-1234 sato@example.ne.jp"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.one_of(st.none(), st.sampled_from(NOTES)), max_size=120),
       before=st.sampled_from([(), ("phone",), ("health", "email")]))
def test_counted_in_arrays_as_cell_by_cell(cells, before):
    column = pl.Series("備考", cells, dtype=pl.Utf8)
    matched = _match_prose(column)
    found = column.gather(matched.rows)
    each, arrays = Counter(dict.fromkeys(before, 1)), Counter(dict.fromkeys(before, 1))
    assert _count_prose(found, matched, arrays) == _count_prose_each(found, matched, each)
    assert list(arrays.items()) == list(each.items())


def test_each_record_counts_its_cells_findings():
    column = pl.Series("備考", [NOTES[0], NOTES[8], NOTES[5], NOTES[0]], dtype=pl.Utf8)
    matched = _match_prose(column)
    items: Counter[str] = Counter()
    found = _count_prose(column.gather(matched.rows), matched, items)
    assert found == 4  # a phone twice, a name and a phone once
    assert list(items.items()) == [("phone", 3), ("person_name", 1)]
