"""The compiled whole-cell findings writer (_cellwriter.c) against the Python it replaces: its
masks are masking.mask's, its lines json.dumps' of each finding (``_FindingsSink.write``)."""

import io
import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rouei.scanning import _cellwriter, engine, masking
from rouei.scanning.engine import _FindingsSink, _ProseMatches
from rouei.scanning.masking import mask
from rouei.scanning.model import Finding

# Each rule the kernel masks by itself, and categories that mask_default masks.
KERNEL_CATEGORIES = ["phone", "credit_card", "my_number", "email", "person_name", "name_kana",
                     "postal_code", "gender", "bank_account"]
ALL_CATEGORIES = [*KERNEL_CATEGORIES, "address", "birth_date"]

# What the rules look at (digits of both widths, separators, +, @, leading spaces) and what the
# JSON escaping and the UTF-8 must get right (quotes, backslashes, controls, kana, kanji, emoji
# and other astral characters, U+2028).
PIECES = st.sampled_from([
    "0", "9", "０", "９", "-", "－", " ", "\u3000", "(", ")", "+", "@", "@@", ".", "/", "a", "Z",
    "山", "田", "ｶ", "ﾀﾛｳ", "タ", "ろ", "東京都", "千代田区", "丸の内1-1", "〒", '"', "\\", "\n",
    "\t", "\r", "\b", "\f", "\x00", "\x01", "\x1f", "\x7f", "\x85", "\xa0", "\u2028", "😀",
    "𠮷", "\U0010ffff", "1985/04/01", "昭和60年4月1日", "090-1234-5678", "taro@example.jp",
])
VALUES = st.one_of(st.lists(PIECES, max_size=12).map("".join), st.text(max_size=30))
# What the birth-date rule reads: eras, numbers of every length, separators of both widths,
# time suffixes, and characters that NFKC changes otherwise (㍼, ② …: masked in Python).
DATE_PIECES = st.sampled_from([
    "明治", "大正", "昭和", "平成", "令和", "M", "T", "S", "H", "R", "s", "h", "r", "元", "年",
    "月", "日", ".", "/", "-", " ", "\u3000", "\t", "T00:00:00", " 0:00", " 00:00", ":00",
    "0", "1", "2", "9", "00", "01", "04", "12", "13", "29", "30", "31", "60", "64", "99", "123",
    "1985", "1900", "2000", "2019", "2100", "0000", "19850401", "１", "９", "／", "．", "－",
    "年月日", "㍼", "②", "x", "@", '"', "\\", "😀",
])
DATES = st.lists(DATE_PIECES, max_size=10).map("".join)
# What the locality pattern reads: prefectures, municipalities and their parts, particles
# between kanji, hiragana runs, digits and dashes of both widths, spaces, and characters whose
# normal form is not theirs (ｶ, 﨑, ㈱, ①: masked in Python).
ADDRESS_PIECES = st.sampled_from([
    "東京都", "北海道", "神奈川県", "京都府", "鹿児島県", "千代田", "横浜", "保土ケ谷", "大", "町",
    "市", "区", "村", "郡", "さいたま", "いすみ", "つくばみらい", "日の出", "の", "が", "つ", "は",
    "を", "ケ", "ノ", "ヶ", "々", "丸", "内", "ハイツ", "コート", "ー", "－", "-", "―", " ",
    "\u3000", "1", "２", "12", "丁目", "番地", "号", "号室", "あ", "かきくけこさし", "A", "(", ")",
    "\t", "ｶ", "﨑", "㈱", "①", "😀", '"', "\\", "\n",
])
ADDRESSES = st.lists(ADDRESS_PIECES, max_size=12).map("".join)


def kernel_mask(category: str, value: str) -> str:
    return _cellwriter.mask(engine._KERNEL_MASKERS[masking.masker(category)], value)


def reference_lines(place, category, column, rows, values, show_values) -> bytes:
    sink = _FindingsSink(io.BytesIO(), show_values)
    for row, value in zip(rows, values, strict=True):
        sink.write(Finding(**place, category=category, masked=mask(category, value), row=row,
                           column=column, value=value))
    return sink.handle.getvalue()


