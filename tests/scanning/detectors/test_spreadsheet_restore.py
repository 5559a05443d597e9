"""restore_spreadsheet_value: what a spreadsheet did to a column of numbers, undone."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from rouei.scanning.detectors import birth_date, my_number, phone, postal_code


def _restore(module, cells: list[str | None]) -> list[str | None]:
    return module.restore_spreadsheet_value(pl.Series(cells, dtype=pl.Utf8)).to_list()


@pytest.mark.parametrize("cell, restored", [
    ("9012345678", "09012345678"),   # mobile, 0 lost
    ("8012345678", "08012345678"),
    ("5012345678", "05012345678"),   # IP phone
    ("312345678", "0312345678"),     # Tokyo
    ("120123456", "0120123456"),     # toll-free
    ("8001234567", "08001234567"),
    ("09012345678", None),           # nothing lost
    ("1234567890", None),            # 10 digits that no number becomes without its 0
    ("12345678", None),
    ("090-1234-5678", None),
    (None, None),
])
def test_phone_gets_its_leading_zero_back(cell, restored):
    assert _restore(phone, [cell]) == [restored]


@pytest.mark.parametrize("cell, restored", [
    ("600001", "0600001"), ("211596", "0211596"), ("10001", "0010001"), ("1000001", None),
    ("060001", None), ("6000", None), ("060-0001", None),
])
def test_postal_code_gets_its_leading_zeros_back(cell, restored):
    assert _restore(postal_code, [cell]) == [restored]


def test_birth_date_serial_numbers_become_dates():
    today = (dt.date.today() - dt.date(1899, 12, 30)).days
    cells = ["31048", "61", "60", "1", str(today + 2), "1985/01/01", "3.5", None]
    assert _restore(birth_date, cells) == ["1985-01-01", "1900-03-01", None, None, None, None,
                                           None, None]
    assert birth_date.validate("1985-01-01")


def test_my_number_gets_its_leading_zero_back_and_the_check_digit_still_decides():
    body = "01234567890"
    weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    remainder = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    number = body + str(0 if remainder <= 1 else 11 - remainder)
    assert _restore(my_number, [number[1:], number, "1234567890"]) == [number, None, None]
    assert my_number.validate(number)
