"""The optional NER step: merged with the rule detectors in ``detect_text(…, ner=True)``."""

from __future__ import annotations

import logging

import pytest

from rouei.scanning import ner
from rouei.scanning.detectors import detect_text


class FakeBackend:
    """Tags every occurrence of the given strings with the given label (in the text it gets,
    which is the normalised text)."""

    def __init__(self, **labels: str) -> None:
        self.labels = labels
        self.calls: list[str] = []

    def entities(self, text: str) -> list[ner.Entity]:
        self.calls.append(text)
        out = []
        for needle, label in self.labels.items():
            start = text.find(needle)
            while start >= 0:
                out.append(ner.Entity(start, start + len(needle), label))
                start = text.find(needle, start + 1)
        return out


@pytest.fixture(autouse=True)
def _reset_ner(monkeypatch):
    monkeypatch.delenv(ner.ENV, raising=False)
    ner.configure("env")
    yield
    ner.configure("env")


def _found(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(m.category, m.value) for m in detect_text(text, **kwargs)]


def test_ner_adds_a_bare_name_the_rules_miss():
    text = "青木修平から電話があり、明日また連絡するとのこと。"
    assert _found(text) == []
    ner.configure(FakeBackend(青木修平="Person"))
    assert _found(text, ner=True) == [("person_name", "青木修平")]
    assert _found(text) == []  # ner=False (table cells): the backend is not asked


def test_ner_is_not_called_without_ner_flag_nor_when_off():
    fake = FakeBackend(青木修平="Person")
    ner.configure(fake)
    detect_text("青木修平から電話", ner=False)
    assert fake.calls == []
    ner.configure(None)
    assert _found("青木修平から電話", ner=True) == []


def test_ner_span_overlapping_a_rule_match_is_dropped_no_double_count():
    # the honorific rule finds 山田太郎; the model tags 山田太郎様 and a sub-span of it
    ner.configure(FakeBackend(山田太郎様="Person", 田太="Person"))
    assert _found("本日、山田太郎様から連絡がありました", ner=True) == [("person_name", "山田太郎")]


def test_ner_offsets_map_back_through_normalisation():
    # half-width katakana (ｶﾞ → ガ) and a full-width space shift the normalised offsets
    text = "ｶﾞｲﾄﾞ担当の青木　修平から電話"
    ner.configure(FakeBackend(**{"青木 修平": "Person"}))
    matches = detect_text(text, ner=True)
    assert [(m.category, m.value) for m in matches] == [("person_name", "青木　修平")]
    assert text[matches[0].start:matches[0].end] == "青木　修平"


def test_ner_person_is_checked_like_a_rule_name():
    ner.configure(FakeBackend(カトウ="Person", お客様="Person", 山田ビル="Person",
                              山田="Person"))
    # katakana only (a reading), a role word, and a name glued to katakana (山田ビル) are not
    # names; 山田 before ビル is dropped too
    assert _found("カトウ お客様 山田ビル", ner=True) == []
    assert _found("担当は山田でした", ner=True) == [("person_name", "山田")]


def test_ner_honorific_inside_the_entity_is_trimmed():
    ner.configure(FakeBackend(青木修平君="Person"))
    assert _found("青木修平君が来た", ner=True) == [("person_name", "青木修平")]


def test_ner_location_becomes_an_address_only_with_block_numbers():
    ner.configure(FakeBackend(南郷屋="City", 東京="Province"))
    anything = lambda value: True
    # the run from the place name to the block numbers; a building after a space stays with it
    assert ner.find("転居先は、南郷屋7丁目4番 コーポ101 です", anything, anything) == [
        (5, 20, "address")]  # 南郷屋7丁目4番 コーポ101
    assert ner.find("東京に出張した", anything, anything) == []  # no block numbers
    assert ner.find("転居先は、南郷屋7丁目4番", anything, lambda value: False) == []


def test_ner_address_found_by_rule_and_model_counts_once():
    ner.configure(FakeBackend(大島町="City"))
    assert _found("転居先は大島町南郷屋7丁目4番 です", ner=True) == [
        ("address", "大島町南郷屋7丁目4番")]


def test_ner_no_kanji_skips_the_model():
    fake = FakeBackend(Taro="Person")
    ner.configure(fake)
    assert _found("Taro called", ner=True) == []
    assert fake.calls == []


def test_ner_env_unknown_or_missing_backend_warns_and_scans_without(monkeypatch, caplog):
    monkeypatch.setattr(ner, "_warned", False)
    monkeypatch.setenv(ner.ENV, "ginza")
    monkeypatch.setattr(ner, "available", lambda name="ginza": False)
    with caplog.at_level(logging.WARNING, logger="rouei.scanning.ner"):
        assert ner.backend() is None
    assert "not installed" in caplog.text
    monkeypatch.setenv(ner.ENV, "off")
    assert ner.backend() is None


def test_ner_ginza_finds_a_bare_name_when_installed():
    pytest.importorskip("ja_ginza")
    pytest.importorskip("ginza")
    ner.configure("ginza")
    found = _found("青木修平から電話があり、商品の不具合について明日また連絡するとのこと。", ner=True)
    assert ("person_name", "青木修平") in found


def test_scan_uses_ner_on_text_files_never_on_table_cells(tmp_path):
    from rouei.scanning.engine import ScanOptions, scan

    (tmp_path / "memo.txt").write_text("青木修平から電話があり、折り返すことにした。\n",
                                       encoding="utf-8")
    (tmp_path / "list.csv").write_text("受付日,備考\n2026-11-20,青木修平から電話\n",
                                       encoding="utf-8")
    fake = FakeBackend(青木修平="Person")
    ner.configure(fake)
    report = scan([tmp_path], ScanOptions(workers=1)).to_dict()
    by_file = {f["file"]: f["items"] for f in report["files"]}
    assert by_file["memo.txt"] == {"person_name": 1}
    assert fake.calls == ["青木修平から電話があり、折り返すことにした。"]


class BatchingBackend(FakeBackend):
    def __init__(self, **labels: str) -> None:
        super().__init__(**labels)
        self.batches: list[list[str]] = []

    def entities_many(self, texts: list[str]) -> list[list[ner.Entity]]:
        self.batches.append(texts)
        return [FakeBackend.entities(self, t) for t in texts]


def test_text_files_go_to_the_model_in_batches_with_the_same_findings(tmp_path, monkeypatch):
    from rouei.scanning import engine
    from rouei.scanning.engine import ScanOptions, scan

    lines = [f"{i}件目: 青木修平から電話があり、折り返す。" if i % 3 == 0 else f"{i}件目: 特記事項なし"
             for i in range(600)]
    path = tmp_path / "memo.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(engine, "NER_LINES", 100)
    results = []
    for backend in (FakeBackend(青木修平="Person"), BatchingBackend(青木修平="Person")):
        ner.configure(backend)
        out = tmp_path / f"{type(backend).__name__}.jsonl"
        report = scan([path], ScanOptions(workers=1), findings_out=out)
        results.append((report.to_dict()["totals"], out.read_text(encoding="utf-8")))
    assert results[0] == results[1]
    assert results[0][0]["person_name"] == 200
    batching = backend
    assert [len(b) for b in batching.batches] == [100] * 6  # every line has kanji
    assert len(batching.calls) == 600  # FakeBackend.entities, called by entities_many only
