"""A big table's batches scanned by other processes as well as this one (engine._scan_batch):
the same findings, byte for byte and in row order, the same totals and the same people as a
scan in one process, wherever the batches are cut."""

from __future__ import annotations

import csv
import io
import itertools
import json
import pickle
import random
import tempfile
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning import engine
from rouei.scanning.columns import classify
from rouei.scanning.engine import ScanOptions, scan
from rouei.scanning.people import PeopleCounter
from rouei.scanning.readers import Limits

HEADER = ["会員番号", "氏名", "フリガナ", "電話番号", "連絡先", "郵便番号", "住所", "担当者", "備考"]
NOTES = ["", "", "特になし", "配送先は東京都港区芝公園4-2-8 佐藤 花子様宛\n電話 03-3433-5111",
         "再配達希望。連絡は090-1234-5678まで", "糖尿病の治療中と伺っています",
         "メールは hanako.sato@example.jp へ\n\n二行目", "〒105-0011 に転居"]


def _rows(n: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    family, given_names = ["佐藤", "鈴木", "高橋", "田中", "伊藤"], ["花子", "太郎", "翼", "七海"]
    rows = []
    for i in range(n):
        f, g = rng.choice(family), rng.choice(given_names)
        contact = (f"user{i % 37}@example.jp" if i % 3 else f"080-{i % 10000:04d}-{i % 97:04d}")
        rows.append([f"C{10000 + i}", f"{f} {g}", "サトウ ハナコ", f"03-{i % 9000 + 1000}-{i % 7777:04d}",
                     contact, f"{rng.randrange(100, 999)}-{rng.randrange(10000):04d}",
                     f"東京都新宿区西新宿{i % 8 + 1}-{i % 20 + 1}-{i % 5 + 1}", "山本 一郎",
                     rng.choice(NOTES)])
    return rows


def _csv(rows: list[list[str]], bad_row_at: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i, row in enumerate(rows):
        writer.writerow(row if i != bad_row_at else [*row, "余分な列", "もう一つ"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _scan(path: Path, out: Path, workers: int, batch_rows: int, temp_dir: Path | None = None):
    report = scan([path], ScanOptions(workers=workers, limits=Limits(batch_rows=batch_rows),
                                      temp_dir=str(temp_dir) if temp_dir else None),
                  findings_out=out)
    return report, out.read_bytes()


def _without_times(report) -> dict:
    data = report.to_dict()
    data.pop("seconds", None)
    return data


@pytest.mark.parametrize("batch_rows", [1, 7, 64])
def test_a_table_in_batches_of_other_processes_gives_the_same_findings_and_report(
        tmp_path, monkeypatch, batch_rows):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(_rows(300, seed=batch_rows)))
    # the same batches (the first one's sample classifies the columns), here or elsewhere
    one, one_findings = _scan(path, tmp_path / "one.jsonl", workers=1, batch_rows=batch_rows)
    both, both_findings = _scan(path, tmp_path / "both.jsonl", workers=2, batch_rows=batch_rows)
    assert both_findings == one_findings
    assert _without_times(both) == _without_times(one)


def test_other_processes_scan_some_of_the_batches(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(_rows(400, seed=3)))
    scanned_by: list[int] = []
    original = engine._BatchPool.submit

    def counting(self, *args, **kwargs):
        scanned_by.append(1)
        return original(self, *args, **kwargs)

    engine._BatchPool.submit = counting
    try:
        _scan(path, tmp_path / "f.jsonl", workers=2, batch_rows=20)
    finally:
        engine._BatchPool.submit = original
    assert scanned_by


def test_a_table_of_one_batch_starts_no_other_process(tmp_path, monkeypatch):
    path = tmp_path / "small.csv"
    path.write_bytes(_csv(_rows(50, seed=4)))
    monkeypatch.setattr(engine, "_BatchPool", None)  # would fail if it were started
    report, _ = _scan(path, tmp_path / "f.jsonl", workers=2, batch_rows=10_000)
    assert report.files[0].rows == 50


def test_multi_line_cells_across_batch_boundaries_keep_their_rows(tmp_path):
    rows = _rows(120, seed=5)
    for i in range(0, 120, 6):  # a quoted cell of several lines at every sixth record
        rows[i][8] = f"一行目\n連絡は090-1111-{i:04d}まで\n\n三行目"
    path = tmp_path / "multi.csv"
    path.write_bytes(_csv(rows))
    _, one_findings = _scan(path, tmp_path / "one.jsonl", workers=1, batch_rows=5)
    _, both_findings = _scan(path, tmp_path / "both.jsonl", workers=2, batch_rows=5)
    assert both_findings == one_findings
    phones_in_notes = [json.loads(line)["row"] for line in both_findings.splitlines()
                       if json.loads(line)["column"] == "備考"
                       and json.loads(line)["category"] == "phone"]
    assert phones_in_notes[:2] == [2, 8]  # spreadsheet rows: the header is row 1


def test_a_bad_row_is_reported_the_same_with_other_processes(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(_rows(200, seed=6), bad_row_at=77))
    one, one_findings = _scan(path, tmp_path / "one.jsonl", workers=1, batch_rows=9)
    both, both_findings = _scan(path, tmp_path / "both.jsonl", workers=2, batch_rows=9)
    assert both_findings == one_findings
    assert _without_times(both) == _without_times(one)


def test_no_batch_findings_file_is_left_behind(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(_rows(300, seed=8)))
    temp = tmp_path / "temp"
    temp.mkdir()
    _scan(path, tmp_path / "f.jsonl", workers=2, batch_rows=11, temp_dir=temp)
    assert [p.name for p in temp.iterdir() if p.name.startswith("rouei-batch-")] == []


def _batch_frame(rows: list[list[str]]) -> pl.DataFrame:
    return pl.DataFrame({name: [r[i] for r in rows] for i, name in enumerate(HEADER)},
                        schema=dict.fromkeys(HEADER, pl.Utf8))


def _here(frame: pl.DataFrame, rows: pl.Series, classes, place) -> tuple[bytes, Counter]:
    """A batch as ``_scan_table`` scans it in its own process: its findings' bytes and totals."""
    sink = engine._FindingsSink(io.BytesIO(), False)
    tally = engine._Tally(Counter(), engine._column_summaries(classes), set())
    matched = {cls.column: (engine._match_column(frame, cls) if cls.category
                            else engine._match_prose(frame.get_column(cls.column)))
               for cls in classes if cls.category or cls.free_text}
    engine._finish_batch(frame, rows, matched.__getitem__, classes, place, sink, tally)
    return sink.handle.getvalue(), tally.items


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 80),
       cuts=st.lists(st.integers(1, 79), max_size=6))
def test_scan_batch_in_pieces_is_the_whole_batch(tmp_path_factory, seed, n, cuts):
    """``_scan_batch`` of each piece of a table gives the bytes and totals a scan here gives
    it; the pieces together hold the whole table's findings (a batch's findings are in column
    order, so only the lines are compared), totals and people."""
    rows = _rows(n, seed)
    frame = _batch_frame(rows)
    classes = [classify(c, frame.get_column(c).to_list(), has_header=True) for c in HEADER]
    place = {"file": "export.csv"}
    folder = str(tmp_path_factory.mktemp("batches"))
    bounds = sorted({0, n, *(c for c in cuts if c < n)})

    def run(start: int, end: int):
        piece = frame.slice(start, end - start)
        numbers = pl.int_range(start + 2, end + 2, eager=True)
        done = engine._scan_batch(piece, numbers, classes, place, False, folder)
        data = Path(done.findings).read_bytes()
        Path(done.findings).unlink()
        assert (data, +done.items) == tuple(
            x if i == 0 else +x for i, x in enumerate(_here(piece, numbers, classes, place)))
        return done, data

    whole, whole_bytes = run(0, n)
    pieces = [run(a, b) for a, b in itertools.pairwise(bounds)]
    assert sorted(b"".join(data for _, data in pieces).splitlines()) == sorted(
        whole_bytes.splitlines())
    items: Counter = Counter()
    for done, _ in pieces:
        items.update(done.items)
    assert +items == +whole.items
    people_whole, people_pieces = PeopleCounter(), PeopleCounter()
    people_whole.add(whole.records)
    for done, _ in pieces:
        people_pieces.add(done.records)
    assert people_pieces.count().people == people_whole.count().people


def test_a_table_without_free_text_starts_no_other_process(tmp_path, monkeypatch):
    """Its item columns are matched in polars' threads on every core already."""
    rows = [row[:8] for row in _rows(300, seed=9)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER[:8], *rows])
    path = tmp_path / "clean.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    monkeypatch.setattr(engine, "_BatchPool", None)  # would fail if it were started
    report, _ = _scan(path, tmp_path / "f.jsonl", workers=2, batch_rows=10)
    assert report.files[0].rows == 300


def test_batch_files_go_to_the_temporary_folder_when_shared_memory_is_small(monkeypatch):
    monkeypatch.setattr(engine, "SHARED_MEMORY_MIN_FREE", 1 << 62)
    assert engine._batch_findings_dir(None) == tempfile.gettempdir()


def test_a_failed_batch_leaves_no_file_behind(tmp_path, monkeypatch):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(_rows(300, seed=10)))
    temp = tmp_path / "temp"
    temp.mkdir()
    # what is sent to the other process cannot be sent: every batch sent there fails
    monkeypatch.setattr(engine._scan_batch, "__qualname__", "_no_such_function")
    with pytest.raises(pickle.PicklingError):
        _scan(path, tmp_path / "f.jsonl", workers=2, batch_rows=11, temp_dir=temp)
    assert [p.name for p in temp.iterdir()] == []
