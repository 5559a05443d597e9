"""The free-text gates in one compiled pass (rouei/scanning/gates.py, ``literal_gates`` in
_kernels.c) tell, cell for cell, what polars' ``str.contains`` of each gate tells, so the
prose screen keeps the same cells and the same detectors for each."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning import engine, gates
from rouei.scanning.detectors import all_detectors
from rouei.scanning.normalise import normalise_cells

_DETECTOR_GATES = sorted({g for d in all_detectors() for g in d.gates})
_PARSED = {g: gates.parse(g) for g in _DETECTOR_GATES if gates.parse(g) is not None}

# The words of every parsed gate, their halves (a word cut short must not pass), and what
# trips a character scan: widths, kana, case-folding letters, astral characters, separators.
_WORDS = sorted({"".join(s[0] for s in alt) for parsed in _PARSED.values() for alt in parsed})
_PIECES = [*_WORDS, *(w[: len(w) // 2] for w in _WORDS if len(w) > 1),
           *"0123456789", "１２３", "ｱ", "ア", "ー", " ", "　", "-", "@", "＠", "ı", "İ", "ſ",
           "\u212a", "K", "k", "𠮷", "😀", "é", "\n", "(", ")", "様", "さん", "AB", "pw"]
cells_text = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)
columns = st.lists(st.one_of(st.none(), st.just(""), cells_text, st.text(max_size=12)),
                   max_size=40)


def _polars(cells: pl.Series, regex: str) -> list[bool]:
    return cells.str.contains(regex).fill_null(False).to_list()


@pytest.mark.parametrize("name", ["health", "health_checkup_result", "disability", "person_name",
                                  "bank_account", "birth_date", "email", "passport"])
def test_the_word_list_gates_run_in_the_kernel(name):
    detector = next(d for d in all_detectors() if d.name == name)
    assert all(gate in _PARSED for gate in detector.gates)


@settings(max_examples=300, deadline=None)
@given(columns)
def test_every_detector_gate_is_what_polars_finds(values):
    cells = pl.Series(values, dtype=pl.Utf8)
    got = gates.contains(cells, list(_PARSED.values()))
    for regex, mask in zip(_PARSED, got, strict=True):
        assert mask.to_list() == _polars(cells, regex), regex


@settings(max_examples=200, deadline=None)
@given(columns)
def test_normalised_cells_in_chunks_pass_the_same_gates(values):
    third = len(values) // 3
    parts = [pl.Series(values[:third], dtype=pl.Utf8),
             pl.Series(["x" * 20, *values[third:2 * third], "y" * 20], dtype=pl.Utf8),
             pl.Series(values[2 * third:], dtype=pl.Utf8)]
    parts[1] = parts[1].slice(1, parts[1].len() - 2)
    cells = normalise_cells(pl.concat(parts, rechunk=False))
    got = gates.contains(cells, list(_PARSED.values()))
    for regex, mask in zip(_PARSED, got, strict=True):
        assert mask.to_list() == _polars(cells, regex), regex


# Regexes of the shape ``parse`` takes: literals (some escaped), classes with ranges, {n}.
_ATOMS = st.one_of(
    st.sampled_from(["a", "B", "口", "座", "ｱ", "𠮷", " ", "ı", "@", "\\-", "\\(", "\\.", "\\|"]),
    st.sampled_from(["[0-9]", "[aA]", "[sSſ]", "[ァ-ヺ]", "[-x]", "[x-]", "[口座]", "[A-Z]"]))
_REPEATED = st.tuples(_ATOMS, st.sampled_from(["", "", "{2}", "{3}"])).map("".join)
_REGEXES = st.lists(st.lists(_REPEATED, min_size=1, max_size=4).map("".join),
                    min_size=1, max_size=4).map("|".join)
_CELL_CHARS = st.sampled_from([*"aAbB口座ｱ𠮷 ıI@-(.|0123456789sSſxアカ", "ァ", "ヺ"])


@settings(max_examples=300, deadline=None)
@given(_REGEXES, st.lists(st.one_of(st.none(), st.lists(_CELL_CHARS, max_size=12).map("".join)),
                          max_size=30))
def test_any_parsed_regex_is_what_polars_finds(regex, values):
    parsed = gates.parse(regex)
    assert parsed is not None
    cells = pl.Series(values, dtype=pl.Utf8)
    assert gates.contains(cells, [parsed])[0].to_list() == _polars(cells, regex)


@pytest.mark.parametrize("regex", [
    "(?:^|[^0-9])[0-9]{13}", "[^ ]", "a?", "a*", "a+", "[0-9]{1,3}", "(?i:pw|pass)", "a|",
    "|a", "", "^a", "a$", ".", "\\d", "[\\d]", "[a-z&&b]", "[[a]]", "[]a]", "a{2}?", "[a--b]",
    "\\u3042"])
def test_other_regexes_stay_in_polars(regex):
    assert gates.parse(regex) is None


def _screen_in_polars(cells: pl.Series) -> tuple[list[str], list[tuple[str, ...]]]:
    """The prose screen with every gate a polars ``str.contains`` (the reference)."""
    distinct = cells.filter((cells.str.len_bytes() > 0).fill_null(False)).unique()
    normal = normalise_cells(distinct)
    masks = {}
    for detector in all_detectors():
        mask = pl.repeat(True, len(normal), dtype=pl.Boolean, eager=True)
        for gate in detector.gates:
            mask = mask & normal.str.contains(gate).fill_null(False)
        masks[detector.name] = mask
    values, subsets = [], []
    for i, value in enumerate(distinct.to_list()):
        names = tuple(name for name, mask in masks.items() if mask[i])
        if names:
            values.append(value)
            subsets.append(names)
    return values, subsets


@settings(max_examples=100, deadline=None)
@given(columns)
def test_the_prose_screen_keeps_the_cells_and_detectors_polars_keeps(values):
    cells = pl.Series(values, dtype=pl.Utf8)
    got_values, got_subsets = engine._screen_prose(cells)
    want_values, want_subsets = _screen_in_polars(cells)
    assert sorted(zip(got_values, [tuple(d.name for d in s) for s in got_subsets],
                      strict=True)) == sorted(zip(want_values, want_subsets, strict=True))


def test_a_cell_without_any_gate_word_reaches_no_detector():
    assert engine._screen_prose(pl.Series(["ありがとうございました"]))[0] == []


def test_more_gates_than_the_mask_holds_are_refused():
    with pytest.raises(ValueError):
        gates.contains(pl.Series(["a"]), [(("a",),)] * (gates.MAX_GATES + 1))
