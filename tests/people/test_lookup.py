"""Looking people up: normalisation, identity tiers, claims, roles, nothing in clear."""

from __future__ import annotations

import pytest
from django.db import connection

from rouei.core.errors import ActionError
from rouei.people import actions
from rouei.people.models import Person
from rouei.people.tiers import Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    return {p.record().name: p for p in Person.objects.all()}


@pytest.mark.parametrize("phone", ["090-1234-5678", "０９０－１２３４－５６７８", "+81 90 1234 5678",
                                   "9012345678", "(090)1234-5678"])
def test_a_phone_is_found_however_it_is_typed(incident, user, registry, phone):
    assert len(actions.do_lookup(user, incident, phone=phone)) == 1


def test_an_e_mail_is_found_in_capitals_and_full_width(incident, user, registry):
    assert len(actions.do_lookup(user, incident, email="ＴＡＲＯ@EXAMPLE.JP")) == 1


def test_a_name_is_found_with_its_birth_date_in_an_era(incident, user, registry):
    assert len(actions.do_lookup(user, incident, name="山田　太郎", birth_date="S60.4.1")) == 1


def test_a_reading_in_half_width_kana_finds_the_person(incident, user, registry):
    assert len(actions.do_lookup(user, incident, name="ﾔﾏﾀﾞ ﾀﾛｳ", birth_date="1985-04-01")) == 1


def test_a_reference_number_is_found_in_lower_case_without_dashes(incident, user, registry):
    ref = registry["山田 太郎"].record().ref
    assert len(actions.do_lookup(user, incident, ref=ref.replace("-", "").lower())) == 1


def test_nobody_matches_gives_an_empty_list(incident, user, registry):
    assert actions.do_lookup(user, incident, phone="090-0000-0000") == []


def test_a_match_shows_contact_data_masked(incident, user, registry):
    match = actions.do_lookup(user, incident, phone="090-1234-5678")[0]
    assert "1234" not in match["phones"][0]


def test_a_name_alone_is_not_a_look_up(incident, user, registry):
    with pytest.raises(ActionError):
        actions.do_lookup(user, incident, name="山田太郎")


def test_the_window_tells_a_verified_caller_their_items(incident, user, registry):
    ref = registry["山田 太郎"].record().ref
    answer = actions.do_window_lookup(user, incident, ref=ref, birth_date="1985-04-01")
    assert answer.tier == Tier.VERIFIED


def test_a_wrong_birth_date_keeps_the_caller_anonymous(incident, user, registry):
    ref = registry["山田 太郎"].record().ref
    answer = actions.do_window_lookup(user, incident, ref=ref, birth_date="1985-04-02")
    assert answer.person is None


def test_a_phone_alone_does_not_verify_a_caller(incident, user, registry):
    answer = actions.do_window_lookup(user, incident, phone="090-1234-5678")
    assert answer.tier == Tier.ANONYMOUS


def test_a_name_and_a_phone_on_record_verify_a_caller(incident, user, registry):
    answer = actions.do_window_lookup(user, incident, name="やまだ たろう", phone="09012345678")
    assert answer.tier == Tier.VERIFIED


def test_a_claim_with_the_number_and_birth_date_is_accepted(incident, user, registry):
    ref = registry["佐藤 花子"].record().ref
    [result] = actions.do_check_claims(user, incident, [{"ref": ref, "birth_date": "1990/12/24"}])
    assert result["result"] == "accepted"


def test_a_second_claim_of_the_same_person_is_refused(incident, user, registry):
    claim = {"ref": registry["佐藤 花子"].record().ref, "birth_date": "1990-12-24"}
    actions.do_check_claims(user, incident, [claim])
    [again] = actions.do_check_claims(user, incident, [claim])
    assert again["code"] == "already_claimed"


def test_a_claimant_not_in_the_registry_is_refused_with_a_reason(incident, user, registry):
    [result] = actions.do_check_claims(user, incident,
                                       [{"ref": "AAAA-AAAA-AAAA", "birth_date": "1990-12-24"}])
    assert result["reason"]


def test_a_wrong_birth_date_and_an_unknown_number_get_the_same_answer(incident, user, registry):
    """Enumeration safety: a guesser cannot tell a real number from an invented one."""
    real = {"ref": registry["佐藤 花子"].record().ref, "birth_date": "1991-01-01"}
    invented = {"ref": "CCCC-CCCC-CCCC", "birth_date": "1991-01-01"}
    first, second = actions.do_check_claims(user, incident, [real, invented])
    assert (first["code"], first["reason"]) == (second["code"], second["reason"])


