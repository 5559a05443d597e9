"""The engine's vectorised forms (polars and the compiled kernels) give what the detectors' Python functions give, value
for value: checksums (``validate_column``), identity keys, and the findings' JSON lines."""

from __future__ import annotations

import io
import json
import random
import re
import unicodedata

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning import identity
from rouei.scanning.detectors import (
    by_category,
    credit_card,
    detect_text,
    drivers_license,
    my_number,
)
from rouei.scanning.engine import _FindingsSink, _identity_keys
from rouei.scanning.masking import mask
from rouei.scanning.model import Finding

from .detectors._helpers import luhn_complete, my_number_complete

PREFIXES = ["4", "51", "55", "2221", "2720", "2220", "34", "37", "3528", "3589", "36", "38",
            "39", "300", "305", "306", "3095", "6011", "644", "649", "65", "622126", "622925",
            "622125", "62", "1", "0", "9", "30", "35"]


def _numbers(seed: int, n: int) -> list[str | None]:
    rng = random.Random(seed)
    values: list[str | None] = [None, "", "abc", "0000000000000000", "4111111111111111",
                                "99999999999999999999", "18446744073709551616"]
    for _ in range(n):
        length = rng.randint(8, 21)
        prefix = rng.choice(PREFIXES)
        body = prefix + "".join(str(rng.randrange(10))
                                for _ in range(max(0, length - len(prefix) - 1)))
        value = luhn_complete(body) if rng.random() < 0.5 else body + str(rng.randrange(10))
        roll = rng.random()
        if roll < 0.1:
            value = my_number_complete(value.ljust(11, "7")[:11])
        elif roll < 0.13:
            value = str(rng.randrange(10)) * length
        elif roll < 0.16:
            value = value[:4] + value[4] * 6 + value[10:]
        if rng.random() < 0.3:
            value = rng.choice("- ").join(value[i:i + 4] for i in range(0, len(value), 4))
        values.append(value)
    return values


@pytest.mark.parametrize("module", [credit_card, my_number, drivers_license])
def test_validate_column_agrees_with_validate(module):
    values = _numbers(20241124, 20_000)
    got = module.validate_column(pl.Series(values, dtype=pl.Utf8)).to_list()
    expected = [v is not None and bool(module.validate(v)) for v in values]
    assert sum(expected) > 100  # the sample holds valid numbers, not only invalid ones
    assert got == expected


@pytest.mark.parametrize("module", [credit_card, my_number, drivers_license])
@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text("0123456789 -", max_size=25),
                                 st.text("0123456789０１２３-ーa漢", max_size=14)), max_size=30))
def test_validate_column_agrees_with_validate_on_any_digits(module, values):
    # cells reach validate_column NFKC-normalised
    cells = [None if v is None else unicodedata.normalize("NFKC", v) for v in values]
    got = module.validate_column(pl.Series(cells, dtype=pl.Utf8)).to_list()
    assert got == [v is not None and bool(module.validate(v)) for v in cells]


def _keys(category: str, values: list[str | None]) -> list[str | None]:
    series = pl.Series(values, dtype=pl.Utf8)
    return _identity_keys(category, series, by_category(category)).to_list()


def test_birth_date_keys_agree_with_normalise_value():
    rng = random.Random(3)
    values: list[str | None] = [None, "", "令和元年5月1日", "1985/4-1", "1985/04-01", "0000/01/01",
                                "1985.02-29", "1984.02/29", "1500-01-01", "19850230"]
    for _ in range(5_000):
        y, m, d = rng.choice([rng.randint(1850, 2030), 999, 1990]), rng.randint(0, 13), \
            rng.randint(0, 32)
        values.append(rng.choice([
            f"{y:04d}/{m}/{d}", f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}.{m}.{d:02d}",
            f"{y:04d}年{m}月{d}日", f"{y:04d}{m:02d}{d:02d}", f"昭和{rng.randint(1, 64)}年{m}月{d}日",
            f"S{rng.randint(1, 64)}.{m}.{d}", f"{y:04d}/{m:02d}/{d:02d} 00:00",
            f"{y:04d} 年 {m} 月 {d} 日"]))
    detector = by_category("birth_date")
    assert _keys("birth_date", values) == [
        None if v is None else detector.normalise_value(v) for v in values]


def test_address_keys_agree_with_the_registrys_address_rules():
    rng = random.Random(9)
    alphabet = [*"0123456789", "丁目", "番地", "番", "号", "番町", "丁", "目", "地", "-", " ",
                "号室", "東", "ハイツ", "--"]
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
              for _ in range(20_000)]
    values += ["東京都千代田区丸の内1丁目2番3号 丸の内ハイツ101", "大阪府大阪市北区梅田3-1-1",
               "四番町5番地", "1番番地"]
    # the registry's form (identity.address rules): no prefecture, the building dropped
    assert _keys("address", values) == [identity.conservative_address(v) for v in values]


def test_phone_keys_agree_with_normalise_value():
    detector = by_category("phone")
    rng = random.Random(5)
    values: list[str | None] = [None]
    while len(values) < 5_000:
        head = rng.choice(["0", "(0", "+81", "+81-", "+81 ", "+81(0)", "+81-(0)-", "+81 (0) "])
        body = "".join(rng.choice("0123456789" * 3 + " ()-") for _ in range(rng.randint(7, 17)))
        value = head + str(rng.randint(1, 9)) + body
        if re.fullmatch(detector.column_pattern, value):
            values.append(value)
    assert _keys("phone", values) == [None] + [detector.normalise_value(v) for v in values[1:]]


