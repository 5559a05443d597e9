"""An import prepares a chunk a column at a time (``rouei.people.columnwise``, its keys hashed by
the compiled ``_rowkeys``): every row must come out as the row-by-row path gives it — the same
look-up keys byte for byte, the same sealed record, items, confirmation and controller, the same
rejection — or a registry would depend on which path built it. Reference numbers are drawn at
random by both, so each path's own is checked (well formed, its key its digest) and the rest
compared."""

from __future__ import annotations

import base64
import hmac
import json
from dataclasses import replace

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.core.crypto import SEALED_PREFIX, blind_index
from rouei.people import _rowkeys, columnwise, preparing, registry
from rouei.people.importing import map_headers
from rouei.scanning import identity

INDEX_KEY = b"k" * 40
CIPHER_KEY = b"c" * 32
CIPHER = AESGCM(CIPHER_KEY)

# A shop's export with what trips normalisation: half-width kana, +81 and full-width phones,
# the leading 0 a spreadsheet drops, 和暦, 〒 and full-width postal codes, kanji block numbers,
# decoy columns (an order number, the shop's phone), a second phone column, and a household
# (the same landline and address under two names).
HEADER = ["会員番号", "氏名", "フリガナ", "郵便番号", "住所", "電話番号", "携帯電話", "メールアドレス",
          "生年月日", "注文番号", "備考"]