def test_an_operator_cannot_search_the_registry(incident, user, member, registry):
    from django.core.exceptions import PermissionDenied

    operator = member("call_centre")
    with pytest.raises(PermissionDenied):
        actions.do_lookup(operator, incident, phone="090-1234-5678")


def test_an_operator_cannot_export_print_data(incident, member, registry):
    import io

    from django.core.exceptions import PermissionDenied

    operator = member("call_centre")
    with pytest.raises(PermissionDenied):
        actions.do_export_print_data(operator, incident, io.BytesIO())


def test_an_operator_can_use_the_window(incident, member, registry):
    operator = member("call_centre")
    answer = actions.do_window_lookup(operator, incident, phone="090-1234-5678")
    assert answer.tier == Tier.ANONYMOUS


def test_every_look_up_is_audited_without_the_values(incident, user, registry):
    from rouei.core.models import AuditEvent

    actions.do_window_lookup(user, incident, phone="090-1234-5678")
    event = AuditEvent.objects.filter(action="people.window_lookup.view").get()
    assert "1234" not in str(event.details)


PERSONAL_VALUES = ["山田", "ヤマダ", "taro@example.jp", "09012345678", "090-1234-5678",
                   "1985-04-01", "千代田", "1000001", "4111111111111111"]


def test_the_raw_database_holds_no_personal_value_in_clear(incident, user, registry):
    """Every table, every row, read with a plain cursor: no name, reading, e-mail, phone,
    birth date, address, postal code or card number of the imported people."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                text = " ".join(str(bytes(v)) if isinstance(v, (bytes, memoryview)) else str(v)
                                for v in row)
                found += [(table, v) for v in PERSONAL_VALUES if v in text]
    assert found == []


def test_print_data_is_cp932_with_a_row_per_person_with_an_address(incident, user, registry):
    import io

    out = io.BytesIO()
    actions.do_export_print_data(user, incident, out)
    lines = out.getvalue().decode("cp932").splitlines()
    assert len(lines) == 3  # the header and two people with a postal address


def test_print_data_lists_the_person_s_items_in_japanese(incident, user, registry):
    import io

    out = io.BytesIO()
    actions.do_export_print_data(user, incident, out)
    assert "クレジットカード番号" in out.getvalue().decode("cp932")


# Name + address (the window's fourth way, notices-and-victims.md §4: "full match on name plus
# address ... on record"). 佐藤 花子 is on record at 大阪府大阪市北区梅田1-2-3.
@pytest.mark.parametrize("address", ["大阪府大阪市北区梅田1-2-3", "大阪市北区梅田１－２－３",
                                     "大阪府大阪市北区梅田1丁目2番3号", "〒530-0001 大阪市北区梅田一丁目2番3号",
                                     "大阪府 大阪市 北区 梅田 1−2−3"])
def test_a_name_and_the_address_on_record_verify_a_caller(incident, user, registry, address):
    answer = actions.do_window_lookup(user, incident, name="佐藤　花子", address=address)
    assert answer.person == registry["佐藤 花子"]


def test_a_name_in_kana_and_the_address_find_the_person(incident, user, registry):
    matches = actions.do_lookup(user, incident, name="佐藤花子", address="大阪市北区梅田1-2-3")
    assert [m["ref"] for m in matches] == [registry["佐藤 花子"].record().ref]


def test_a_name_with_another_address_is_not_verified(incident, user, registry):
    answer = actions.do_window_lookup(user, incident, name="佐藤花子",
                                      address="大阪府大阪市北区梅田1-2-4")
    assert answer.tier == Tier.ANONYMOUS


def test_another_name_at_the_address_is_not_verified(incident, user, registry):
    """A household: the address alone never identifies one person."""
    answer = actions.do_window_lookup(user, incident, name="佐藤次郎",
                                      address="大阪府大阪市北区梅田1-2-3")
    assert answer.person is None


def test_an_address_alone_is_not_a_look_up(incident, user, registry):
    with pytest.raises(ActionError) as raised:
        actions.do_lookup(user, incident, address="大阪府大阪市北区梅田1-2-3")
    assert raised.value.code == "address_needs_name"


# A caller who leaves out the building and room the record holds (田中 美咲: 梅田1-2-3 グランド
# ハイツ305号室): found by the name and the place, but that is not the full match on the address
# the tiers ask for.
@pytest.fixture
def flat_registry(incident, user, people_csv):
    from tests.people.conftest import ROWS

    actions.do_import_people(user, incident, people_csv(rows=[*ROWS, (
        "田中 美咲,タナカ ミサキ,530-0001,大阪府大阪市北区梅田1-2-3 グランドハイツ305号室,"
        "080-4444-5555,misaki@example.jp,1988-07-07,")]))
    return {p.record().name: p for p in Person.objects.all()}


@pytest.mark.parametrize("address", ["大阪府大阪市北区梅田1-2-3", "大阪市北区梅田１丁目２番３号"])
def test_a_caller_who_leaves_out_the_room_is_found(incident, user, flat_registry, address):
    matches = actions.do_lookup(user, incident, name="田中美咲", address=address)
    assert [m["ref"] for m in matches] == [flat_registry["田中 美咲"].record().ref]


# Kyoto's 通り名: 伊藤 涼 lives at 烏丸通四条上ル笋町123 (the town 笋町 on 烏丸通 north of 四条),
# room 405; callers say the street form or the town alone, seldom the room.
@pytest.fixture
def kyoto_registry(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv(rows=[
        "伊藤 涼,イトウ リョウ,604-8152,京都府京都市中京区烏丸通四条上ル笋町123 烏丸マンション405号室,"
        "080-6666-7777,ryo@example.jp,1979-03-03,",
        "森 陽子,モリ ヨウコ,604-8152,京都府京都市中京区烏丸通四条上ル笋町125,"
        "080-6666-8888,yoko@example.jp,1981-05-05,"]))
    return {p.record().name: p for p in Person.objects.all()}


@pytest.mark.parametrize("address", ["京都市中京区烏丸通四条上る笋町123",
                                     "京都府京都市中京区烏丸通り四条上ル笋町１２３番地",
                                     "京都市中京区笋町123"])
def test_a_kyoto_caller_who_leaves_out_the_room_is_found(incident, user, kyoto_registry,
                                                          address):
    matches = actions.do_lookup(user, incident, name="伊藤涼", address=address)
    assert [m["ref"] for m in matches] == [kyoto_registry["伊藤 涼"].record().ref]


@pytest.mark.parametrize("address", ["京都市中京区烏丸通四条上る笋町125",
                                     "京都市中京区笋町125"])
def test_a_kyoto_caller_without_a_room_is_found_by_the_town(incident, user, kyoto_registry,
                                                            address):
    matches = actions.do_lookup(user, incident, name="森陽子", address=address)
    assert [m["ref"] for m in matches] == [kyoto_registry["森 陽子"].record().ref]


def test_a_kyoto_caller_at_another_number_is_not_found(incident, user, kyoto_registry):
    assert actions.do_lookup(user, incident, name="伊藤涼",
                             address="京都市中京区烏丸通四条上ル笋町125") == []


def test_a_caller_who_gives_another_room_is_not_found(incident, user, flat_registry):
    assert actions.do_lookup(user, incident, name="田中美咲",
                             address="大阪府大阪市北区梅田1-2-3 グランドハイツ306号室") == []


def test_a_name_and_the_address_without_the_room_do_not_verify(incident, user, flat_registry):
    answer = actions.do_window_lookup(user, incident, name="田中美咲",
                                      address="大阪府大阪市北区梅田1-2-3")
    assert answer.tier == Tier.ANONYMOUS


def test_the_address_without_the_room_and_the_birth_date_verify(incident, user, flat_registry):
    answer = actions.do_window_lookup(user, incident, name="田中美咲", birth_date="1988-07-07",
                                      address="大阪府大阪市北区梅田1-2-3")
    assert answer.person == flat_registry["田中 美咲"]


def test_the_full_address_still_finds_only_the_person_at_it(incident, user, flat_registry):
    """佐藤 花子 lives at 梅田1-2-3 without a room: the full key wins over the place."""
    matches = actions.do_lookup(user, incident, name="佐藤花子", address="大阪市北区梅田1-2-3")
    assert [m["ref"] for m in matches] == [flat_registry["佐藤 花子"].record().ref]


def test_a_moved_caller_is_still_verified_by_name_and_birth_date(incident, user, registry):
    """An address that is not the one on record contradicts nothing (people move)."""
    answer = actions.do_window_lookup(user, incident, name="佐藤花子", birth_date="1990-12-24",
                                      address="北海道札幌市中央区北一条西1-1")
    assert answer.tier == Tier.VERIFIED


def test_print_data_cut_in_batches_is_the_same_file(incident, user, registry):
    """The batches a pool's workers write (one per batch), joined in order, are the file."""
    import io

    from rouei.people import printdata

    printdata.BATCH, batch = 1, printdata.BATCH  # two batches for two people
    try:
        alone = io.BytesIO()
        actions.do_export_print_data(user, incident, alone)
        tasks = list(printdata._ranges(incident.pk, False))
        joined = alone.getvalue().split(b"\r\n", 1)[0] + b"\r\n" + b"".join(
            printdata._batch(task)[0] for task in tasks)
    finally:
        printdata.BATCH = batch
    assert (len(tasks), joined) == (2, alone.getvalue())