def kernel_lines(place, category, column, rows, values, show_values) -> bytes:
    sink = _FindingsSink(io.BytesIO(), show_values)
    template = sink._template(place, category, column)
    lines = engine._kernel_lines(template, category, rows, values)
    assert lines is not None  # the kernel, not the polars fallback
    return lines


def test_the_scanner_writes_whole_cells_with_the_compiled_writer():
    assert engine._cellwriter is _cellwriter


@pytest.mark.parametrize("category", KERNEL_CATEGORIES)
@settings(max_examples=300, deadline=None)
@given(value=VALUES)
def test_the_kernel_masks_as_masking_mask_does(category, value):
    assert kernel_mask(category, value) == mask(category, value)


@settings(max_examples=2000, deadline=None)
@given(value=st.one_of(DATES, VALUES))
def test_the_kernel_masks_birth_dates_as_masking_mask_does(value):
    if pl.Series([value]).str.contains(engine._KERNEL_DATE_CELLS).item():
        assert kernel_mask("birth_date", value) == mask("birth_date", value)
    else:  # outside what the kernel reads: its mask must come from mask_column
        with pytest.raises(ValueError, match="does not mask"):
            kernel_mask("birth_date", value)


@settings(max_examples=300, deadline=None)
@given(year=st.integers(1, 9999), form=st.sampled_from(["{:04d}/01/02", "{:04d}年1月2日",
                                                         "{:04d}0102", "{:04d}-12-31"]))
def test_the_kernel_keeps_a_real_date_s_first_two_year_digits_as_masking_mask_does(year, form):
    # years of one to four digits ("0005/01/02" is the year 5: "5**-**-**")
    value = form.format(year)
    assert kernel_mask("birth_date", value) == mask("birth_date", value)


@settings(max_examples=3000, deadline=None)
@given(value=st.one_of(ADDRESSES, VALUES))
def test_the_kernel_masks_addresses_as_masking_mask_does(value):
    if pl.Series([value]).str.contains(masking.ONE_FOR_ONE).item():
        assert kernel_mask("address", value) == mask("address", value)
    else:  # outside what the kernel reads: its mask must come from mask_column
        with pytest.raises(ValueError, match="does not mask"):
            kernel_mask("address", value)


@pytest.mark.parametrize(("category", "value", "masked"), [
    ("phone", "090-1234-5678", "090-****-5678"),
    ("phone", "+81 90 1234 5678", "+81 90 **** 5678"),
    ("phone", "０９０１２３４５６７８", "０９０****５６７８"),
    ("credit_card", "4111 1111 1111 1111", "**** **** **** 1111"),
    ("email", "taro@example.jp", "t***@example.jp"),
    ("email", "a@b@example.jp", "a***@example.jp"),
    ("person_name", "山田 太郎", "山* **"),
    ("name_kana", "ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔ*** ***"),
    ("postal_code", "100-0005", "1**-****"),
    ("birth_date", "昭和60年4月1日", "19**-**-**"),
    ("birth_date", "H31.4.30", "20**-**-**"),
    ("birth_date", "Ｓ６０．４．１", "19**-**-**"),
    ("birth_date", "2001/02/29", "20********"),  # no such day: a quarter of it, as any text
    ("address", "東京都千代田区丸の内1-1-1", "東京都千代田区＊＊＊＊-＊-＊"),
    ("address", "神奈川県横浜市保土ケ谷区松浦町8丁目", "神奈川県横浜市保土ケ谷区＊＊＊＊＊＊"),
    ("address", "大町市大町１ー２", "大町＊＊＊＊＊＊"),
])
def test_the_kernel_masks_what_a_reviewer_sees(category, value, masked):
    assert kernel_mask(category, value) == masked


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(category=st.sampled_from(ALL_CATEGORIES), show_values=st.booleans(),
       cells=st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 2**62)),
                                st.one_of(VALUES, DATES, ADDRESSES)),
                      min_size=1, max_size=8))
def test_the_kernel_writes_the_lines_json_dumps_writes(category, show_values, cells):
    rows = [row for row, _ in cells]
    values = [value for _, value in cells]
    place = {"file": 'dir/"a%s".sql', "table": "dtb_\\customer"}
    expected = reference_lines(place, category, "住所\n1", rows, values, show_values)
    got = kernel_lines(place, category, "住所\n1", pl.Series(rows, dtype=pl.Int64),
                       pl.Series(values, dtype=pl.String), show_values)
    assert got == expected


