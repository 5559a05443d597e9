"""An import prepares a chunk of rows at once (its addresses through the compiled rules in one
call): every row must come out exactly as the row-by-row functions give it — the same look-up
keys, the same record, the same rejection — or the registry would differ with the chunking."""

from __future__ import annotations

import base64
import json
import random
from unittest import mock

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rouei.core.crypto import SEALED_PREFIX, blind_index
from rouei.people import preparing, registry
from rouei.people.importing import RowError, map_headers, parse_row
from rouei.scanning import identity

HEADER = ["氏名", "フリガナ", "郵便番号", "住所", "電話番号", "メールアドレス", "生年月日"]
INDEX_KEYS = (b"i" * 32,)
CIPHER = AESGCM(b"d" * 32)

# Pieces of addresses as exports write them, and what trips the rules (Kyoto's streets, kanji
# numerals, rooms, buildings, spaces of both widths, combining marks).
_ADDRESS_PIECES = ["東京都", "千代田区", "丸の内", "北海道", "札幌市中央区北", "一条", "西", "京都市中京区",
                   "烏丸通", "四条上ル", "笋町", "大字", "ケ", "ノ", "一", "二", "十", "丁目", "番地",
                   "番", "号", "号室", "-", "－", "ー", " ", "　", "〒100-0001 ", "ハイツ", "2F",
                   *"0123456789", "１２", "\u3099"]
_addresses = st.lists(st.sampled_from(_ADDRESS_PIECES), max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_addresses, max_size=30))
@example(["東京都千代田区丸の内1-9-1 グラン1203号室", "千代田区丸の内一丁目9番1号", "",
          "京都府京都市中京区烏丸通四条上ル笋町123 101", "北海道札幌市中央区北一条西二丁目 ハイツ 5"])
def test_a_chunks_address_forms_are_each_addresses_own(values):
    identity.address.cache_clear()
    assert identity.address_forms(values) == [
        (identity.address(v), identity.address(v, room=False)) for v in values]


_CELLS = {
    "氏名": ["山田 太郎", "山田　太郎", "髙橋花子", "やまだ たろう", "", "ﾔﾏﾀﾞ"],
    "フリガナ": ["ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ", ""],
    "郵便番号": ["〒100-0001", "1000001", "100-0001", "１００－０００１", "", "abc"],
    "電話番号": ["090-1234-5678", "+81-90-1234-5678", "０９０－１２３４－５６７８", "(03)1234-5678",
             "9012345678", "電話なし", ""],
    "メールアドレス": ["taro@example.jp", "TARO@Example.JP", "not-an-email", ""],
    "生年月日": ["1985/04/01", "昭和60年4月1日", "1985-02-30", "S60.4.1", "", "いつか"],
}


@st.composite
def _rows(draw) -> list[str]:
    return [draw(_addresses) if header == "住所" else draw(st.sampled_from(_CELLS[header]))
            for header in HEADER]


def _seeded_references(seed: int):
    """``secrets`` for registry.new_reference drawing the same numbers on every run."""
    rng = random.Random(seed)
    return mock.patch.object(registry, "secrets", mock.Mock(randbelow=rng.randrange))


def _opened(entry) -> tuple:
    number, prepared = entry[0], entry[1]
    if isinstance(prepared, str):  # a rejected row: (number, code, reason)
        return entry
    token = base64.urlsafe_b64decode(prepared.sealed.removeprefix(SEALED_PREFIX))
    record = json.loads(CIPHER.decrypt(token[:12], token[12:], None))
    # The chunk's reference numbers are drawn at once (rouei.people.columnwise), not one a row:
    # each is checked against its own key, and the rest compared.
    ref = record.pop("ref")
    assert dict(prepared.keys)["ref"] == (blind_index("ref", ref, INDEX_KEYS[0]),)
    keys = [(kind, digests) for kind, digests in prepared.keys if kind != "ref"]
    return (number, keys, record, prepared.items, prepared.confirmed)


def _row_by_row(options, chunk) -> list[tuple]:
    identity.address.cache_clear()
    out = []
    for number, cells in chunk:
        try:
            row = parse_row(options, number, cells)
        except RowError as exc:
            out.append((number, exc.code, exc.reason))
            continue
        out.append((number, preparing.Keyed.of(row, INDEX_KEYS, CIPHER)))
    return out


@settings(max_examples=100, deadline=None)
@given(st.lists(_rows(), min_size=1, max_size=20), st.integers(0, 2**32))
def test_a_chunk_prepared_at_once_is_each_row_prepared_alone(rows, seed):
    options = preparing._Options(map_headers(HEADER), True, "")
    chunk = [(n, cells) for n, cells in enumerate(rows, start=2)]
    with _seeded_references(seed):
        alone = _row_by_row(options, chunk)
    with _seeded_references(seed):
        at_once = preparing._prepare(options, chunk, INDEX_KEYS, CIPHER)
    assert [_opened(e) for e in at_once] == [_opened(e) for e in alone]
