"""Migration 0017: the key table's primary key holds the digest's first 8 bytes
(``digest_prefix``), the kind and the full digest stay in the row. An existing registry keeps
its keys and is found as before; a key sharing only its first 8 bytes with a caller's finds
nobody; a reference number is still refused twice by the database."""

from __future__ import annotations

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.people import actions, bulk
from rouei.people.models import Person, PersonKey, digest_prefix
from rouei.people.registry import Query

BEFORE = [("people", "0016_person_incident_unchecked")]
# The ORM's error, or psycopg's own from a COPY (which Django's cursor wrapper does not see).
REFUSED = (IntegrityError, psycopg.IntegrityError)
CALLERS = ({"phone": "090-1234-5678"}, {"email": "hanako@example.jp"},
           {"name": "鈴木 一郎", "birth_date": "1970-01-15"})


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def _latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _rows() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute('SELECT person_id, incident_id, kind, digest FROM "people_personkey"')
        return {(p, i, k, bytes(d)) for p, i, k, d in cursor.fetchall()}


def _found(user, incident) -> list[list[str]]:
    return [[m["ref"] for m in actions.do_lookup(user, incident, **caller)] for caller in CALLERS]


@pytest.fixture
def registry(user, incident, people_csv):
    actions.do_import_people(user, incident, people_csv())
    yield _rows()
    _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_undoing_the_migration_keeps_every_key(registry):
    _migrate(BEFORE)
    assert _rows() == registry


@pytest.mark.django_db(transaction=True)
def test_migrating_an_old_registry_keeps_every_key(registry):
    _migrate(BEFORE)
    _migrate(_latest())
    assert _rows() == registry


@pytest.mark.django_db(transaction=True)
def test_a_migrated_key_holds_its_digests_first_eight_bytes(registry):
    _migrate(BEFORE)
    _migrate(_latest())
    prefixes = PersonKey.objects.values_list("digest", "digest_prefix")
    assert all(prefix == digest_prefix(digest) for digest, prefix in prefixes)


@pytest.mark.django_db(transaction=True)
def test_a_migrated_registry_finds_the_same_people(user, incident, registry):
    before = _found(user, incident)
    _migrate(BEFORE)
    _migrate(_latest())
    assert _found(user, incident) == before


@pytest.mark.django_db(transaction=True)
def test_every_caller_is_found_in_a_migrated_registry(user, incident, registry):
    _migrate(BEFORE)
    _migrate(_latest())
    assert [len(refs) for refs in _found(user, incident)] == [1, 1, 1]


def _same_first_bytes(digest: bytes) -> bytes:
    """Another digest with ``digest``'s first 8 bytes (what a 64-bit prefix cannot tell apart)."""
    return digest[:8] + bytes(b ^ 0xFF for b in digest[8:])


@pytest.fixture
def impostor(user, incident, people_csv):
    """A registry of one person (佐藤) and a second person whose phone key has the first 8
    bytes of 090-1234-5678's digest, a number nobody in the registry has."""
    actions.do_import_people(user, incident, people_csv(rows=[
        "佐藤 花子,サトウ ハナコ,530-0001,大阪府大阪市北区梅田1-2-3,080-2222-3333,"
        "hanako@example.jp,1990-12-24,"]))
    other = Person.objects.get(incident=incident)
    ((_kind, (wanted, *_)),) = Query.build(phone="090-1234-5678").digests()
    PersonKey.objects.create(person=other, incident=incident, kind="phone",
                             digest=_same_first_bytes(wanted))
    return wanted


@pytest.mark.django_db
def test_a_key_sharing_only_the_first_bytes_finds_nobody_at_the_window(user, incident,
                                                                        impostor):
    assert actions.do_lookup(user, incident, phone="090-1234-5678") == []


@pytest.mark.django_db
def test_a_key_sharing_only_the_first_bytes_is_no_merge_candidate(incident, impostor):
    assert bulk.find_keys(incident.pk, {("phone", impostor)}) == []


@pytest.mark.django_db
def test_a_key_sharing_its_first_bytes_with_a_persons_does_not_hide_them(user, incident,
                                                                        impostor, people_csv):
    actions.do_import_people(user, incident, people_csv(rows=[
        "山田 太郎,ヤマダ タロウ,,,090-1234-5678,,1985-04-01,"], name="yamada.csv"))
    yamada = Person.objects.get(incident=incident, keys__digest=impostor)
    found = actions.do_lookup(user, incident, phone="090-1234-5678")
    assert [m["ref"] for m in found] == [yamada.record().ref]


@pytest.mark.django_db
def test_a_reference_number_twice_is_refused_by_the_database(user, incident, people_csv):
    actions.do_import_people(user, incident, people_csv())
    first, second = Person.objects.filter(incident=incident).order_by("pk")[:2]
    taken = bytes(PersonKey.objects.get(person=first, kind="ref").digest)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonKey.objects.create(person=second, incident=incident, kind="ref", digest=taken)


@pytest.mark.django_db
def test_a_reference_number_twice_in_a_run_is_refused_by_the_database(user, incident,
                                                                      people_csv):
    actions.do_import_people(user, incident, people_csv())
    person = Person.objects.filter(incident=incident).first()
    taken = bytes(PersonKey.objects.get(person=person, kind="ref").digest)
    with pytest.raises(REFUSED), transaction.atomic():
        bulk.insert_keys(incident.pk, [(person.pk + 1000, (("ref", (taken,)),))])


@pytest.mark.django_db
def test_a_run_of_every_kind_is_written_as_given(incident):
    import random

    rng = random.Random(17)
    given_rows = [(pid, kind, rng.randbytes(16)) for pid in range(9_000, 9_300)
                  for kind in ("ref", "phone", "email", "name_birth", "name_place")]
    given_rows.append((9_300, "phone", given_rows[1][2]))  # a phone two people share
    bulk.insert_keys(incident.pk, [(pid, ((kind, (digest,)),)) for pid, kind, digest in given_rows])
    written = {(p, k, bytes(d), prefix) for p, k, d, prefix in PersonKey.objects.values_list(
        "person_id", "kind", "digest", "digest_prefix")}
    assert written == {(p, k, d, digest_prefix(d)) for p, k, d in given_rows}


@pytest.mark.django_db
def test_a_merged_persons_keys_are_written_with_their_prefix(user, incident, people_csv):
    actions.do_import_people(user, incident, people_csv())
    actions.do_import_people(user, incident, people_csv(rows=[
        "山田 太郎,ヤマダ タロウ,100-0001,東京都千代田区千代田1-1,090-1234-5678,"
        "taro.new@example.jp,1985-04-01,"], name="again.csv"))
    prefixes = PersonKey.objects.values_list("digest", "digest_prefix")
    assert all(prefix == digest_prefix(digest) for digest, prefix in prefixes)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=16, max_size=16))
def test_the_prefix_is_the_first_eight_bytes_as_a_signed_integer(digest):
    prefix = digest_prefix(digest)
    assert (prefix & (2**64 - 1)).to_bytes(8, "big") == digest[:8]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.binary(min_size=16, max_size=16), min_size=1, max_size=50))
def test_a_run_comes_out_in_the_primary_keys_order(digests):
    runs = [("phone", bulk._sorted(b"".join(digests), list(range(len(digests)))))]
    first, _second, people, _codes = bulk._in_key_order(runs)
    keys = [(digest_prefix(int(f).to_bytes(8, "big")), int(p)) for f, p in zip(first, people,
                                                                              strict=True)]
    assert keys == sorted(keys)
