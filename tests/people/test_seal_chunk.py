"""An import's records sealed a chunk at a time by the compiled ``_rowkeys.seal_records`` (issue
12): each token must be what ``crypto.seal`` makes of the record's JSON with the same nonce —
byte for byte, so that every reader of the registry (``crypto.decrypt``, key rotation, the print
data) opens it as before — and no two records may share a nonce. The compiled phones and the
ASCII e-mails of ``columnwise`` must read a value as ``identity`` does."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.core import crypto
from rouei.people import _rowkeys, columnwise, preparing
from rouei.people.importing import map_headers
from rouei.people.registry import PersonRecord
from rouei.scanning import identity

FIELDS = ("ref", "name", "kana", "postal_code", "address", "email", "phones", "birth_date")
# Text with what JSON must escape (quotes, backslashes, control characters), kana, kanji and a
# character outside the BMP.
TEXT = st.text(alphabet=st.sampled_from(
    [*'ab09 "\\/\n\r\t\b\f\x00\x01\x1f\x7f', "山", "田", "ﾀ", "ﾞ", "\u3000", "\u2028",
     "😀", "é"]), max_size=20)


def _records(draw_records) -> list[PersonRecord]:
    return [PersonRecord(ref=r[0], name=r[1], kana=r[2], postal_code=r[3], address=r[4],
                         email=r[5], phones=tuple(r[6]), birth_date=r[7], former_names=())
            for r in draw_records]


def _sealed(records: list[PersonRecord], key: bytes, nonces: bytes) -> list[str]:
    columns = [[getattr(r, f) for r in records] for f in FIELDS]
    return _rowkeys.seal_records(key, nonces, *columns)


RECORD = st.tuples(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, st.lists(TEXT, max_size=8), TEXT)


@settings(max_examples=200, deadline=None)
@given(st.lists(RECORD, min_size=1, max_size=12), st.binary(min_size=32, max_size=32))
def test_a_compiled_token_is_the_python_seal_with_its_nonce(rows, key):
    records = _records(rows)
    nonces = os.urandom(12 * len(records))
    cipher = AESGCM(key)
    expected = []
    for n, record in enumerate(records):
        nonce = nonces[12 * n:12 * n + 12]
        body = cipher.encrypt(nonce, record.to_json().encode("utf-8"), None)
        expected.append(crypto.SEALED_PREFIX + base64.urlsafe_b64encode(nonce + body).decode())
    assert _sealed(records, key, nonces) == expected


@settings(max_examples=50, deadline=None)
@given(st.lists(RECORD, min_size=1, max_size=6))
def test_a_compiled_token_opens_with_the_registrys_reader(rows):
    records = _records(rows)
    tokens = _sealed(records, crypto.data_key(), os.urandom(12 * len(records)))
    assert [PersonRecord.from_json(crypto.decrypt(t)) for t in tokens] == records


def test_a_python_sealed_record_and_a_compiled_one_open_alike():
    record = _records([("AB1-23C-D4E", "山田 太郎", "ﾔﾏﾀﾞ", "1000001", "東京都", "a@example.jp",
                        ["09012345678"], "1985-04-01")])[0]
    compiled = _sealed([record], crypto.data_key(), os.urandom(12))[0]
    python = crypto.seal(record.to_json())
    assert crypto.decrypt_all([compiled, python]) == [record.to_json()] * 2


def test_a_wrong_key_size_is_refused():
    record = _records([("R", "", "", "", "", "", [], "")])
    try:
        _sealed(record, b"short", os.urandom(12))
    except ValueError:
        return
    raise AssertionError("a 5-byte AES key was accepted")


def test_every_record_of_an_import_gets_its_own_nonce():
    header = ["氏名", "電話番号"]
    options = preparing._Options(map_headers(header), True, "", data_key=crypto.data_key())
    chunk = [(n, ["山田 太郎", "090-1234-5678"]) for n in range(2, 3002)]
    tokens = [keyed.sealed for _ in range(2)
              for _, keyed in preparing._prepare(options, chunk, (b"k" * 32,))]
    nonces = {base64.urlsafe_b64decode(t.removeprefix(crypto.SEALED_PREFIX))[:12] for t in tokens}
    assert len(nonces) == len(tokens)


PHONE_TEXT = st.text(alphabet="0123456789+-() \t８０－（）x", min_size=1, max_size=18)


def _python_phones(cells: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in map(identity.phone, cells) if p))


@settings(max_examples=400, deadline=None)
@given(st.lists(PHONE_TEXT, max_size=9))
@example(["+81-90-1234-5678", "090-1234-5678", "9012345678"])
@example(["+81(0)3-1234-5678", "+81 -0120-123-456", "800123456 7"])
@example(["5012345678", "312345678", "0901234567890", "+81"])
def test_the_compiled_phones_read_as_the_identity_rules(cells):
    (compiled,) = _rowkeys.phones_column([cells])
    if compiled is None:  # left to the Python rules: a cell not ASCII, or more than 8
        assert len(cells) > 8 or not all(c.isascii() for c in cells)
    else:
        assert compiled == _python_phones(cells)


WIDE_PHONE_TEXT = st.text(alphabet="0123456789０１２３４５６７８９－（）＋\u3000+-() ー‐x８１",
                          min_size=1, max_size=20)


@settings(max_examples=500, deadline=None)
@given(st.lists(WIDE_PHONE_TEXT, max_size=4))
@example(["０９０－１２３４－５６７８", "＋８１－９０－１２３４－５６７８", "（０３）１２３４－５６７８"])
@example(["\u3000０９０ １２３４ ５６７８\u3000", "９０１２３４５６７８", "０９０ー１２３４ー５６７８"])
def test_full_width_phones_read_compiled_as_the_identity_rules(cells):
    (compiled,) = _rowkeys.phones_column([cells])
    if compiled is not None:  # None: left to the Python rules
        assert compiled == _python_phones(cells)


def test_a_full_width_phone_is_read_compiled():
    assert _rowkeys.phones_column([("０９０－１２３４－５６７８", "＋８１（０）３－１２３４－５６７８")]) == \
        [("09012345678", "0312345678")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcAB.@_-+ ０ａ＠\t", min_size=1, max_size=20))
@example("TARO@Example.JP")
@example("a@b.c\n")
def test_an_ascii_email_reads_as_the_identity_rules(value):
    assert columnwise._email(value) == identity.email(value)
