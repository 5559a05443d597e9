"""The new people's rows of an import as PostgreSQL's COPY text, written by the compiled kernel
(``_rowkeys.people_copy``, issue 12): byte for byte what the Python form
(``bulk._people_copy_text``) writes — or the registry would depend on which one wrote it — and
every field stored as given, whatever tabs, line breaks or backslashes the controller holds."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.people import _rowkeys, bulk
from rouei.people.models import Person

ITEMS = st.frozensets(st.sampled_from(["person_name", "email", "phone", "address",
                                       "birth_date", "credit_card", 'a"b\\c\td']), max_size=4)
TEXT = st.text(alphabet=st.sampled_from("aZ09 山田ｱ\t\n\r\\\"'\x00é😀"), max_size=12)
ROW = st.tuples(
    st.one_of(st.integers(0, 2**63 - 1), st.integers(-(2**70), 2**70)),
    st.text(alphabet="ABCDEFGHabcdefgh0123456789-_=:", max_size=40),  # a sealed token: base64
    ITEMS,
    st.one_of(st.booleans(), st.integers(0, 2)),
    TEXT,
    st.booleans(),
    st.one_of(st.booleans(), st.sampled_from(["", "x"])),
)


def _compiled(rows, head, tail):
    texts = {items: bulk._copy_text(bulk._items_json(frozenset(items)))
             for items in {row[2] for row in rows}}
    return _rowkeys.people_copy(rows, head, texts, tail)


@settings(max_examples=300, deadline=None)
@given(st.lists(ROW, max_size=20), TEXT, st.sampled_from(["not_notified", "送付済", ""]))
def test_the_compiled_copy_text_is_the_python_forms_utf8(rows, head, tail):
    assert _compiled(rows, head, tail) == bulk._people_copy_text(rows, head, tail).encode()


@settings(max_examples=100, deadline=None)
@given(st.lists(ROW, max_size=20))
def test_the_copy_text_is_the_same_without_the_compiled_kernel(rows):
    head = "\t2026-12-07T00:00:00+00:00\t2026-12-07T00:00:00+00:00\t7\t"
    compiled = bulk._people_copy(rows, head, "not_notified")
    saved = bulk._rowkeys
    bulk._rowkeys = None
    try:
        python = bulk._people_copy(rows, head, "not_notified")
    finally:
        bulk._rowkeys = saved
    assert compiled == python.encode()


def test_a_row_without_its_items_text_is_refused():
    with pytest.raises(KeyError):
        _rowkeys.people_copy([(1, "t", frozenset({"email"}), True, "", True, True)], "\t", {},
                             "n")


def test_a_row_of_the_wrong_shape_is_refused():
    with pytest.raises(TypeError):
        _rowkeys.people_copy([(1, "t")], "\t", {}, "n")


def test_a_controller_that_is_not_text_is_refused():
    with pytest.raises(TypeError):
        _rowkeys.people_copy([(1, "t", frozenset(), True, 5, True, True)], "\t",
                             {frozenset(): "[]"}, "n")


CONTROLLER = "株式会社\tサンプル\n商事\\本社\r"


@pytest.fixture
def written(incident):
    ids = bulk.reserve_ids(2)
    bulk.insert_people(incident.pk, [
        (ids[0], "sealed-one", frozenset({"phone", "email"}), True, CONTROLLER, True, False),
        (ids[1], "sealed-two", frozenset(), False, "", False, True)])
    return {p.pk: p for p in Person.objects.filter(incident=incident)}, ids


@pytest.mark.django_db
def test_a_controller_with_tabs_line_breaks_and_backslashes_is_stored_as_given(written):
    people, ids = written
    assert people[ids[0]].controller == CONTROLLER


@pytest.mark.django_db
def test_the_items_are_stored_sorted(written):
    people, ids = written
    assert people[ids[0]].items == ["email", "phone"]


@pytest.mark.django_db
def test_the_sealed_token_is_stored_as_given(written):
    _people, ids = written
    with connection.cursor() as cursor:  # the model's field would open it
        cursor.execute(f'SELECT sealed FROM "{Person._meta.db_table}" WHERE id = %s',
                       [ids[1]])
        assert cursor.fetchone()[0] == "sealed-two"


@pytest.mark.django_db
def test_the_flags_are_stored_as_given(written):
    people, ids = written
    assert (people[ids[1]].confirmed, people[ids[1]].has_email, people[ids[1]].has_postal) == \
        (False, False, True)