def test_the_kernel_reads_columns_of_several_chunks():
    values = ["090-1234-5678", "山田 太郎", "a\"b\\c\n", "😀" * 20]
    rows = [3, None, 5, 6]
    chunked_values = pl.concat([pl.Series(values[:1]), pl.Series(values[1:])], rechunk=False)
    chunked_rows = pl.concat([pl.Series(rows[:3], dtype=pl.Int64),
                              pl.Series(rows[3:], dtype=pl.Int64)], rechunk=False)
    assert chunked_values.n_chunks() == 2
    place = {"file": "a.csv"}
    assert (kernel_lines(place, "phone", "電話", chunked_rows, chunked_values, True)
            == reference_lines(place, "phone", "電話", rows, values, True))


def test_write_cells_gives_the_polars_lines_when_a_cell_is_null():
    rows, values = pl.Series([1, 2], dtype=pl.Int64), pl.Series(["090-1234-5678", None])
    place = {"file": "a.csv"}
    fast, slow = _FindingsSink(io.BytesIO(), False), _FindingsSink(io.BytesIO(), False)
    fast.write_cells(place, "phone", "電話", rows, values)
    slow._write_cells_polars(slow._template(place, "phone", "電話"), "phone", rows, values)
    assert fast.handle.getvalue() == slow.handle.getvalue()


def test_write_cells_takes_rows_of_any_integer_type():
    rows, values = pl.Series([7, 8], dtype=pl.UInt32), pl.Series(["090-1234-5678", "x@y.jp"])
    sink = _FindingsSink(io.BytesIO(), False)
    sink.write_cells({"file": "a.csv"}, "phone", "電話", rows, values)
    lines = sink.handle.getvalue().decode("utf-8").splitlines()
    assert [json.loads(line)["row"] for line in lines] == [7, 8]


def test_the_kernel_refuses_rows_and_cells_of_different_lengths():
    with pytest.raises(ValueError, match="differ"):
        _cellwriter.write_cells((b"", b"\n"), (0,), pl.Series([1, 2]).__arrow_c_stream__(),
                                pl.Series(["a"]).__arrow_c_stream__(), 0, None)


def test_the_kernel_refuses_masks_for_a_rule_it_applies_itself():
    with pytest.raises(ValueError, match="MASK_GIVEN"):
        _cellwriter.write_cells((b"", b"\n"), (0,), pl.Series([1]).__arrow_c_stream__(),
                                pl.Series(["a"]).__arrow_c_stream__(), _cellwriter.MASK_PHONE,
                                pl.Series(["*"]).__arrow_c_stream__())


def test_the_rules_the_kernel_copies_are_still_the_ones_it_was_written_from():
    """_cellwriter.c has its own copy of these rules (the locality pattern, the date patterns
    and eras, the separators, digits, stars, the one-for-one characters, the folded dashes
    and spaces): change the kernel with them, then this digest."""
    import hashlib

    from rouei.scanning import normalise
    from rouei.scanning.detectors import address, birth_date

    rules = [address._LOCALITY.pattern, birth_date._JAPANESE.pattern,
             birth_date._WESTERN.pattern, birth_date._COMPACT.pattern,
             birth_date._TIME_SUFFIX.pattern, repr(birth_date.ERAS),
             repr(birth_date.ERA_LETTERS), "".join(sorted(masking._SEPARATORS)),
             masking._DIGITS, masking.STAR, masking.WIDE_STAR, masking.ONE_FOR_ONE,
             normalise.DASHES, normalise.SPACES]
    digest = hashlib.sha256("\n".join(rules).encode()).hexdigest()
    assert digest == "791289d960905463fa4e90da82c28a0c1fce6b70970924a9a28f1bd32854da63"


def test_free_text_findings_are_masked_as_masking_mask_does():
    from rouei.scanning.model import Match

    values = {"phone": ["090-1234-5678", "＋81 90 1234 5678"], "email": ["taro@example.jp"],
              "address": ["東京都千代田区丸の内1-1", "東京都港区ｱｲｳ1"],  # ｱ: masked in Python
              "birth_date": ["昭和60年4月1日", "㍼60年4月1日"], "health": ["糖尿病"]}
    matches = [Match(category, 0, len(v), v) for category, vs in values.items() for v in vs]
    assert engine._masks(matches) == {(m.category, m.value): mask(m.category, m.value)
                                      for m in matches}


