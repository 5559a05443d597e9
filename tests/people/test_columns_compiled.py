"""The compiled column readers of an import's chunk (``_rowkeys.emails_column``,
``postals_column``, ``births_column``) and its choice of the rows to keep (``kept_rows``): a cell
they read must come out as the Python rules read it (``identity``), or a registry would depend
on which path read a cell; a cell they leave (None) goes to those rules. Generated cells mix what
exports write: ASCII and full-width digits, the three date separators, 和暦 with 元年 and era
ends, 〒, spaces, "@" and "." in every place. Reference numbers written by ``_rowkeys.references``
must be ``registry.new_reference``'s writing of the same number, and a row keyed alone
(``_rowkeys.index_messages``) hashed as ``crypto.blind_index`` hashes."""

from __future__ import annotations

import hmac

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.core.crypto import blind_index
from rouei.people import _rowkeys, registry
from rouei.scanning import identity

_DATE_PARTS = ["1985", "2019", "1868", "0000", "9999", "19850401", "20000229", "19000229", "-",
               "/", ".", "4", "04", "1", "30", "31", "29", "2", "13", "0", "00", "年", "月", "日",
               "昭和", "平成", "令和", "明治", "大正", "元", "64", "31", "45", "S", "H", "１",
               " ", "T00:00", "x"]
_POSTAL_PARTS = ["〒", "100", "0001", "1000001", "-", "－", "１", " ", "7", "12345678", "a"]
_EMAIL_PARTS = ["taro", "TARO", "@", ".", "example", "jp", "Co", " ", "\t", "\x1c", "ｔ", "＠",
                "a", "-", "_", "+", "!", "..", "@@"]


def _cells(parts: list[str], most: int = 7):
    return st.lists(st.sampled_from(parts), min_size=1, max_size=most).map("".join).map(str.strip)


def _same_where_read(compiled: list, python, cells: list[str]) -> None:
    for cell, value in zip(cells, compiled, strict=True):
        if not cell:
            assert value == ""
        elif value is not None:
            assert value == python(cell), cell


@settings(max_examples=400, deadline=None)
@given(st.lists(_cells(_DATE_PARTS), max_size=30))
@example(["1985/04/01", "1985-4-1", "1985.4.01", "19850401", "1985/4-1", "1985-02-29",
          "2000-02-29", "1900-02-29", "0000-01-01", "19851301", "1985-004-01", ""])
@example(["昭和60年4月1日", "平成元年1月8日", "昭和64年1月7日", "昭和64年1月8日", "平成31年4月30日",
          "平成31年5月1日", "令和元年5月1日", "明治元年1月24日", "明治元年1月25日", "大正15年12月25日",
          "令和2年2月30日", "昭和0年1月1日", "昭和６０年4月1日", "昭和60年4月1", "S60.4.1"])
def test_a_birth_date_read_compiled_is_the_identity_rules_date(cells):
    _same_where_read(_rowkeys.births_column(cells), identity.birth_date, cells)


@settings(max_examples=300, deadline=None)
@given(st.lists(_cells(_POSTAL_PARTS, 4), max_size=30))
@example(["1000001", "100-0001", "〒100-0001", "〒1000001", "〒 100-0001", "〒100-00011",
          "１００－０００１", "100-001", "〒", ""])
def test_a_postal_code_read_compiled_is_the_identity_rules_code(cells):
    _same_where_read(_rowkeys.postals_column(cells), identity.postal_code, cells)


@settings(max_examples=400, deadline=None)
@given(st.lists(_cells(_EMAIL_PARTS, 9), max_size=30))
@example(["taro@example.jp", "TARO@Example.JP", "a@b.c", "@example.jp", "a@.jp", "a@jp.",
          "a@b@c.jp", "a@jp", "a b@c.jp", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "a@b..", "a@..b", ""])
def test_an_email_read_compiled_is_the_identity_rules_email(cells):
    _same_where_read(_rowkeys.emails_column(cells), identity.email, cells)


def test_the_usual_shapes_are_read_compiled():
    assert _rowkeys.births_column(["1985/4/1", "19850401", "昭和60年4月1日", "平成元年1月8日"]) == \
        ["1985-04-01", "1985-04-01", "1985-04-01", "1989-01-08"]
    assert _rowkeys.postals_column(["1000001", "100-0001", "〒100-0001"]) == ["1000001"] * 3
    assert _rowkeys.emails_column(["TARO@Example.JP"]) == ["taro@example.jp"]


def test_a_cell_not_of_the_shape_is_left_to_python():
    assert _rowkeys.births_column(["1985-02-30", "昭和64年1月8日", "S60.4.1", "1985年4月1日"]) == \
        [None] * 4
    assert _rowkeys.postals_column(["１００－０００１", "100 0001"]) == [None, None]
    assert _rowkeys.emails_column(["not-an-email", " a@b.jp", "ｔ@b.jp"]) == [None] * 3


def _kept_by_python(alone, names, kanas, addresses, emails, phone_cells, phones, births):
    """The rows the column-wise path kept before ``kept_rows`` (its Python loop)."""
    kept = []
    for i in range(len(alone)):
        if alone[i] or emails[i] is None or phones[i] is None or births[i] is None:
            continue
        if phone_cells[i] and not phones[i]:
            continue
        if not (names[i] or kanas[i]) and not (emails[i] or any(phones[i]) or addresses[i]):
            continue
        kept.append(i)
    return kept


