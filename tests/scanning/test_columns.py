"""Column classification: from the header, and from the values when there is none."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.scanning import columns
from rouei.scanning.columns import classify, header_category
from rouei.scanning.detectors import _anchors

NAMES = ["佐藤 太郎", "鈴木 花子", "高橋 翔太", "田中 陽菜", "伊藤 大輔"] * 8
KANA = ["サトウ タロウ", "スズキ ハナコ", "タカハシ ショウタ", "タナカ ヒナ", "イトウ ダイスケ"] * 8
PHONES = [f"090-1234-{i:04d}" for i in range(40)]
ORDERS = [f"4{i:015d}" for i in range(1, 41)]  # mostly failing Luhn
DATES = [f"19{60 + i % 30}-0{1 + i % 9}-1{i % 9}" for i in range(40)]


@pytest.mark.parametrize("header,item", [
    ("氏名", "person_name"), ("お客様電話番号", "phone"), ("TEL", "phone"), ("home_tel", "phone"),
    ("メールアドレス", "email"), ("ﾌﾘｶﾞﾅ", "name_kana"), ("生年月日", "birth_date"),
    ("shipping", None), ("備考", None), ("", None),
])
def test_header_category_names_the_item(header, item):
    assert header_category(header) == item


@pytest.mark.parametrize("values,item", [
    (NAMES, "person_name"), (KANA, "name_kana"), (PHONES, "phone"), (DATES, "birth_date"),
])
def test_classify_headerless_column_by_its_values(values, item):
    assert classify("3", values, has_header=False).category == item


def test_classify_order_numbers_are_not_cards():
    assert classify("col9", ORDERS, has_header=True).category is None


def test_classify_bare_account_like_numbers_need_a_header():
    accounts = [f"{1234560 + i}" for i in range(40)]
    assert classify("4", accounts, has_header=False).category != "bank_account"
    assert classify("口座番号", accounts, has_header=True).category == "bank_account"


def test_classify_header_overruled_when_values_clearly_are_another_item():
    result = classify("連絡先", [f"user{i}@example.jp" for i in range(40)], has_header=True)
    assert result.category == "email" and not result.by_header


def test_classify_long_prose_column_is_scanned_as_text():
    notes = ["お客様から電話があり、カードの再発行について問い合わせを受けました。"] * 10
    result = classify("備考", notes, has_header=True)
    assert result.category is None and result.free_text


def test_classify_status_words_under_an_unknown_header_are_not_names():
    statuses = ["受付", "キャンセル", "発送済", "保留"] * 10
    assert classify("col6", statuses, has_header=True).category is None


def test_classify_recent_order_dates_are_not_birth_dates():
    orders = [f"2025-0{1 + i % 9}-1{i % 9}" for i in range(40)]
    assert classify("2", orders, has_header=False).category != "birth_date"
    assert classify("注文日", orders, has_header=True).category != "birth_date"


def test_classify_one_date_repeated_is_not_a_birth_date_column():
    assert classify("3", ["1980-01-01"] * 40, has_header=False).category != "birth_date"


# --- shop systems' column names (EC-CUBE, WooCommerce, Shopify), in CSV exports too -----------


@pytest.mark.parametrize(("header", "item", "part"), [
    ("name01", "person_name", "family"), ("order_name02", "person_name", "given"),
    ("kana01", "name_kana", "family"), ("shipping_kana02", "name_kana", "given"),
    ("zip01", "postal_code", "upper"), ("order_zip02", "postal_code", "lower"),
    ("pref", "address", "prefecture"), ("addr01", "address", "municipality"),
    ("addr02", "address", "street"), ("tel01", "phone", "area"),
    ("order_tel03", "phone", "subscriber"), ("billing_first_name", "person_name", "given"),
    ("First Name", "person_name", "given"), ("Province", "address", "prefecture"),
])
def test_a_shop_systems_split_column_is_named_by_its_header(header, item, part):
    cls = classify(header, ["x"] * 5, has_header=True)
    assert (cls.category, cls.part) == (item, part)


@pytest.mark.parametrize(("header", "item"), [
    ("phone_number", "phone"), ("email_mobile", "email"), ("order_email", "email"),
    ("billing_phone", "phone"), ("birth", "birth_date"), ("dob", "birth_date"),
    ("postal_code", "postal_code"), ("company_name", "workplace"), ("telephone", "phone"),
])
def test_a_shop_systems_column_is_named_by_its_header(header, item):
    assert header_category(header) == item


# --- short notes are free text too (備考: 田中様より電話あり) ----------------------------------

_SHORT_NOTES = ["田中様より電話あり", "090-1234-5678に折り返し", "不在", "発送済み", "返品希望",
                "山本さんから再度連絡あり"]


@pytest.mark.parametrize("header", ["備考", "メモ", "コメント", "特記事項", "連絡事項", "remarks"])
def test_a_notes_column_of_short_notes_is_free_text_by_its_header(header):
    assert classify(header, _SHORT_NOTES * 5, has_header=True).free_text


def test_a_column_of_short_notes_is_free_text_by_its_cells():
    assert classify("col9", _SHORT_NOTES * 5, has_header=True).free_text


def test_a_status_column_is_not_free_text():
    statuses = ["発送済み", "確認済み", "受付", "キャンセル"] * 10
    assert not classify("ステータス", statuses, has_header=True).free_text


def test_short_notes_in_a_table_report_their_items(tmp_path):
    from rouei.scanning import engine
    path = tmp_path / "calls.csv"
    path.write_text("受付日,メモ\n" + "".join(f"2024/12/0{i + 1},{n}\n"
                                           for i, n in enumerate(_SHORT_NOTES)), encoding="utf-8")
    assert engine.scan([path]).totals == {"person_name": 2, "phone": 1}


# A column pattern that asks whether a cell holds one of its terms (health's, disability's) is
# answered by a search asked only where a term's word is: the same answer as the whole pattern.
_HOLDING = [d for d in columns.prepare() if d.column_pattern.startswith(columns._HOLDS[0])]


def _term_texts(pattern: str) -> st.SearchStrategy[str]:
    words = [w for w, _ in _anchors.anchors(re.compile(pattern[len(columns._HOLDS[0]):
                                                                -len(columns._HOLDS[1])]))]
    pieces = st.sampled_from([*words[:60], "\n", " ", "様", "a", "1", "の", "高血", "症状", "障害"])
    return st.lists(st.one_of(pieces, st.text(max_size=3)), max_size=8).map("".join)


def test_the_term_patterns_are_found():
    assert {d.category for d in _HOLDING} >= {"health", "disability"}


@pytest.mark.parametrize("detector", _HOLDING, ids=lambda d: d.category)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_term_pattern_answers_as_the_whole_pattern(detector, data):
    text = data.draw(_term_texts(detector.column_pattern))
    assert bool(columns._cell_matcher(detector.column_pattern)(text)) == bool(
        re.match(detector.column_pattern, text))


def test_a_pattern_whose_head_and_tail_are_not_one_group_is_matched_whole():
    pattern = "(?s)^.*(?:ab)|(?:cd).*$"  # "^.*ab" or "cd.*$": "xcd" matches neither
    assert columns._cell_matcher(pattern)("xcd") is None