def single_match_lines(place, column, rows, cells, found, show_values) -> bytes:
    sink = _FindingsSink(io.BytesIO(), show_values)
    for row, cell in zip(rows, cells, strict=True):
        for match in found[cell]:
            sink.write(Finding(**place, category=match.category,
                               masked=mask(match.category, match.value), row=row, column=column,
                               start=match.start, end=match.end, value=match.value))
    return sink.handle.getvalue()


# Free-text matches: categories the kernel masks, one it leaves to Python (health), and values
# its rules do not read (㍼: a birth date; ｱ: an address) so that Python masks them.
MATCH_VALUES = st.sampled_from([
    ("phone", "090-1234-5678"), ("phone", "＋81 90 1234 5678"), ("email", "Taro@Example.jp"),
    ("person_name", "山田 太郎"), ("birth_date", "昭和60年4月1日"), ("birth_date", "㍼60年4月1日"),
    ("address", "東京都千代田区丸の内1-1"), ("address", "東京都港区ｱｲｳ1"), ("health", "糖尿病"),
    ("postal_code", "〒100-0001"), ("email", 'a"b\\c@example.jp'), ("health", "妊娠中\t😀"),
])


def free_text_records(cells, picks):
    """Free-text cells holding ``cells``' (category, value) matches at their offsets, as the
    detectors find them, and the records of ``picks`` (cell index, row): the matches by cell,
    the rows and each record's cell."""
    from rouei.scanning.model import Match

    texts = [f"cell {i}: " + " ".join(value for _, value in values)
             for i, values in enumerate(cells)]
    found = {}
    for text, values in zip(texts, cells, strict=True):
        at, found[text] = text.index(":") + 2, []
        for category, value in values:
            found[text].append(Match(category, at, at + len(value), value))
            at += len(value) + 1
    rows = [row for _, row in picks]
    return found, rows, [texts[i % len(texts)] for i, _ in picks]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.lists(MATCH_VALUES, min_size=1, max_size=4), min_size=1, max_size=6),
       picks=st.lists(st.tuples(st.integers(0, 5), st.one_of(st.none(), st.integers(-3, 10**12))),
                      min_size=1, max_size=12),
       show_values=st.booleans())
def test_the_kernel_writes_free_text_findings_as_single_findings_are_written(cells, picks,
                                                                            show_values):
    found, rows, record_cells = free_text_records(cells, picks)
    place = {"file": "dir/備考.csv", "member": "in.zip"}
    sink = _FindingsSink(io.BytesIO(), show_values)
    lines = sink._kernel_matches(place, "備考", rows, record_cells, _ProseMatches.of([], found))
    assert lines == single_match_lines(place, "備考", rows, record_cells, found, show_values)


def test_the_scanner_writes_free_text_findings_with_the_compiled_writer():
    from rouei.scanning.model import Match

    found = {"宛名 山田太郎様": [Match("person_name", 3, 7, "山田太郎")]}
    sink = _FindingsSink(io.BytesIO(), False)
    assert sink._kernel_matches({"file": "a.csv"}, "備考", [2], ["宛名 山田太郎様"],
                                _ProseMatches.of([0], found)) is not None


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(st.none(), DATES), max_size=20))
def test_the_kernel_keys_real_birth_dates_as_normalise_value_does(values):
    from rouei.scanning.detectors import birth_date

    keys = _cellwriter.date_keys(pl.Series(values, dtype=pl.String).__arrow_c_stream__())
    assert keys == [birth_date.normalise_value(v) if v is not None and birth_date.parse(v)
                    and "㍼" not in v and "②" not in v else None for v in values]


def test_the_kernel_keys_a_date_of_every_shape_the_column_holds():
    cells = ["1985/4/1", "1985年4月1日", "昭和60年4月1日", "S60.4.1", "19850401", "1985-04-01 00:00",
             "令和元年5月1日", "1985/02/30", "不明", None]
    keys = _cellwriter.date_keys(pl.Series(cells, dtype=pl.String).__arrow_c_stream__())
    assert keys == ["1985-04-01"] * 6 + ["2019-05-01", None, None, None]