_ROW = st.tuples(st.booleans(), st.sampled_from(["", "山田太郎"]), st.sampled_from(["", "ヤマダ"]),
                 st.sampled_from(["", "千代田区1-1"]), st.sampled_from(["", None, "a@b.jp"]),
                 st.sampled_from([(), ("090",), ("x", "y")]),
                 st.sampled_from([(), None, ("09012345678",)]),
                 st.sampled_from(["", None, "1985-04-01"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, max_size=40))
def test_the_rows_kept_are_those_the_python_loop_kept(rows):
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * 8
    assert _rowkeys.kept_rows(*columns) == _kept_by_python(*columns)



def _reference_in_python(number: int) -> str:
    """``registry.new_reference``'s writing of ``number``."""
    number, low = divmod(number, registry.REF_TRIPLE)
    number, middle = divmod(number, registry.REF_TRIPLE)
    top, high = divmod(number, registry.REF_TRIPLE)
    chars_0, weight_0 = registry.REF_TRIPLES[0][low]
    chars_1, weight_1 = registry.REF_TRIPLES[1][middle]
    chars_2, weight_2 = registry.REF_TRIPLES[2][high]
    chars_3, weight_3 = registry.REF_PAIRS[top]
    alphabet = registry.REF_ALPHABET
    check = alphabet[(weight_0 + weight_1 + weight_2 + weight_3) % len(alphabet)]
    return f"{chars_0}{chars_1[0]}-{chars_1[1:]}{chars_2[:2]}-{chars_2[2]}{chars_3}{check}"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, registry.REF_RANGE - 1), max_size=20))
@example([0, 1, 22, 23, registry.REF_RANGE - 1])
def test_a_reference_written_compiled_is_the_python_form(numbers):
    packed = b"".join(n.to_bytes(8, "little") for n in numbers)
    written = _rowkeys.references(packed, registry.REF_ALPHABET)
    assert written == [_reference_in_python(n) for n in numbers]
    assert all(registry.normalise_reference(ref) == ref for ref in written)


def test_a_number_beyond_the_references_is_refused():
    with pytest.raises(ValueError):
        _rowkeys.references(registry.REF_RANGE.to_bytes(8, "little"), registry.REF_ALPHABET)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=130),
       st.lists(st.tuples(st.sampled_from((*registry.MERGE_KINDS, "ref", "phone")), st.text()),
                max_size=12))
def test_a_row_keyed_alone_is_hashed_as_blind_index_hashes(key, values):
    messages = [f"{kind}\x1f{value}".encode() for kind, value in values]
    assert _rowkeys.index_messages(key, messages) == [
        blind_index(kind, value, key) for kind, value in values]


def _values(count: int) -> list[tuple[str, str]]:
    """Messages of every length the import meets: empty, short, and addresses longer than what
    the compiled HMAC joins before hashing (512 bytes)."""
    kinds = (*registry.MERGE_KINDS, "ref", "phone", "email")
    return [(kinds[i % len(kinds)], "東京都千代田区" * (i % 40) + f"{i}") for i in range(count)]


def test_one_key_hashes_many_messages_in_a_row_as_blind_index_does():
    key = bytes(range(32))
    values = _values(2_000)
    messages = [f"{kind}\x1f{value}".encode() for kind, value in values]
    assert _rowkeys.index_messages(key, messages) == [
        blind_index(kind, value, key) for kind, value in values]


def test_alternating_keys_each_hash_as_blind_index_does_under_that_key():
    keys = (b"\x01" * 32, b"\x02" * 32)
    values = _values(60)
    messages = [f"{kind}\x1f{value}".encode() for kind, value in values]
    for turn in range(6):
        key = keys[turn % 2]
        assert _rowkeys.index_messages(key, messages) == [
            blind_index(kind, value, key) for kind, value in values], turn


def test_a_chunks_keys_under_alternating_keys_are_blind_indexes_under_each():
    rows = 300
    address = ["東京都千代田区" * (i % 40) + f"{i}" for i in range(rows)]
    columns = ([f"R{i:010d}" for i in range(rows)], [(f"090{i:08d}",) for i in range(rows)],
               [f"u{i}@example.jp" for i in range(rows)], ["山田太郎"] * rows,
               ["1980-01-02"] * rows, address, ["東京都千代田区"] * rows, ["ヤマダタロウ"] * rows)
    for turn, key in enumerate((b"a" * 32, b"b" * 40, b"a" * 32)):
        chunk = _rowkeys.chunk_keys(key, *columns)
        row = 7
        digests = dict(chunk[row])
        assert [digests[kind][0] for kind in ("ref", "kana_birth")] == [
            blind_index("ref", columns[0][row], key),
            blind_index("kana_birth", "ヤマダタロウ|1980-01-02", key)], turn
        assert [dict(keys)["name_address"][0] for keys in chunk] == [
            blind_index("name_address", f"山田太郎|{a}", key) for a in address], turn


def test_an_empty_key_is_a_key_of_no_bytes():
    assert _rowkeys.digest(b"", b"ref\x1fR1") == hmac.digest(b"", b"ref\x1fR1", "sha256")
