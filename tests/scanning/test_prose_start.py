"""A big table whose header names a notes column starts its free-text process before its first
rows are read (``engine._notes_ahead``), the process compiles its patterns first
(``prose_worker.warm_up``), its results are the one-process scan's, and a failed scan does not
leave it running."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rouei.scanning import engine
from rouei.scanning.detectors import all_detectors, compile_patterns
from rouei.scanning.engine import ScanOptions

NOTES = ["日中は携帯090-1234-5678へ連絡ください。よろしくお願いします",
         "置き配希望。領収書不要。前回と同じ住所でお願いします",
         "宛名は山田太郎様でお願いします。ギフト包装も希望します",
         "糖尿病で通院中のため低糖質の商品を希望します。次回も同じ",
         "領収書はtaro@example.jp宛にお願いします"]


def _export(tmp_path, header: str = "備考"):
    """A customer export with a header (its 氏名 and 電話番号 are what make it one)."""
    path = tmp_path / "export.csv"
    rows = "".join(f"佐藤 花子{i},03-1234-{i:04d},{NOTES[i % len(NOTES)]}{i}\n" for i in range(40))
    path.write_text(f"氏名,電話番号,{header}\n{rows}", encoding="utf-8")
    return path


@pytest.fixture
def early(monkeypatch):
    """Every table counts as big, every batch's cells go to the other process in pairs; the
    order of the pool's start and the first batch's classification is recorded."""
    monkeypatch.setattr(engine, "PROSE_EARLY_BYTES", 0)
    monkeypatch.setattr(engine, "PROSE_POOL_MIN", 1)
    monkeypatch.setattr(engine, "PROSE_CHUNK", 2)
    events: list[str] = []
    pool, classify, close = engine._prose_pool, engine.classify, engine._close_prose_pool

    def started(processes):
        if engine._PROSE_POOL is None:
            events.append("pool")
        return pool(processes)

    def classified(*args, **kwargs):
        events.append("classify")
        return classify(*args, **kwargs)

    def closed():
        if engine._PROSE_POOL is not None:  # what the processes' first tasks gave
            events.extend(f"warm {f.result(timeout=60)}" for f in engine._PROSE_WARM)
        close()

    monkeypatch.setattr(engine, "_prose_pool", started)
    monkeypatch.setattr(engine, "classify", classified)
    monkeypatch.setattr(engine, "_close_prose_pool", closed)
    return events


def test_a_notes_column_starts_the_free_text_process_before_the_first_rows(tmp_path, early):
    engine.scan([_export(tmp_path)], ScanOptions(workers=2))
    assert early.index("pool") < early.index("classify")


def test_the_early_process_compiles_every_detector_first(tmp_path, early):
    engine.scan([_export(tmp_path)], ScanOptions(workers=2))
    assert f"warm {len(all_detectors())}" in early


def test_the_early_process_finds_what_one_process_finds(tmp_path, early):
    path = _export(tmp_path)
    assert (engine.scan([path], ScanOptions(workers=2)).totals
            == engine.scan([path], ScanOptions(workers=1)).totals)


def test_a_table_without_a_notes_header_starts_no_process_before_its_rows(tmp_path, early):
    engine.scan([_export(tmp_path, header="商品名")], ScanOptions(workers=2))
    assert early[:1] == ["classify"]


def test_a_small_file_starts_no_process_before_its_rows(tmp_path, early, monkeypatch):
    monkeypatch.setattr(engine, "PROSE_EARLY_BYTES", 1 << 40)
    engine.scan([_export(tmp_path)], ScanOptions(workers=2))
    assert early[:1] == ["classify"]


def test_one_process_scan_starts_no_other(tmp_path, early):
    engine.scan([_export(tmp_path)], ScanOptions(workers=1))
    assert "pool" not in early


@pytest.mark.parametrize(("header", "columns", "size", "expected"), [
    (True, ("会員番号", "備考"), 64 << 20, True),
    (True, ("会員番号", " 問い合わせ内容 "), 1 << 30, True),
    (True, ("id", "notes"), 64 << 20, True),
    (True, ("会員番号", "備考"), (64 << 20) - 1, False),
    (False, ("会員番号", "備考"), 1 << 30, False),
    (True, ("氏名", "電話番号", "メールアドレス"), 1 << 30, False),
])
def test_notes_ahead_needs_a_big_file_and_a_header_naming_notes(header, columns, size, expected):
    part = SimpleNamespace(has_header=header, columns=columns)
    assert engine._notes_ahead(part, size) is expected


def test_a_failed_scan_stops_its_early_process(tmp_path, early, monkeypatch):
    processes = []
    pool = engine._prose_pool

    def started(n):
        executor = pool(n)
        processes.extend(executor._processes.values())
        return executor

    def failing(*args, **kwargs):
        raise RuntimeError("reader broke")

    monkeypatch.setattr(engine, "_prose_pool", started)
    monkeypatch.setattr(engine, "classify", failing)
    with pytest.raises(RuntimeError, match="reader broke"):
        engine.scan([_export(tmp_path)], ScanOptions(workers=2))
    for process in processes:
        process.join(timeout=30)
    assert (engine._PROSE_POOL, [p.is_alive() for p in processes]) == (None, [False])


def test_compile_patterns_builds_every_detector():
    assert compile_patterns() == len(all_detectors())


def test_columns_asking_at_once_share_one_pool(monkeypatch):
    """Two free-text columns' threads asking for the pool together get the same one; a second
    pool would keep its processes running with nothing to shut it down."""
    import threading
    import time

    made: list[object] = []

    class SlowPool:  # a pool whose start takes long enough for the threads to overlap
        def __init__(self, **_):
            time.sleep(0.05)
            made.append(self)

        def submit(self, *_):
            return None

        def shutdown(self, **_):
            pass

    monkeypatch.setattr(engine, "ProcessPoolExecutor", SlowPool)
    monkeypatch.setattr(engine, "_PROSE_POOL", None)
    threads = [threading.Thread(target=engine._prose_pool, args=(1,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine._close_prose_pool()
    assert len(made) == 1