@pytest.mark.parametrize("category, values", [
    ("phone", ["090-1234-5678", "+81-90-1234-5678", "+81 (0)3 1234 5678", "03(1234)5678"]),
    ("email", ["Taro.Yamada@Example.JP", "a@b.co"]),
    ("person_name", ["山田 太郎", "山田　太郎", "ジョン・スミス"]),
    ("credit_card", ["4111-1111-1111-1111", "3782 822463 10005"]),
    ("my_number", ["1234 5678 9012"]),
])
def test_other_keys_agree_with_normalise_value(category, values):
    detector = by_category(category)
    assert _keys(category, values) == [detector.normalise_value(v) for v in values]


@pytest.mark.parametrize("category", ["address", "phone", "person_name", "email", "gender"])
@pytest.mark.parametrize("show_values", [False, True])
def test_findings_of_cells_are_the_lines_of_single_findings(show_values, category):
    rows = [2, 3, 1_000_001, 7, 8, 9]
    values = ['山田 "太郎"', "back\\slash\tand tab", "東京都千代田区丸の内1丁目", "090-1234-5678",
              "taro.yamada@example.jp", "\x01\u2028%s{}"]
    fast, slow = _FindingsSink(io.BytesIO(), show_values), _FindingsSink(io.BytesIO(), show_values)
    place = {"file": 'dir/"a%s".sql', "table": 'dtb_"customer"'}
    fast.write_cells(place, category, "住所\n1", pl.Series(rows), pl.Series(values))
    for row, value in zip(rows, values, strict=True):
        slow.write(Finding(**place, category=category, masked=mask(category, value), row=row,
                           column="住所\n1", value=value))
    assert fast.handle.getvalue() == slow.handle.getvalue()
    # not splitlines: U+2028 does not end a JSON line
    lines = fast.handle.getvalue().decode("utf-8").split("\n")[:-1]
    assert [json.loads(line)["row"] for line in lines] == rows


def test_people_count_does_not_depend_on_batches_or_spilling(tmp_path, monkeypatch):
    from rouei.scanning.engine import ScanOptions, scan
    from rouei.scanning.readers import Limits

    rng = random.Random(11)
    lines = ["氏名,電話番号,メールアドレス,生年月日"]
    for i in range(3_000):
        j = rng.randrange(2_000)  # repeats link records across batches and runs
        lines.append(f"山田 太郎{j},090-{j:04d}-{rng.randrange(10_000):04d},"
                     f"{'' if i % 3 else f'u{j}@example.jp'},1980/01/{1 + j % 28:02d}")
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = []
    for batch_rows, memory in ((10**6, "256M"), (1_000, "256M"), (250, "20K")):
        monkeypatch.setenv("ROUEI_SCAN_MEMORY", memory)  # 20K: a run spilled every ~400 edges
        options = ScanOptions(workers=1, limits=Limits(batch_rows=batch_rows))
        counts.append(scan([path], options).people.to_dict())
    assert counts[0]["people"] < 3_000
    assert counts[1] == counts[0] and counts[2] == counts[0]


@pytest.mark.parametrize("alphabet", [
    [*"0123456789aZ -ー−－ｱｶﾞ㍻\t\n漢字かなカナ①Ａ@.", "\u3000", "\u00a0", "\u2003", "\u200b",
     "\u2028", "\x85", "\u1680", "髙", "﨑"],
    [*"0123456789aZ -@.\t\n\r\x0b\x0c\x1c\x1f"],  # ASCII only: the column takes the short way
])
def test_normalise_cells_is_normalise_column_on_every_cell(alphabet):
    from rouei.scanning.normalise import normalise_cells, normalise_column

    rng = random.Random(4)
    values = [None if rng.random() < 0.05 else
              "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
              for _ in range(20_000)]
    cells = pl.Series(values, dtype=pl.Utf8)
    expected = pl.select(normalise_column(pl.lit(cells))).to_series()
    assert normalise_cells(cells).to_list() == expected.to_list()
    assert cells.to_list() == values  # the input Series is not changed in place


@pytest.mark.parametrize("show_values", [False, True])
@pytest.mark.parametrize("file", ['dir/"a%s".csv', "probe-73556081.csv"])
def test_findings_of_free_text_cells_are_the_lines_of_single_findings(show_values, file):
    cells = ["宛名は山田太郎様、090-1234-5678", "置き配 taro@example.jp", "宛名は山田太郎様、090-1234-5678",
             'back\\slash "q" 03-1234-5678', "誕生日は1985年4月1日 -73556081"]
    rows = [2, None, 1_000_001, 7, 8]
    found = {cell: detect_text(cell) for cell in cells}
    fast, slow = _FindingsSink(io.BytesIO(), show_values), _FindingsSink(io.BytesIO(), show_values)
    place = {"file": file, "member": "in.zip"}
    fast.write_matches(place, "備考", rows, cells, found)
    for row, cell in zip(rows, cells, strict=True):
        for match in found[cell]:
            slow.write(Finding(**place, category=match.category,
                               masked=mask(match.category, match.value), row=row, column="備考",
                               start=match.start, end=match.end, value=match.value))
    assert fast.handle.getvalue() == slow.handle.getvalue()