@pytest.mark.django_db(transaction=True)
def test_print_data_on_every_core_is_the_file_one_process_writes(user, people_csv, settings):
    """The real pool (PostgreSQL: its workers read committed rows over their own
    connections)."""
    import io

    from rouei.incidents import actions as incident_actions
    from rouei.people import printdata

    if connection.vendor != "postgresql":
        pytest.skip("the pool's workers need a database other processes can open")
    incident = incident_actions.do_create_incident(title="t", facts={}, actor=user)
    actions.do_import_people(user, incident, people_csv())
    alone, pooled = io.BytesIO(), io.BytesIO()
    settings.ROUEI_PRINT_PARALLEL_FROM = 10**9
    actions.do_export_print_data(user, incident, alone)
    settings.ROUEI_PRINT_PARALLEL_FROM, settings.ROUEI_PRINT_PROCESSES = 1, 2
    printdata.BATCH, batch = 1, printdata.BATCH
    try:
        assert printdata.processes(2) == 2
        actions.do_export_print_data(user, incident, pooled)
    finally:
        printdata.BATCH = batch
    assert pooled.getvalue() == alone.getvalue()


def test_print_data_writes_a_wave_dash_as_cp932_has_it(incident, user, people_csv):
    import io

    rows = ["山田 太郎,ヤマダ タロウ,100-0001,東京都千代田区千代田1〜2,090-1234-5678,,,"]
    actions.do_import_people(user, incident, people_csv(rows))
    out = io.BytesIO()
    actions.do_export_print_data(user, incident, out)
    assert "千代田1～2" in out.getvalue().decode("cp932")


