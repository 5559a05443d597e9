"""Columns whose header and values disagree or whose values are of several kinds (issue 14):
a contact column holding phones in some rows and e-mails in others, a header naming a product
or a shop that outweighs values that look like postal codes or phones, account-holder names
in kana, bank accounts written in one cell without a header."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rouei.domain.items import HEADER_VETOES
from rouei.scanning.columns import classify, header_veto
from rouei.scanning.engine import ScanOptions, scan
from rouei.scanning.report import column_table
from tests.scanning.readers.builders import csv_text

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["太郎", "花子", "翔太", "陽菜", "大輔", "美咲", "健一", "由美", "直樹", "綾"]
FAMILY_KANA = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ",
               "コバヤシ", "カトウ"]
GIVEN_KANA = ["タロウ", "ハナコ", "ショウタ", "ヒナ", "ダイスケ", "ミサキ", "ケンイチ", "ユミ",
              "ナオキ", "アヤ"]
ROMAN_FAMILY = ["SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "ITO", "WATANABE", "YAMAMOTO"]
ROMAN_GIVEN = ["TARO", "HANAKO", "SHOTA", "HINA", "DAISUKE", "MISAKI", "KENICHI"]
BANKS = ["みずほ銀行", "三井住友銀行", "りそな銀行", "城南信用金庫", "静岡銀行", "北洋銀行"]
BRANCHES = ["渋谷支店", "新宿支店", "本店営業部", "梅田支店", "札幌中央支店", "〇一八支店"]


def _phone(rng: random.Random) -> str:
    return rng.choice([f"090-{rng.randrange(1000, 10000)}-{rng.randrange(10000):04d}",
                       f"03-{rng.randrange(1000, 10000)}-{rng.randrange(10000):04d}",
                       f"080{rng.randrange(10000000, 100000000)}"])


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _scan(folder: Path, tmp_path: Path):
    findings = tmp_path / "findings.jsonl"
    report = scan([folder], ScanOptions(workers=1), findings_out=findings)
    lines = [json.loads(x) for x in findings.read_text(encoding="utf-8").splitlines()]
    return report, lines


def _cells(findings: list[dict], category: str, column: str) -> set[int]:
    return {f["row"] for f in findings if f["category"] == category and f["column"] == column}


# --- mixed-content columns ----------------------------------------------------------------------


def _contacts(n: int, seed: int = 3) -> tuple[list[list[str]], dict[str, dict[str, set[int]]]]:
    """氏名, 連絡先1, 連絡先2: a phone or an e-mail in either contact column, at random; and
    which rows (file rows: the header is row 1) hold which kind in which column."""
    rng = random.Random(seed)
    rows = [["氏名", "連絡先1", "連絡先2"]]
    truth: dict[str, dict[str, set[int]]] = {c: {"phone": set(), "email": set()}
                                            for c in ("連絡先1", "連絡先2")}
    for i in range(n):
        row = [f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"]
        for column, email_share in (("連絡先1", 0.3), ("連絡先2", 0.6)):
            if rng.random() < email_share:
                row.append(f"user{i}.{column[-1]}@example.jp")
                truth[column]["email"].add(i + 2)
            else:
                row.append(_phone(rng))
                truth[column]["phone"].add(i + 2)
        rows.append(row)
    return rows, truth


def test_every_email_and_every_phone_of_a_mixed_contact_column_is_reported(tmp_path):
    rows, truth = _contacts(200)
    _write(tmp_path / "leak", "顧客.csv", csv_text(rows))
    _, findings = _scan(tmp_path / "leak", tmp_path)
    for column in ("連絡先1", "連絡先2"):
        assert _cells(findings, "email", column) == truth[column]["email"]
        assert _cells(findings, "phone", column) == truth[column]["phone"]


def test_a_mixed_column_counts_each_kind_in_the_totals(tmp_path):
    rows, truth = _contacts(200)
    _write(tmp_path / "leak", "顧客.csv", csv_text(rows))
    report, _ = _scan(tmp_path / "leak", tmp_path)
    emails = sum(len(t["email"]) for t in truth.values())
    assert report.totals["email"] == emails


def test_the_report_names_the_minority_kinds_of_a_mixed_column(tmp_path):
    rows, truth = _contacts(200)
    _write(tmp_path / "leak", "顧客.csv", csv_text(rows))
    report, _ = _scan(tmp_path / "leak", tmp_path)
    column = next(c for c in report.to_dict()["files"][0]["columns"] if c["column"] == "連絡先1")
    assert column["also"] == {"email": len(truth["連絡先1"]["email"])}


def test_a_headerless_column_split_between_phones_and_emails_is_found(tmp_path):
    rows, truth = _contacts(200)
    _write(tmp_path / "leak", "dump.csv", csv_text(rows[1:]))
    _, findings = _scan(tmp_path / "leak", tmp_path)
    emails = {f["row"] + 1 for f in findings if f["category"] == "email" and f["column"] == "2"}
    assert emails == truth["連絡先2"]["email"]  # a headerless file's row 1 is the first record


def test_a_phone_with_a_note_in_a_headerless_mixed_column_is_a_phone(tmp_path):
    contacts = ([f"u{i}@example.jp" for i in range(6)]
                + ["03-1234-5678(自宅)", "(03)1234-5678", "090-1111-2222", "0467（12）3456"]) * 10
    rows = [[f"{FAMILY[i % 10]} {GIVEN[i // 10]}", c] for i, c in enumerate(contacts)]
    _write(tmp_path / "leak", "dump.csv", csv_text(rows))
    _, findings = _scan(tmp_path / "leak", tmp_path)
    phones = {i + 1 for i, c in enumerate(contacts) if "@" not in c}
    assert _cells(findings, "phone", "1") == phones


def test_people_are_linked_through_the_minority_kind_of_a_mixed_column(tmp_path):
    # the same person in two files: her e-mail sits in the contact column of the second
    _write(tmp_path / "leak", "a.csv", csv_text([["氏名", "メールアドレス"],
                                                   ["山本 美咲", "misaki@example.jp"]]))
    _write(tmp_path / "leak", "b.csv", csv_text(
        [["氏名", "連絡先"], ["山本 美咲", "misaki@example.jp"],
         *[[f"{FAMILY[i]} {GIVEN[i]}", f"090-1111-{i:04d}"] for i in range(9)],
         ["中村 健一", "kenichi@example.jp"], ["小林 由美", "yumi@example.jp"]]))
    report, _ = _scan(tmp_path / "leak", tmp_path)
    assert report.people.linked_by == {"person_name+email": 1}


def test_a_column_of_one_kind_gets_no_minority():
    phones = [f"090-1234-{i:04d}" for i in range(100)]
    assert classify("電話番号", phones, has_header=True).mixed == ()


def test_a_few_stray_values_do_not_make_a_column_mixed():
    values = [f"090-1234-{i:04d}" for i in range(100)] + ["someone@example.jp"]
    assert classify("電話番号", values, has_header=True).mixed == ()


def test_order_numbers_that_pass_luhn_by_chance_are_no_minority_of_an_unknown_column():
    values = [f"{random.Random(i).randrange(10**15, 10**16)}" for i in range(100)]
    result = classify("col3", values, has_header=True)
    assert result.category is None and result.mixed == ()


# --- header veto ---------------------------------------------------------------------------------


def _postal_like_codes(n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.randrange(100, 1000)}{rng.randrange(10000):04d}" for _ in range(n)]


@pytest.mark.parametrize("header", ["商品コード", "品番", "SKU", "注文番号", "伝票番号", "会員番号",
                                    "items.0.sku", "order.items.2.product_code", "商品"])
def test_a_header_naming_a_product_or_order_outweighs_postal_looking_values(header):
    result = classify(header, _postal_like_codes(100), has_header=False)
    assert result.category != "postal_code"  # no header row: values decide
    result = classify(header, _postal_like_codes(100), has_header=True)
    assert result.category is None and result.veto == "business_code"


@pytest.mark.parametrize("header", ["店舗電話番号", "shop.tel", "shop_phone", "ショップTEL",
                                    "store.contact.phone"])
def test_a_shops_phone_is_not_a_persons_phone(header):
    phones = [f"03-{1000 + i}-5678" for i in range(100)]
    result = classify(header, phones, has_header=True)
    assert result.category is None and result.veto == "business_party"


@pytest.mark.parametrize("header", ["注文者電話番号", "customer.tel", "shipping.phone", "郵便番号",
                                    "order.customer.zip", "お届け先電話番号", "col3",
                                    "items.0.recipient.name", "shop.customers.3.tel"])
def test_a_persons_header_is_not_vetoed(header):
    assert header_veto(header) is None


def test_a_vetoed_column_says_what_its_values_looked_like():
    result = classify("商品コード", _postal_like_codes(100), has_header=True)
    assert result.looked_like == "postal_code"


def test_a_column_of_product_codes_gives_no_postal_codes_in_a_scan(tmp_path):
    codes = _postal_like_codes(100)
    rows = [["氏名", "郵便番号", "商品コード"]] + [
        [f"{FAMILY[i % 10]} {GIVEN[i // 10]}", f"{code[:3]}-{code[3:]}", code]
        for i, code in enumerate(codes)]
    _write(tmp_path / "leak", "orders.csv", csv_text(rows))
    report, findings = _scan(tmp_path / "leak", tmp_path)
    assert {f["column"] for f in findings if f["category"] == "postal_code"} == {"郵便番号"}
    vetoed = next(c for c in report.files[0].columns if c.column == "商品コード")
    assert vetoed.veto == "business_code" and vetoed.count == 0


def test_a_shop_phone_in_nested_json_orders_is_not_reported(tmp_path):
    rng = random.Random(2)
    records = [{"order_id": f"A{i:06d}",
                "customer": {"name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                             "tel": _phone(rng)},
                "shop": {"name": "ルエイ商店", "tel": "03-5555-0100"},
                "items": [{"sku": code, "qty": 1}]}
               for i, code in enumerate(_postal_like_codes(60))]
    _write(tmp_path / "leak", "orders.jsonl",
           "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    _, findings = _scan(tmp_path / "leak", tmp_path)
    assert {f["column"] for f in findings if f["category"] == "phone"} == {"customer.tel"}
    assert not [f for f in findings if f["category"] == "postal_code"]


def test_every_veto_word_vetoes_a_header_made_of_it():
    for veto in HEADER_VETOES:
        for word in (*veto.words, *veto.exact):
            found = header_veto(word)
            assert found is not None and found.id == veto.id, word


@given(st.sampled_from(["電話番号", "郵便番号", "氏名", "住所", "メールアドレス", "tel", "zip"]),
       st.sampled_from(["店舗", "ショップ", "shop.", "store_"]))
def test_a_shop_word_before_any_item_header_vetoes_it(item_header, shop):
    assert header_veto(shop + item_header) is not None


# --- account holders' names ----------------------------------------------------------------------


def _half_width(text: str) -> str:
    """Katakana as a bank's transfer data writes it (半角カナ): our own small table, voiced
    sounds as the base kana and a separate mark (ベ → ﾍﾞ)."""
    table = dict(zip("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
                     "ャュョッー \u3099\u309a", "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝｬｭｮｯｰ ﾞﾟ",
                     strict=True))
    return "".join(table[c] for c in unicodedata.normalize("NFD", text))


def _holders(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(FAMILY_KANA)} {rng.choice(GIVEN_KANA)}" for _ in range(n)]


@pytest.mark.parametrize("header", ["口座名義", "口座名義人", "名義人", "名義", "カード名義"])
def test_half_width_kana_holder_names_are_name_readings(header):
    values = [_half_width(v) for v in _holders(80)]
    assert classify(header, values, has_header=True).category == "name_kana"


def test_full_width_kana_holder_names_are_name_readings():
    assert classify("口座名義", _holders(80), has_header=True).category == "name_kana"


def test_a_holder_column_in_kanji_is_a_name():
    names = [f"{FAMILY[i % 10]} {GIVEN[i // 10]}" for i in range(80)]
    assert classify("口座名義", names, has_header=True).category == "person_name"


def test_romanised_card_holder_names_are_person_names():
    rng = random.Random(1)
    values = [f"{rng.choice(ROMAN_GIVEN)} {rng.choice(ROMAN_FAMILY)}" for _ in range(80)]
    for header in ("カード名義", "card.holder", "cardholder_name"):
        assert classify(header, values, has_header=True).category == "person_name", header


def test_every_half_width_holder_name_is_reported_in_a_scan(tmp_path):
    holders = [_half_width(v) for v in _holders(50)]
    rows = [["振込先銀行", "口座番号", "口座名義"]] + [
        ["みずほ銀行", f"{1234560 + i}", h] for i, h in enumerate(holders)]
    _write(tmp_path / "leak", "振込.csv", csv_text(rows))
    _, findings = _scan(tmp_path / "leak", tmp_path)
    assert _cells(findings, "name_kana", "口座名義") == set(range(2, 52))


# --- bank accounts in one cell, without a header ------------------------------------------------


def _bank_cells(n: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        number = f"{rng.randrange(1000000, 10000000)}"
        kind = rng.choice(["普通", "当座", "貯蓄", "普通預金"])
        separator = rng.choice([" ", "\u3000", "/", " / "])
        if rng.random() < 0.15:  # a transfer list's holder name after the number
            out.append(separator.join([rng.choice(BANKS), rng.choice(BRANCHES), kind, number,
                                       _half_width(rng.choice(FAMILY_KANA))]))
        elif rng.random() < 0.2:
            out.append(rng.choice([f"ゆうちょ銀行 記号1{rng.randrange(10000):04d} 番号"
                                   f"{rng.randrange(10**7, 10**8)}",
                                   f"ゆうちょ銀行{separator}記号:1{rng.randrange(10000):04d}"
                                   f"{separator}番号:{rng.randrange(10**5, 10**8)}"]))
        else:
            out.append(separator.join([rng.choice(BANKS), rng.choice(BRANCHES), kind, number]))
    return out


def test_bank_accounts_written_in_one_cell_of_a_headerless_file_are_found(tmp_path):
    cells = _bank_cells(60)
    rows = [[f"{FAMILY[i % 10]} {GIVEN[i // 10 % 10]}", cell] for i, cell in enumerate(cells)]
    _write(tmp_path / "leak", "furikomi.csv", csv_text(rows))
    _, findings = _scan(tmp_path / "leak", tmp_path)
    assert _cells(findings, "bank_account", "1") == set(range(1, 61))


def test_bank_accounts_in_one_cell_under_a_transfer_header_are_found(tmp_path):
    cells = _bank_cells(40, seed=4)
    _write(tmp_path / "leak", "a.csv", csv_text([["振込先口座"], *[[c] for c in cells]]))
    _, findings = _scan(tmp_path / "leak", tmp_path)
    assert _cells(findings, "bank_account", "振込先口座") == set(range(2, 42))


def test_a_headerless_column_of_bare_seven_digit_numbers_is_still_no_bank_account():
    values = [f"{1234560 + i}" for i in range(60)]
    assert classify("2", values, has_header=False).category != "bank_account"


def test_the_column_table_says_why_a_vetoed_column_is_not_counted_and_lists_mixed_items(
        tmp_path):
    rows, truth = _contacts(100)
    rows = [[*row, code] for row, code in zip(rows, ["商品コード", *_postal_like_codes(100)],
                                              strict=True)]
    _write(tmp_path / "leak", "顧客.csv", csv_text(rows))
    report, _ = _scan(tmp_path / "leak", tmp_path)
    _, table = column_table(report.to_dict())
    by_column = {}
    for row in table:
        by_column.setdefault(row[2], []).append((row[3], row[5]))
    assert by_column["商品コード"] == [("対象外（値は郵便番号の形）", 0)]
    assert ("メールアドレス", len(truth["連絡先1"]["email"])) in by_column["連絡先1"]
