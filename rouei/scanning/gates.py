"""The free-text gates (``Detector.gates``) in one compiled pass.

Most gates are word lists: alternations of fixed-length sequences of characters or character
classes (``[0-9]{5}``, ``[pP][aA][sSſ][sSſ]…``, ``口座|支店|普通``). ``parse`` turns such a gate
(Rust regex syntax) into those sequences, or gives None for any other regex (anchors, optional
parts, repetition ranges, groups, negated classes…), which stays a polars ``str.contains``.
``contains`` runs every parsed gate over a Series at once in the compiled kernel
(``_kernels.literal_gates``: one scan of each cell's characters, outside the GIL); the result
is what ``str.contains`` of each gate gives (tests/scanning/test_gates_kernel.py checks the two
against each other on random cells). For the other gates ``min_digits`` tells how many ASCII
digits any text they match holds, so that the regex runs only on the cells with that many.
"""

from __future__ import annotations

import re._constants as sre
import re._parser as sre_parse
import warnings

import numpy as np
import polars as pl

from rouei.scanning import _kernels

_SPECIAL = set(".^$*+?(){}[]|\\")
_MAX_REPEAT = 16  # a longer {n} stays in polars
_MAX_RANGE = 256  # a wider class range stays in polars
MAX_GATES = 64  # bits of the kernel's mask


def parse(regex: str) -> tuple[tuple[str, ...], ...] | None:
    """The alternatives of ``regex``, each a sequence of character sets (a str of the set's
    characters), when a text contains a match of ``regex`` exactly when it contains one of
    them; else None."""
    alternatives: list[tuple[str, ...]] = []
    current: list[str] = []
    i = 0
    while i < len(regex):
        char = regex[i]
        if char == "|":
            if not current:
                return None
            alternatives.append(tuple(current))
            current = []
            i += 1
            continue
        if char == "[":
            parsed = _parse_class(regex, i + 1)
            if parsed is None:
                return None
            atom, i = parsed
        elif char == "\\":
            if i + 1 >= len(regex) or regex[i + 1].isalnum() or not regex[i + 1].isascii():
                return None
            atom, i = regex[i + 1], i + 2
        elif char in _SPECIAL:
            return None
        else:
            atom, i = char, i + 1
        times = 1
        if i < len(regex) and regex[i] == "{":
            end = regex.find("}", i)
            count = regex[i + 1:end] if end > 0 else ""
            if not count.isascii() or not count.isdigit() or not 1 <= int(count) <= _MAX_REPEAT:
                return None
            times, i = int(count), end + 1
        if i < len(regex) and regex[i] in "*+?{":
            return None  # a lazy or possessive suffix, or a second repetition
        current.extend([atom] * times)
    if not current:
        return None
    alternatives.append(tuple(current))
    return tuple(alternatives)


def _parse_class(regex: str, i: int) -> tuple[str, int] | None:
    """The characters of the class whose body starts at ``regex[i]``, and the index after its
    ``]``; None for a negated class, a nested class or set operation, a class escape (``\\d``),
    or a wide range."""
    members: list[str] = []
    if i < len(regex) and regex[i] in "^]":
        return None  # negated, or a leading "]" (a literal in Rust's syntax)
    while i < len(regex) and regex[i] != "]":
        char = regex[i]
        if char in "[&~":
            return None
        if char == "\\":
            if i + 1 >= len(regex) or regex[i + 1].isalnum() or not regex[i + 1].isascii():
                return None
            char, i = regex[i + 1], i + 2
        else:
            i += 1
        if i + 1 < len(regex) and regex[i] == "-" and regex[i + 1] != "]":
            high = regex[i + 1]
            if high in "\\[&~-" or not ord(char) <= ord(high) <= ord(char) + _MAX_RANGE:
                return None
            members.extend(chr(c) for c in range(ord(char), ord(high) + 1))
            i += 2
        elif char == "-" and members and i < len(regex) and regex[i] != "]":
            return None  # "--" (a set difference) or a dash Rust reads otherwise
        else:
            members.append(char)
    if i >= len(regex) or not members:
        return None
    return "".join(dict.fromkeys(members)), i + 1


def contains(cells: pl.Series, gates: list[tuple[tuple[str, ...], ...]]) -> list[pl.Series]:
    """For each parsed gate, whether each cell contains it (a null cell: False): what
    ``cells.str.contains(gate).fill_null(False)`` gives for the regex it was parsed from."""
    if len(gates) > MAX_GATES:
        raise ValueError(f"at most {MAX_GATES} gates in one pass")
    alternatives = [(g, sets) for g, gate in enumerate(gates) for sets in gate]
    masks = np.frombuffer(_kernels.literal_gates(cells.__arrow_c_stream__(), alternatives),
                          dtype=np.uint64)
    return [pl.Series(cells.name, (masks >> np.uint64(g)) & np.uint64(1) == 1, dtype=pl.Boolean)
            for g in range(len(gates))]


def min_digits(regex: str) -> int:
    """The fewest ASCII digits (0-9) a text that contains a match of ``regex`` (Rust regex
    syntax) holds: a lower bound read from the regex's parse, counting only the literal digits
    and the classes of digits alone that a match cannot do without; 0 when in doubt (syntax
    Python's parser reads otherwise or not at all)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _digits_of(sre_parse.parse(regex))
    except (sre.error, RecursionError, OverflowError, ValueError):
        return 0


def _digits_of(items) -> int:
    return sum(_digits_of_item(op, av) for op, av in items)


def _digits_of_item(op, av) -> int:
    if op is sre.LITERAL:
        return int(48 <= av <= 57)
    if op is sre.IN:
        digits_only = all((kind is sre.LITERAL and 48 <= value <= 57)
                          or (kind is sre.RANGE and 48 <= value[0] <= value[1] <= 57)
                          for kind, value in av)
        return int(bool(av) and digits_only)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, _, item = av
        return low * _digits_of(item) if low else 0
    if op is sre.SUBPATTERN:
        return _digits_of(av[-1])
    if op is sre.BRANCH:
        return min(_digits_of(branch) for branch in av[1])
    return 0  # anchors, any character, negated sets, categories (\d is Unicode), lookarounds
