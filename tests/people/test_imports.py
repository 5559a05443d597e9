"""Importing a people list: CP932, bad rows, all or nothing, re-import merges."""

from __future__ import annotations

import pytest

from rouei.core.errors import ActionError
from rouei.people import actions
from rouei.people.models import Person, PersonKey

pytestmark = pytest.mark.django_db


def test_an_import_creates_one_person_per_row(incident, user, people_csv):
    result = actions.do_import_people(user, incident, people_csv())
    assert result.imported == 3


def test_a_person_s_items_are_the_columns_with_a_value_in_their_row(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    suzuki = actions.do_lookup(user, incident, phone="03-1234-5678")[0]
    assert suzuki["items"] == ["birth_date", "name_kana", "person_name", "phone"]


def test_a_card_number_is_an_item_and_never_stored(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    yamada = next(p for p in Person.objects.all() if "credit_card" in p.items)
    assert "4111111111111111" not in yamada.record().to_json()


def test_a_cp932_file_is_read(incident, user, people_csv):
    result = actions.do_import_people(user, incident, people_csv(encoding="cp932"))
    assert result.imported == 3


def test_a_cp932_name_is_found_by_its_name(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv(encoding="cp932"))
    assert len(actions.do_lookup(user, incident, name="山田太郎", birth_date="1985-04-01")) == 1


def test_re_importing_the_same_people_merges_them(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    again = actions.do_import_people(user, incident, people_csv())
    assert again.people == 3


def test_the_same_person_typed_differently_is_merged(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    typed = ["山田　太郎,やまだ たろう,,,+81 90 1234 5678,,昭和60年4月1日,"]
    result = actions.do_import_people(user, incident, people_csv(rows=typed, name="b.csv"))
    assert result.people == 3


def test_a_merge_is_counted(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    typed = ["山田　太郎,やまだ たろう,,,+81 90 1234 5678,,昭和60年4月1日,"]
    result = actions.do_import_people(user, incident, people_csv(rows=typed, name="b.csv"))
    assert result.merged == 1


def test_a_shared_landline_alone_is_a_household_not_one_person(incident, user, people_csv):
    household = ["田中 一郎,,,,03-9999-0000,,1960-01-01,", "田中 花子,,,,03-9999-0000,,1962-02-02,"]
    result = actions.do_import_people(user, incident, people_csv(rows=household))
    assert result.people == 2


def test_a_re_import_with_the_address_typed_differently_merges_by_name_and_address(
        incident, user, people_csv):
    # Only name and address in common: no phone, e-mail or birth date to merge on.
    first = ["高橋 健,,,東京都世田谷区桜丘四丁目12番7号 メゾン桜 203号室,,,,"]
    again = ["髙橋 健,,,世田谷区桜丘４－１２－７－２０３,,,,"]
    actions.do_import_people(user, incident, people_csv(rows=first))
    result = actions.do_import_people(user, incident, people_csv(rows=again, name="b.csv"))
    assert result.people == 1


def test_a_household_at_one_address_stays_two_people(incident, user, people_csv):
    household = ["高橋 健,,,東京都世田谷区桜丘4-12-7-203,,,,",
                 "高橋 美咲,,,東京都世田谷区桜丘四丁目12番7号 203号室,,,,"]
    result = actions.do_import_people(user, incident, people_csv(rows=household))
    assert result.people == 2


def test_the_same_name_in_the_next_room_is_another_person(incident, user, people_csv):
    neighbours = ["高橋 健,,,東京都世田谷区桜丘4-12-7-203,,,,",
                  "高橋 健,,,東京都世田谷区桜丘4-12-7-204,,,,"]
    result = actions.do_import_people(user, incident, people_csv(rows=neighbours))
    assert result.people == 2


def test_a_bad_row_stops_the_import_and_nothing_is_written(incident, user, people_csv):
    rows = ROWS_WITH_BAD
    with pytest.raises(ActionError):
        actions.do_import_people(user, incident, people_csv(rows=rows), on_error="stop")
    assert Person.objects.count() == 0


def test_a_stopped_import_names_the_bad_row(incident, user, people_csv):
    with pytest.raises(ActionError) as raised:
        actions.do_import_people(user, incident, people_csv(rows=ROWS_WITH_BAD))
    assert raised.value.extra["row"] == 3


def test_a_bad_row_is_reported_with_its_row_number_when_skipped(incident, user, people_csv):
    result = actions.do_import_people(user, incident, people_csv(rows=ROWS_WITH_BAD),
                                      on_error="skip")
    assert result.rejected == [{"row": 3, "reason": "生年月日を日付として読めません"}]


def test_a_rejected_reason_never_holds_the_row_s_values(incident, user, people_csv):
    result = actions.do_import_people(user, incident, people_csv(rows=ROWS_WITH_BAD),
                                      on_error="skip")
    assert "佐藤" not in str(result.rejected)


ROWS_WITH_BAD = [
    "山田 太郎,ヤマダ タロウ,100-0001,東京都千代田区千代田1-1,090-1234-5678,taro@example.jp,1985-04-01,",
    "佐藤 花子,サトウ ハナコ,,,080-2222-3333,hanako@example.jp,生まれた日,",
]


def test_an_import_killed_midway_leaves_nothing(incident, user, people_csv, monkeypatch):
    from rouei.people import imports

    monkeypatch.setattr(imports, "BATCH_ROWS", 1)
    calls = {"n": 0}
    real = imports._write_batch

    def dies_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is stopped between two batches
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_write_batch", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        actions.do_import_people(user, incident, people_csv())
    assert Person.objects.count() == 0
    assert PersonKey.objects.count() == 0


def test_a_file_without_identity_columns_is_refused(incident, user, people_csv):
    with pytest.raises(ActionError) as raised:
        actions.do_import_people(user, incident, people_csv(header="注文番号,商品コード\n",
                                                             rows=["A-1,123"]))
    assert raised.value.code == "no_identity_columns"


def test_reference_numbers_are_unique_and_well_formed(incident, user, people_csv):
    from rouei.people.registry import normalise_reference

    actions.do_import_people(user, incident, people_csv())
    refs = [p.record().ref for p in Person.objects.all()]
    assert len({normalise_reference(r) for r in refs} - {None}) == 3


def test_an_import_records_one_audit_event_with_counts_only(incident, user, people_csv):
    from rouei.core.models import AuditEvent

    actions.do_import_people(user, incident, people_csv())
    event = AuditEvent.objects.filter(action="people.import").get()
    assert event.details["imported"] == 3


def test_the_dry_run_writes_nothing(incident, user, people_csv):
    actions.do_preview_import(user, incident, people_csv())
    assert Person.objects.count() == 0


def test_the_preview_masks_the_first_rows(incident, user, people_csv):
    preview = actions.do_preview_import(user, incident, people_csv())
    assert preview["first_rows"][0]["name"] != "山田 太郎"


def test_a_merged_person_s_record_reads_back(incident, user, people_csv):
    """A re-import rewrites records in bulk: each must still decrypt to the merged record."""
    actions.do_import_people(user, incident, people_csv())
    typed = ["山田　太郎,やまだ たろう,,,+81 90 1234 5678,yamada@example.jp,昭和60年4月1日,"]
    actions.do_import_people(user, incident, people_csv(rows=typed, name="b.csv"))
    [match] = actions.do_lookup(user, incident, phone="09012345678")
    assert match["email"].endswith("@example.jp")


def test_a_re_import_adds_no_key_twice(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    keys = PersonKey.objects.count()
    actions.do_import_people(user, incident, people_csv())
    assert PersonKey.objects.count() == keys


def test_a_phone_a_merge_brings_finds_the_person(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    new_phone = ["山田 太郎,,,,070-5555-6666,,1985-04-01,"]
    actions.do_import_people(user, incident, people_csv(rows=new_phone, name="b.csv"))
    assert len(actions.do_lookup(user, incident, phone="07055556666")) == 1


def test_a_merged_person_keeps_the_keys_they_had(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    new_phone = ["山田 太郎,,,,070-5555-6666,,1985-04-01,"]
    actions.do_import_people(user, incident, people_csv(rows=new_phone, name="b.csv"))
    assert len(actions.do_lookup(user, incident, phone="090-1234-5678")) == 1