def test_a_person_found_by_a_look_up_is_the_person_the_orm_reads(incident, registry):
    from rouei.people import services
    from rouei.people.registry import Query

    found = services.find(incident, Query.build(phone="090-1234-5678"))[0]
    stored = Person.objects.get(pk=found.pk)
    fields = [f.attname for f in Person._meta.concrete_fields]
    assert [getattr(found, name) for name in fields] == [getattr(stored, name)
                                                         for name in fields]


def test_a_look_up_maps_no_columns_to_fields_through_raw(incident, registry, monkeypatch):
    from django.db.models.query import RawQuerySet

    from rouei.people import services
    from rouei.people.registry import Query

    def refused(self, *args, **kwargs):
        raise AssertionError("raw() used")

    monkeypatch.setattr(RawQuerySet, "__iter__", refused)
    assert services.find(incident, Query.build(phone="090-1234-5678")) != []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's audited read")
@pytest.mark.django_db(transaction=True)
def test_a_look_up_after_another_process_audited_signs_its_event_once(incident, user, registry,
                                                                     monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from rouei.core import audit
    from rouei.core.models import AuditEvent

    actions.do_lookup(user, incident, phone="090-1234-5678")
    first = AuditEvent.objects.order_by("sequence").first()
    # As if another process had written every event since the first.
    monkeypatch.setattr(audit, "_head_guess", (first.sequence, first.hash))
    with CaptureQueriesContext(connection) as captured:
        actions.do_lookup(user, incident, phone="090-1234-5678")
    audit_messages = [q for q in captured.captured_queries if "core_auditevent" in q["sql"]]
    assert len(audit_messages) == 1  # the head read with the search: the guess was right


# --- a name with the place said without a room ---------------------------------------------

NAMESAKES = [
    "田中 健太,タナカ ケンタ,530-0001,大阪府大阪市北区梅田7-26-15,090-1111-0001,,1980-01-01,",
    "田中 健太,タナカ ケンタ,530-0001,大阪府大阪市北区梅田7-26-15 コーポ山田201,090-1111-0002,,"
    "1990-02-02,",
]


def test_a_namesake_without_a_room_does_not_hide_the_caller_in_the_building(incident, user,
                                                                          people_csv):
    """The caller says the place without the building and room: the person at that place with
    a room on record is found beside a namesake with none (the bench's wrong answers at 10 M
    people, session 14)."""
    actions.do_import_people(user, incident, people_csv(rows=NAMESAKES))
    found = actions.do_lookup(user, incident, name="田中健太", address="大阪市北区梅田7丁目26番15号")
    assert len(found) == 2


def test_a_caller_who_says_the_room_finds_only_that_person(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv(rows=NAMESAKES))
    found = actions.do_lookup(user, incident, name="田中健太",
                              address="大阪市北区梅田7-26-15 コーポ山田201")
    assert len(found) == 1
