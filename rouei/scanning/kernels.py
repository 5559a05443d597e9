"""The compiled column kernels (_kernels.c) for polars Series.

Each kernel reads a Series' cells through the Arrow C stream interface (no copy) in one pass
of C, outside the GIL, and gives back a new Series of strings or a Boolean per cell. What each
computes is the Python function its docstring names; tests/scanning/test_kernels.py checks the
two against each other on random cells. Cells are NFKC (``normalise.normalise_cells``) except
for ``may_change``, which tells which are not yet.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl

from rouei.scanning import _kernels
from rouei.scanning.detectors import person_name

try:
    from rouei.scanning import _itemkeys
except ImportError:  # a tree whose _itemkeys.c is not built: the polars expressions
    _itemkeys = None  # type: ignore[assignment]


class _Stream:
    """An Arrow C stream a kernel made, in the shape polars imports (the PyCapsule protocol)."""

    __slots__ = ("_capsule",)

    def __init__(self, capsule: object) -> None:
        self._capsule = capsule

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self._capsule


def _strings(kernel, cells: pl.Series) -> pl.Series:
    return pl.Series(cells.name, _Stream(kernel(cells.__arrow_c_stream__())))


def _booleans(kernel, cells: pl.Series) -> pl.Series:
    return pl.Series(cells.name, np.frombuffer(kernel(cells.__arrow_c_stream__()), dtype=np.bool_))


def address_keys(cells: pl.Series) -> pl.Series:
    """``detectors.address.normalise_value`` of each cell (null stays null)."""
    return _strings(_kernels.address_keys, cells)


def registry_address_keys(cells: pl.Series, *, room: bool = True) -> pl.Series:
    """``identity.conservative_address`` of each NFKC cell (null stays null; None is null): the
    registry's address form, which the scanner's people keys use (``room=False``: the place
    without its room number, the registry's ``name_place`` form). Most addresses need only
    the rules' common passes (a prefecture, spaces, 丁目/番地/号): _itemkeys.c gives their
    keys in one pass, and the full rules run on the other cells only."""
    if room and _itemkeys is not None and cells.dtype == pl.String and len(cells):
        keys = _strings(_itemkeys.plain_address_keys, cells)
        rest = (keys.is_null() & cells.is_not_null()).fill_null(False)
        if not rest.any():
            return keys
        at = rest.arg_true()
        return keys.scatter(at, _full_registry_address_keys(cells.gather(at), room))
    return _full_registry_address_keys(cells, room)


def _full_registry_address_keys(cells: pl.Series, room: bool) -> pl.Series:
    """The whole of the rules: _kernels.c's passes, then what the kernel leaves out (the rules'
    last NFKC: taking out spaces or a 大字 can bring a combining mark next to its letter, and
    Kyoto's street names) for the few keys they concern."""
    from rouei.scanning import identity

    kernel = _kernels.registry_address_keys if room else _kernels.registry_place_keys
    keys = _strings(kernel, cells)
    redo = _booleans(_kernels.may_change, keys)
    if redo.any():
        at = redo.arg_true()
        keys = keys.scatter(at, [unicodedata.normalize("NFKC", key) for key in keys.gather(at)])
    # Kyoto's 通り名 (烏丸通四条上ル笋町) are few: the rules in Python read them.
    kyoto = _kyoto_cells(cells)
    if kyoto is not None and len(kyoto):
        keys = keys.scatter(kyoto, [identity.conservative_address(cell, room=room)
                                    for cell in cells.gather(kyoto)])
    return keys


def _kyoto_cells(cells: pl.Series) -> pl.Series | None:
    """The positions of the cells that hold one of ``identity.KYOTO_DIRECTIONS`` once their
    spaces are out, as the rules take them out (None: not a column of strings). Each direction holds 上, 下 or 入: a compiled test picks the cells with
    one of those (a town's 上野 or 下北沢 too), then Python looks at those few, instead of
    polars building its Aho-Corasick automaton for every batch."""
    from rouei.scanning import identity

    if cells.dtype != pl.String:
        return None
    if _itemkeys is None or not len(cells):
        return (cells.str.replace_all(r"\s+", "").str.contains_any(list(identity.KYOTO_DIRECTIONS))
                .fill_null(False).arg_true())
    mask, count = _itemkeys.cells_with_codes(cells.__arrow_c_stream__(), _KYOTO_CHARACTERS)
    if not count:
        return pl.Series([], dtype=pl.UInt32)
    at = pl.Series(np.frombuffer(mask, dtype=np.bool_)).arg_true()
    directions = identity.KYOTO_DIRECTIONS
    # the rules take the spaces out first: 上 ル is 上ル
    held = [any(d in "".join(cell.split()) for d in directions)
            for cell in cells.gather(at).to_list()]
    return at.filter(pl.Series(held, dtype=pl.Boolean))


# what every one of identity.KYOTO_DIRECTIONS holds (tests/scanning/test_plain_address_keys.py)
_KYOTO_CHARACTERS = "上下入"


_VARIANTS = tuple(person_name.VARIANT_FORMS)
_COMMON_FORMS = tuple(person_name.VARIANT_FORMS.values())
_VARIANT_CODES = "".join(_VARIANTS)  # each variant is one character


def name_keys(cells: pl.Series) -> pl.Series:
    """``detectors.person_name.normalise_value`` of each cell (stripped already): the kernel's
    spaces and dots, then the variant kanji in their common form (one Aho-Corasick pass)."""
    keys = _strings(_kernels.name_keys, cells)
    if _itemkeys is None:
        return keys.str.replace_many(_VARIANTS, _COMMON_FORMS)
    # Few names hold a variant: a compiled test picks them for the Aho-Corasick pass.
    mask, count = _itemkeys.cells_with_codes(keys.__arrow_c_stream__(), _VARIANT_CODES)
    if not count:
        return keys
    at = pl.Series(np.frombuffer(mask, dtype=np.bool_)).arg_true()
    return keys.scatter(at, keys.gather(at).str.replace_many(_VARIANTS, _COMMON_FORMS))


def digit_keys(cells: pl.Series) -> pl.Series:
    """``detectors._common.digits_of`` each cell (the key of a card or My Number)."""
    return _strings(_kernels.digit_keys, cells)


def plain_phone_keys(cells: pl.Series) -> pl.Series:
    """For a cell of digits and hyphens only: its digits (``detectors.phone.normalise_value``);
    null for any other cell."""
    return _strings(_kernels.plain_phone_keys, cells)


def ascii_email_keys(cells: pl.Series) -> pl.Series:
    """For an ASCII cell: the cell in lower case (``detectors.email.normalise_value`` of a
    stripped cell); null for any other cell."""
    return _strings(_kernels.ascii_email_keys, cells)


def padded_date_keys(cells: pl.Series) -> pl.Series:
    """For a cell shaped 1985/04/01, 1985-04-01 or 1985.04.01: 1985-04-01 if that day exists,
    else the cell (what ``detectors.birth_date.normalise_value`` gives for such cells); null for
    any other shape."""
    return _strings(_kernels.padded_date_keys, cells)


def card_valid(cells: pl.Series) -> pl.Series:
    """``detectors.credit_card.validate`` of each cell (null: False)."""
    return _booleans(_kernels.card_valid, cells)


def may_change(cells: pl.Series) -> pl.Series:
    """The cells ``normalise.normalise_column`` may change (null: False): a character NFKC or
    the dash and space folding may touch, or white space at either end."""
    return _booleans(_kernels.may_change, cells)


# A column with at most this share of cells to fold has only those folded (gathered, folded,
# put back): copying every cell into new buffers cost more (an address column with a few
# full-width building names: ~0.12 against ~0.07 CPU s a million cells).
FEW_TO_FOLD = 0.25


def fold_cells(cells: pl.Series) -> tuple[pl.Series, pl.Series | None, bool] | None:
    """``normalise.normalise_column`` of each cell whose normal form is a fold character for
    character (ASCII, kana, kanji, full-width ASCII, the ideographic space: most cells), in one
    pass of _itemkeys.c: the folded cells (null where the kernel did not fold), which cells it
    left to polars (None: none), and whether it changed any; None without the kernel. A column
    whose cells are all their own normal form is given back as it is, after one read; one with
    few cells to fold (``FEW_TO_FOLD``) is given back with only those replaced."""
    if _itemkeys is None:
        return None
    if len(cells) and cells.dtype == pl.String:
        mask, count = _itemkeys.cells_to_fold(cells.__arrow_c_stream__())
        if not count:
            return cells, None, False
        if count <= FEW_TO_FOLD * len(cells):
            at = pl.Series(np.frombuffer(mask, dtype=np.bool_)).arg_true()
            some = _fold_all(cells.gather(at))
            folded, left, changed = some
            other = None
            if left is not None:
                other = pl.repeat(False, len(cells), dtype=pl.Boolean, eager=True).scatter(
                    at.filter(left), True).rename(cells.name)
            return cells.clone().scatter(at, folded), other, changed  # (scatter: in place)
    return _fold_all(cells)


def _fold_all(cells: pl.Series) -> tuple[pl.Series, pl.Series | None, bool]:
    """fold_cells by _itemkeys.fold_cells on every cell."""
    stream, left, changed, n_left = _itemkeys.fold_cells(cells.__arrow_c_stream__())
    if stream is None:  # every cell is its own normal form
        return cells, None, False
    folded = pl.Series(cells.name, _Stream(stream))
    other = (pl.Series(cells.name, np.frombuffer(left, dtype=np.bool_)) if n_left else None)
    return folded, other, bool(changed)


def kana_keys(cells: pl.Series) -> pl.Series | None:
    """``engine._kana_keys`` of each cell (null stays null); None without the kernel."""
    if _itemkeys is None:
        return None
    return _strings(_itemkeys.kana_keys, cells)


def kana_pattern_keys(cells: pl.Series) -> pl.Series | None:
    """``engine._kana_keys`` of each cell that ``detectors.name_kana.COLUMN_PATTERN`` matches
    whole, null for any other cell (and a null); None without the kernel."""
    if _itemkeys is None or cells.dtype != pl.String:
        return None
    return _strings(_itemkeys.kana_pattern_keys, cells)


def phone_pattern_keys(cells: pl.Series) -> pl.Series | None:
    """``engine._phone_keys`` (the digits) of each cell of digits and "-" only that
    ``detectors.phone.COLUMN_PATTERN`` matches whole, null for any other cell (and a null);
    None without the kernel."""
    if _itemkeys is None or cells.dtype != pl.String:
        return None
    return _strings(_itemkeys.phone_pattern_keys, cells)


def digit_counts(cells: pl.Series) -> pl.Series | None:
    """How many ASCII digits each cell holds (at most 255; null: 0), as UInt8; None without the
    kernel."""
    if _itemkeys is None:
        return None
    return pl.Series(cells.name, np.frombuffer(_itemkeys.digit_counts(cells.__arrow_c_stream__()),
                                               dtype=np.uint8))
