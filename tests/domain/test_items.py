from __future__ import annotations

import pytest

from rouei.domain.items import CATALOGUE, ITEMS, Financial, alias_index

CONTRACT_IDS = ["person_name", "name_kana", "address", "postal_code", "phone", "email", "birth_date", "gender", "credit_card", "card_expiry", "card_security_code", "bank_account", "online_banking_credentials", "login_id", "password", "my_number", "drivers_license", "passport", "health_insurance_number", "pension_number", "employee_id", "health", "medical_history", "disability", "criminal_record", "crime_victim", "race", "creed", "social_status"]


@pytest.mark.parametrize("item_id", CONTRACT_IDS)
def test_catalogue_contract_id_is_present(item_id):
    assert item_id in ITEMS


def test_catalogue_ids_are_unique_and_levels_in_range():
    assert len(ITEMS) == len(CATALOGUE)
    for item in CATALOGUE:
        assert 1 <= item.privacy <= 3 and 1 <= item.economic <= 3, item.id
        assert item.label_ja and item.label_en and item.aliases, item.id


@pytest.mark.parametrize("item_id", ["health", "medical_history", "disability", "criminal_record",
                                     "crime_victim", "race", "creed", "social_status"])
def test_catalogue_sensitive_items_flagged(item_id):
    assert ITEMS[item_id].sensitive


@pytest.mark.parametrize("item_id", ["nationality", "health_checkup_attendance", "address",
                                     "purchase_history"])
def test_catalogue_look_alikes_not_sensitive(item_id):
    assert not ITEMS[item_id].sensitive  # GL 2-3


def test_catalogue_card_number_alone_is_financial():
    assert ITEMS["credit_card"].financial is Financial.ALONE
    assert ITEMS["bank_account"].financial is Financial.IN_COMBINATION


def test_catalogue_my_number_is_specific_personal_information():
    assert ITEMS["my_number"].specific_personal_info and ITEMS["my_number"].identifier_code


def test_alias_index_finds_japanese_headers():
    index = alias_index()
    assert index["氏名"] == "person_name"
    assert index["tel"] == "phone"  # case-folded
    assert index["フリガナ"] == "name_kana"
