"""The held-out corpus generator (bench/heldout/generate.py): its checksums, its character
conversions, determinism, and that every labelled span points at text in the file."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

HELDOUT = Path(__file__).resolve().parents[2] / "bench" / "heldout"
sys.path.insert(0, str(HELDOUT))

import generate  # noqa: E402


def luhn_ok(number: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(number)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


@given(st.integers(min_value=0, max_value=2**32))
def test_card_numbers_pass_luhn(seed):
    assert luhn_ok(generate.luhn_complete("4", 16, random.Random(seed)))


def test_my_number_check_digit_matches_a_published_example():
    # The check digit of 12345678901x by the ordinance's formula is 8.
    digits = iter([0, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])  # body[0] is drawn again with randrange(1, 10)

    class Fixed(random.Random):
        def randrange(self, *args):
            return 1 if args == (1, 10) else next(digits)

    assert generate.my_number(Fixed()) == "123456789018"


def test_half_width_kana_keeps_voiced_marks():
    assert generate.half_kana("ヤマダ タロウ") == "ﾔﾏﾀﾞ ﾀﾛｳ"


def test_hiragana_reading():
    assert generate.hiragana("サトウ ハナコ") == "さとう はなこ"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("heldout")
    return out, generate.generate(out, seed=7)


def test_same_seed_same_truth(corpus, tmp_path):
    out, _ = corpus
    generate.generate(tmp_path, seed=7)
    assert (tmp_path / "truth" / "cells.jsonl").read_bytes() == (out / "truth" / "cells.jsonl").read_bytes()


def test_spans_in_text_files_cover_the_labelled_text(corpus):
    import json
    out, _ = corpus
    bad = []
    for line in (out / "truth" / "spans.jsonl").read_text(encoding="utf-8").splitlines():
        s = json.loads(line)
        if not s["file"].endswith(".txt"):
            continue
        raw = (out / "data" / "prose" / s["file"]).read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp932")
        lines = text.splitlines()
        value = lines[s["line"] - 1][s["start"]:s["end"]]
        if not value.strip():
            bad.append(s)
    assert bad == []


def test_people_are_counted_for_tables_and_prose_apart(corpus):
    _, manifest = corpus
    assert set(manifest["people"]) == {"tables", "prose"}
