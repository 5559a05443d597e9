"""A table's free-text cells matched at once give what ``detect_text`` gives cell by cell:
``detect_cells`` (each detector's pattern over the cells joined by line breaks) and the
engine's ``_match_prose`` (the gates first, each distinct cell once, other processes)."""

from __future__ import annotations

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.scanning import engine
from rouei.scanning.detectors import detect_cells, detect_text

# Pieces of 備考 cells; some end in the middle of an item, so that a joined string would carry
# a match over a line break if nothing stopped it (東京都千代田区 + 1-1, 090-1234 + -5678).
_PIECES = [
    "置き配希望", "領収書不要", "。", "、", " ", "　", "\n", "宛名は", "山田太郎", "佐藤", "花子", "様", "さん",
    "でお願いします", "担当の", "日中は携帯", "090-1234", "-5678", "０９０－１２３４－５６７８", "TEL", "03",
    "1234", "5678", "〒", "100-0001", "1000001", "東京都", "千代田区", "千代田", "1-1", "１丁目２番３号",
    "ハイツ101", "taro", "@", "example.jp", "宛に送付", "1985年4月1日", "生まれ", "昭和60年", "糖尿病",
    "通院中", "入院中", "アレルギー", "障害者手帳2級", "所持", "フリガナ", "ヤマダ タロウ", "(", ")",
    "4111 1111 1111 1111", "カード", "注文番号", "7003297490", "マイナンバー", "123456789018", "From: ",
]
cells = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(cells, max_size=30))
@example(["東京都千代田区", "1-1 山田様"])
@example(["日中は携帯090-1234", "-5678へ"])
@example(["From: 山田 <a@example.jp>", "From: 山田 <a@example.jp>\n"])
def test_detect_cells_is_detect_text_cell_by_cell(texts):
    assert detect_cells(texts) == [detect_text(t) for t in texts]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), cells), max_size=40))
@example(["", None, "置き配希望"])
def test_match_prose_finds_in_each_cell_what_detect_text_finds(values):
    series = pl.Series("備考", values, dtype=pl.Utf8)
    matched = engine._match_prose(series)
    by_row = {i: detect_text(v) for i, v in enumerate(values) if v and detect_text(v)}
    assert {i: matched.found[values[i]] for i in matched.rows} == by_row


def test_match_prose_runs_only_the_detectors_a_cell_may_match():
    values, subsets = engine._screen_prose(pl.Series(["宛名は山田太郎様", "置き配希望"]))
    assert [(v, [d.name for d in s]) for v, s in zip(values, subsets, strict=True)] == [
        ("宛名は山田太郎様", ["person_name"])]


def test_match_prose_in_other_processes_finds_the_same(monkeypatch):
    monkeypatch.setattr(engine, "PROSE_POOL_MIN", 1)
    monkeypatch.setattr(engine, "PROSE_CHUNK", 2)
    values = ["宛名は山田太郎様", "日中は携帯090-1234-5678へ", "置き配希望", "糖尿病で通院中",
              "領収書はtaro@example.jp宛に", "宛名は山田太郎様"]
    series = pl.Series("備考", values, dtype=pl.Utf8)
    try:
        in_processes = engine._match_prose(series, processes=2)
    finally:
        engine._close_prose_pool()
    assert in_processes == engine._match_prose(series)


def test_scan_of_a_table_with_a_free_text_column_reports_its_items(tmp_path):
    path = tmp_path / "export.csv"
    notes = ["日中は携帯090-1234-5678へ連絡ください。よろしくお願いします",
             "置き配希望。領収書不要。前回と同じ住所でお願いします",
             "宛名は山田太郎様でお願いします。ギフト包装も希望します",
             "糖尿病で通院中のため低糖質の商品を希望します。次回も同じ"]
    path.write_text("会員番号,備考\n" + "".join(f"C{i},{n}\n" for i, n in enumerate(notes)),
                    encoding="utf-8")
    report = engine.scan([path])
    assert report.totals == {"phone": 1, "person_name": 1, "health": 1}

