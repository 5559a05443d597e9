"""The print vendor's data (宛名印字データ) at mass-mailing scale: a million people in seconds.

The rows come out in the order of the letter queue (by person id). Each batch of
``BATCH`` people is read in one query, its records decrypted together (``crypto.decrypt_all``,
whatever form each is sealed in) and written as CP932 CSV bytes on its own; a large queue's
batches are done by a pool of processes, one per core, while this process writes the finished
ones in order (at most ``IN_FLIGHT`` batches wait, so memory does not grow with the registry).
A small queue, or one read inside a transaction (whose rows another process could not see), is
done here, batch by batch, with the same code.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
from collections.abc import Iterator
from functools import lru_cache

from django.conf import settings
from django.db import connection, connections

from rouei.core.crypto import decrypt_all
from rouei.documents.renderers.excel_csv import FORMULA_STARTS, cp932_variants, excel_cell
from rouei.people import notices
from rouei.people.registry import PersonRecord, item_labels

BATCH = 5_000
IN_FLIGHT = 4  # batches computed ahead of the writer, per process


@lru_cache(maxsize=4096)
def _item_cells(items: str, confirmed: bool) -> tuple[str, str, str, str]:
    # Thousands of people share one set of items (``items``: the column's JSON as read):
    # their labels and sentences once, as cells (a formula start made text).
    ids = tuple(json.loads(items))
    return tuple(_text_cell(v) for v in (
        "、".join(item_labels(ids)), "確定" if confirmed else "可能性",
        notices.certainty(confirmed), notices.personal_advice(ids)))


def _text_cell(value: str) -> str:
    """The cell as ``excel_cell`` writes it: a formula start made text (the CP932 variants
    are mapped once for a whole batch)."""
    return ("'" + value) if value.startswith(FORMULA_STARTS) else value


def _postal(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == 7 else code


def _queue(incident_id: int, only_unreached: bool):
    from rouei.people.actions import UNREACHED
    from rouei.people.models import Person

    people = Person.objects.filter(incident_id=incident_id, has_postal=True)
    if only_unreached:
        people = people.filter(notice_status__in=UNREACHED)
    return people


def _batch(task: tuple[int, bool, int, int]) -> tuple[bytes, int, int]:
    """People with ids ``first``..``last`` of the queue as CP932 CSV bytes: (bytes, rows,
    characters CP932 cannot hold, written as "?")."""
    incident_id, only_unreached, first, last = task
    # The query built by the ORM once per batch and its rows read as the database gives them
    # (no converter per cell): the sealed records decrypted together, the items' JSON text
    # as the key of their cells.
    query = (_queue(incident_id, only_unreached).filter(pk__gte=first, pk__lte=last)
             .order_by("pk").values_list("sealed", "items", "confirmed", "controller"))
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    records = decrypt_all([row[0] for row in rows])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    cells = _item_cells
    for text, (_sealed, items, confirmed, controller) in zip(records, rows, strict=True):
        ref, postal_code, address, name = PersonRecord.letter_fields(text)
        labels, certainty, sentence, advice = cells(items, bool(confirmed))
        writer.writerow((_text_cell(ref), _text_cell(_postal(postal_code)), _text_cell(address),
                         _text_cell(name), labels, certainty, _text_cell(controller), sentence,
                         advice))
    text = cp932_variants(buffer.getvalue())
    try:
        return text.encode("cp932"), len(rows), 0
    except UnicodeEncodeError:  # rare (外字 in a name): count them, write "?"
        replaced = sum(1 for ch in text if not _encodable(ch))
        return text.encode("cp932", errors="replace"), len(rows), replaced


def _encodable(char: str) -> bool:
    try:
        char.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def _ranges(incident_id: int, only_unreached: bool) -> Iterator[tuple[int, bool, int, int]]:
    """The queue cut into batches of ``BATCH`` people by id (an index scan of ids only)."""
    ids = (_queue(incident_id, only_unreached).order_by("pk")
           .values_list("pk", flat=True).iterator(chunk_size=50_000))
    first = last = None
    count = 0
    for pk in ids:
        if first is None:
            first = pk
        last = pk
        count += 1
        if count == BATCH:
            yield incident_id, only_unreached, first, last
            first, count = None, 0
    if first is not None:
        yield incident_id, only_unreached, first, last


def processes(people: int) -> int:
    """How many processes decrypt: one per core for a large queue (``ROUEI_PRINT_PROCESSES``
    caps it), none besides this one inside a transaction or for fewer than
    ``ROUEI_PRINT_PARALLEL_FROM`` people."""
    if connection.in_atomic_block or people < settings.ROUEI_PRINT_PARALLEL_FROM:
        return 0
    return max(0, min(settings.ROUEI_PRINT_PROCESSES or os.cpu_count() or 1,
                      os.cpu_count() or 1))


_INHERITED: list = []  # a child's copies of its parent's connections: kept, never used


def _own_connections() -> None:
    """In a pool's child: set aside any database connection the fork copied (its socket is
    the parent's; closing it would end the parent's session), so that this process opens its
    own at its first query."""
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None:
            _INHERITED.append(wrapper.connection)
            wrapper.connection = None


def write(handle, header, incident_id: int, *, only_unreached: bool = False) -> dict:
    """The header and every person of the queue written to the binary ``handle``: {"rows",
    "replaced_characters"}."""
    head = io.StringIO(newline="")
    csv.writer(head, lineterminator="\r\n").writerow([excel_cell(h) for h in header])
    handle.write(head.getvalue().encode("cp932"))
    people = _queue(incident_id, only_unreached).count()
    workers = processes(people)
    rows = replaced = 0
    if not workers:
        for task in _ranges(incident_id, only_unreached):
            data, count, bad = _batch(task)
            handle.write(data)
            rows, replaced = rows + count, replaced + bad
        return {"rows": rows, "replaced_characters": replaced}
    tasks = list(_ranges(incident_id, only_unreached))  # 200 ranges a million people
    # The children open their own connections: none is shared across the fork.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_own_connections) as pool:
        pending = []
        for task in tasks:
            pending.append(pool.apply_async(_batch, (task,)))
            if len(pending) >= IN_FLIGHT * workers:
                data, count, bad = pending.pop(0).get()
                handle.write(data)
                rows, replaced = rows + count, replaced + bad
        for result in pending:
            data, count, bad = result.get()
            handle.write(data)
            rows, replaced = rows + count, replaced + bad
    return {"rows": rows, "replaced_characters": replaced}
