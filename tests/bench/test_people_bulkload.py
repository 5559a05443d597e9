"""The bench's registry loader (bench/people_bulkload.py) writes the keys the app would: each
person's key rows (with the digest's first 8 bytes beside it, as ``PersonKey`` keeps them)
equal ``rouei.people.registry.digests`` of the record sealed in the person's row, computed afresh — also when the loader's memo of address forms answers from earlier
people — and its people keep their households and former names."""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import people_bulkload

from rouei.core.crypto import decrypt
from rouei.people.models import digest_prefix
from rouei.people.registry import PersonRecord, digests

PEOPLE = 2_000


def _loaded(people: bytes, keys: bytes) -> tuple[dict[int, PersonRecord], dict[int, set]]:
    records = {}
    for line in people.decode().splitlines():
        columns = line.split("\t")
        records[int(columns[0])] = PersonRecord.from_json(decrypt(columns[4]))
    stored: dict[int, set] = {}
    for line in keys.decode().splitlines():
        person_id, _incident, kind, digest, prefix = line.split("\t")
        digest = bytes.fromhex(digest[3:])
        if int(prefix) == digest_prefix(digest):
            stored.setdefault(int(person_id), set()).add((kind, digest))
    return records, stored


@pytest.fixture(scope="module")
def chunk():
    # The same people twice: the second time every address form comes from the memo.
    people_bulkload.make_chunk((0, PEOPLE, 1, 7, "test"))
    people, keys, _sample, _count = people_bulkload.make_chunk((0, PEOPLE, 1, 7, "test"))
    return _loaded(people, keys)


def test_each_persons_key_rows_are_the_apps_keys_of_their_record(chunk):
    records, stored = chunk
    differing = [pid for pid, record in records.items()
                 if stored.get(pid, set()) != set(digests(record))]
    assert differing == []


def test_people_with_a_postal_address_have_address_keys(chunk):
    records, stored = chunk
    with_address = [pid for pid, record in records.items() if record.address]
    assert all(any(kind == "name_address" for kind, _ in stored[pid]) for pid in with_address)


def test_about_one_person_in_twelve_shares_the_household_of_the_one_before(chunk):
    records, _stored = chunk
    ordered = [records[pid] for pid in sorted(records)]
    shared = sum(1 for before, person in pairwise(ordered)
                 if person.address and person.address == before.address
                 and set(person.phones) & set(before.phones) - {person.phones[0]})
    # 8 % drawn as households, of whom the 30 % with two phones show the shared landline.
    assert 0.01 * PEOPLE < shared < 0.06 * PEOPLE


def test_about_one_person_in_ten_has_a_former_name(chunk):
    records, _stored = chunk
    former = sum(1 for record in records.values() if record.former_names)
    assert 0.07 * PEOPLE < former < 0.13 * PEOPLE