CELLS = {
    "会員番号": ["M000000001", ""],
    "氏名": ["山田 太郎", "山田　太郎", "髙橋花子", "やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "山﨑 一郎", "", " 佐藤 "],
    "フリガナ": ["ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう", "ｻﾄｳ ﾊﾅｺ", "", "ヤマダ・タロウ"],
    "郵便番号": ["〒100-0001", "1000001", "100-0001", "１００－０００１", "〒 100-0001", "abc", "",
             "100 0001", "1000-001", "〒1000001"],
    "住所": ["東京都千代田区丸の内1-9-1 グラン1203号室", "千代田区丸の内一丁目9番1号", "",
           "京都府京都市中京区烏丸通四条上ル笋町123 101", "北海道札幌市中央区北一条西二丁目 ハイツ 5",
           "大阪府大阪市北区梅田１－２－３", "東京都千代田区千代田1-1"],
    "電話番号": ["090-1234-5678", "+81-90-1234-5678", "+81 (0)3-1234-5678", "０９０－１２３４－５６７８",
             "(03)1234-5678", "9012345678", "312345678", "03-1234-5678", "電話なし", "", "+8190",
             "090 1234 5678", "()", "0120-123-456", "+81-0120-123-456"],
    "携帯電話": ["", "080-1111-2222", "090-1234-5678", "abc"],
    "メールアドレス": ["taro@example.jp", "TARO@Example.JP", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "not-an-email",
                "", " hanako@example.co.jp ", "a@jp.", "a@b@c.jp"],
    "生年月日": ["1985/04/01", "1985-04-01", "昭和60年4月1日", "平成元年1月8日", "S60.4.1", "19850401",
             "1985-02-30", "いつか", "", "令和2年2月30日", "1985.4.1", "平成31年5月1日",
             "昭和64年1月7日", "0000-01-01"],
    "注文番号": ["1234567890123456", ""],
    "備考": ["再配達希望", "", "電話連絡は夕方以降"],
}


@st.composite
def _row(draw) -> list[str]:
    row = [draw(st.sampled_from(CELLS[header])) for header in HEADER]
    return row[:draw(st.integers(len(HEADER) - 3, len(HEADER)))]  # some rows end early


def _opened(entry) -> tuple:
    """A prepared row as what the registry gets of it, its reference number checked and set
    aside (drawn at random by either path)."""
    if len(entry) == 3:  # rejected: (row number, code, reason)
        return entry
    number, keyed = entry
    token = base64.urlsafe_b64decode(keyed.sealed.removeprefix(SEALED_PREFIX))
    record = json.loads(CIPHER.decrypt(token[:12], token[12:], None))
    ref = record.pop("ref")
    assert registry.normalise_reference(ref) == ref
    assert dict(keyed.keys)["ref"] == (blind_index("ref", ref, INDEX_KEY),)
    keys = [(kind, digests) for kind, digests in keyed.keys if kind != "ref"]
    return (number, keys, record, keyed.items, keyed.confirmed, keyed.controller,
            keyed.has_email, keyed.has_postal, keyed.merge_digests == [
                d for kind, ds in keyed.keys if kind in registry.MERGE_KINDS for d in ds])


def _both(header: list[str], rows: list[list[str]], **options):
    prepared = preparing._Options(map_headers(header), options.get("confirmed", True),
                                  options.get("controller", ""))
    chunk = list(enumerate(rows, start=2))
    identity.address.cache_clear()
    # The column-wise path seals with the compiled AES-GCM when it holds the cipher's key.
    at_once = preparing._prepare(replace(prepared, data_key=CIPHER_KEY), chunk, (INDEX_KEY,),
                                 CIPHER)
    alone = preparing._prepare_each(prepared, chunk, (INDEX_KEY,), CIPHER)
    return [_opened(e) for e in at_once], [_opened(e) for e in alone]


def test_the_compiled_keys_are_built():
    assert columnwise.available()


@settings(max_examples=150, deadline=None)
@given(st.lists(_row(), min_size=1, max_size=40))
@example([["M1", "山田 太郎", "ヤマダ タロウ", "100-0001", "東京都千代田区千代田1-1", "03-1234-5678", "",
           "a@example.jp", "1985/04/01", "", ""],
          ["M2", "山田 花子", "ヤマダ ハナコ", "100-0001", "東京都千代田区千代田1-1", "03-1234-5678", "",
           "", "昭和60年4月1日", "", ""]])
def test_a_chunk_prepared_by_column_is_each_row_prepared_alone(rows):
    at_once, alone = _both(HEADER, rows)
    assert at_once == alone


def test_a_generated_export_comes_out_the_same_row_for_row():
    rng_rows = []
    for n in range(600):
        rng_rows.append([CELLS[h][(n * (i + 3) + n // 7) % len(CELLS[h])]
                         for i, h in enumerate(HEADER)])
    at_once, alone = _both(HEADER, rng_rows)
    assert at_once == alone


def test_rejected_rows_keep_their_place_and_reason():
    rows = [["M1", "山田 太郎", "", "", "", "090-1234-5678", "", "", "", "", ""],
            ["M2", "佐藤 花子", "", "", "", "", "", "not-an-email", "", "", ""],
            ["M3", "", "", "", "", "", "", "", "", "", "メモだけ"],
            ["M4", "鈴木 一郎", "", "", "", "", "", "", "1985-02-30", "", ""],
            ["M5", "田中 誠", "", "", "", "電話なし", "", "", "", "", ""]]
    at_once, _ = _both(HEADER, rows)
    assert [e[1] if len(e) == 3 else "ok" for e in at_once] == \
        ["ok", "bad_email", "no_identity", "bad_birth_date", "bad_phone"]


# Names in parts, an items column, a confirmed and a controller column, a former name, an
# undecodable cell and a cell too long: what a vendor's export may add.
PARTS_HEADER = ["姓", "名", "セイ", "メイ", "住所1", "住所2", "電話番号", "漏えい項目", "確定", "委託元",
                "旧姓", "生年月日"]
PARTS = {
    "姓": ["山田", "", "髙橋"], "名": ["太郎", "花子", ""], "セイ": ["ヤマダ", "ﾀｶﾊｼ", ""],
    "メイ": ["タロウ", ""], "住所1": ["東京都千代田区", ""], "住所2": ["丸の内1-9-1", "", "101号室"],
    "電話番号": ["090-1234-5678", "", "+81-80-1111-2222"],
    "漏えい項目": ["", "クレジットカード番号", "credit_card,email", "ないもの"],
    "確定": ["", "可能性", "確定", "おそれ"], "委託元": ["", "A社", "B社 " * 80],
    "旧姓": ["", "", "", "佐藤"], "生年月日": ["1990-12-24", "", "平成2年12月24日"],
}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries({h: st.sampled_from(v) for h, v in PARTS.items()}),
                min_size=1, max_size=25), st.booleans(), st.sampled_from(["", "既定社"]),
       st.sampled_from(["", "\ufffd", "x" * 10_001]))
def test_parts_roles_and_odd_rows_come_out_the_same(rows, confirmed, controller, odd):
    cells = [[row[h] for h in PARTS_HEADER] for row in rows]
    if odd:
        cells[-1][-1] = odd
    at_once, alone = _both(PARTS_HEADER, cells, confirmed=confirmed, controller=controller)
    assert at_once == alone


def test_a_re_index_under_way_takes_every_key():
    options = preparing._Options(map_headers(HEADER), True, "")
    rows = [["M1", "山田 太郎", "ヤマダ タロウ", "100-0001", "東京都千代田区千代田1-1", "090-1234-5678",
             "", "a@example.jp", "1985/04/01", "", ""]]
    (_, keyed), = preparing._prepare(options, list(enumerate(rows, 2)),
                                     (INDEX_KEY, b"n" * 40), CIPHER)
    assert all(len(digests) == 2 for _, digests in keyed.keys)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789+-() ８０－（）", min_size=1, max_size=18))
@example("+81-90-1234-5678")
@example("+81(0)3-1234-5678")
@example("9012345678")
@example("+81")
def test_a_phone_reads_as_the_identity_rules_read_it(value):
    assert columnwise.phone(value) == identity.phone(value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789-〒 －１", min_size=1, max_size=12))
def test_a_postal_code_reads_as_the_identity_rules_read_it(value):
    assert columnwise.postal_code(value) == identity.postal_code(value)


def test_reference_numbers_are_well_formed_and_differ():
    refs = columnwise._references(5_000)
    assert all(registry.normalise_reference(r) == r for r in refs)
    assert len(set(refs)) == len(refs)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=130), st.binary(max_size=300))
def test_the_compiled_hmac_is_hmac_sha256(key, message):
    assert _rowkeys.digest(key, message) == hmac.digest(key, message, "sha256")
