"""What the incident page's cards keep between views, and when they must build again.

A card whose content is derived from many rows (the PPC report's missing fields, the mistake
check) keeps it per incident in this process's memory, under a *fingerprint*: a tuple that
changes whenever a row it reads is added, changed or removed. ``fingerprint(incident, ...)``
reads it in one query: for each named relation of the incident its row count, newest id and
(when the model has one) newest ``updated_at``; a deleted row lowers the count, a new row
raises the newest id, an edit moves ``updated_at`` (``auto_now``). Another process's write is
seen too: the fingerprint is read from the database on every view, only the build is skipped.

``Remembered`` is the per-card memory (bounded, thread-safe; gthread workers share it).

``core`` names no app: the cards pass their relation names.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db import connection
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from rouei.core import prepared


def fingerprint(incident, *relations: str, request=None) -> tuple:
    """The incident's ``version`` and ``updated_at``, then (count, newest id, newest
    ``updated_at``) of each relation in ``relations`` (reverse relations of the incident by
    their ``related_name``, or a whole table shared by every incident by its model's label,
    e.g. ``"playbooks.Playbook"``), from one query. With ``request``, what was read is kept on the
    request: the cards of one view ask the database once (``prefetch``), and again only for a
    relation not read yet."""
    known: dict[str, tuple] = {}
    if request is not None:
        known = request.__dict__.setdefault("_rouei_fingerprints", {}).setdefault(
            incident.pk, {})
    missing = tuple(sorted({name for name in relations if name not in known}))
    if missing or "" not in known:
        sql = _sql(type(incident), missing, connection.vendor)
        with prepared.cursor() as cursor:
            cursor.execute(sql, [incident.pk] * (1 + sum("." not in name for name in missing)))
            rows = cursor.fetchall()
        found = {row[0]: tuple(row[1:]) for row in rows}  # by the row's number
        for number, name in enumerate(("", *missing)):
            known[name] = found.get(number)  # None: no such incident
    return tuple(known[name] for name in ("", *relations))


def user_names(incident, *pointers: str, request=None) -> tuple:
    """``(id, user name)`` of every user the incident's rows point to by ``pointers``
    (``"relation.field"``, e.g. ``"tasks.owner"``: a foreign key to the user model), by id,
    from one query. A user renamed changes no row of the incident: a kept part that shows
    user names puts these in its key. With ``request``, the names read for more pointers in
    this view (``prefetch``) answer: a superset, which changes whenever these do."""
    read: list = []
    if request is not None:
        read = request.__dict__.setdefault("_rouei_user_names", {}).setdefault(incident.pk, [])
    for known, names in read:
        if known >= set(pointers):
            return names
    sql = _names_sql(type(incident), tuple(sorted(set(pointers))), connection.vendor)
    with prepared.cursor() as cursor:
        cursor.execute(sql, [incident.pk] * len(set(pointers)))
        names = tuple(cursor.fetchall())
    read.append((frozenset(pointers), names))
    return names


def kept_html(memory: Remembered, request, incident_id: int, key: Hashable,
              build: Callable[[str], str]) -> str:
    """HTML kept in ``memory`` until ``key`` changes: ``build(csrf_token)`` renders it with a
    placeholder for the token of its forms, which is replaced by this view's."""
    html = memory.get(incident_id, key, lambda: build(CSRF_PLACEHOLDER))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 — rendered templates, autoescaped


# Not a token (a token has only letters and digits): replaced in every view.
CSRF_PLACEHOLDER = "__rouei-csrf-token__"


def prefetch(incident, relations, request, names=()) -> None:
    """Read the fingerprints of ``relations`` in one query, and the user names of ``names``
    in another (if any), kept on ``request``."""
    fingerprint(incident, *relations, request=request)
    if names:
        user_names(incident, *names, request=request)


@lru_cache(maxsize=64)
def _sql(model, relations: tuple[str, ...], vendor: str) -> str:
    """Plain SQL, built once: the ORM took 7 ms of CPU to compile the same as subqueries,
    on every view. One ``UNION ALL`` row per table; ``vendor`` keys the cache only."""
    quote = connection.ops.quote_name
    meta = model._meta
    parts = [f"SELECT 0, {quote(meta.get_field('version').column)}, 0, "  # noqa: S608
             f"{quote(meta.get_field('updated_at').column)} FROM {quote(meta.db_table)} "
             f"WHERE {quote(meta.pk.column)} = %s"]
    for name in relations:
        if "." in name:  # a table of its own, not the incident's rows
            related, where = apps.get_model(name)._meta, ""
        else:
            field = meta.get_field(name)
            related = field.related_model._meta
            where = f" WHERE {quote(field.field.column)} = %s"
        changed = (quote(related.get_field("updated_at").column)
                   if any(f.name == "updated_at" for f in related.concrete_fields) else None)
        parts.append(
            f"SELECT {len(parts)}, COUNT(*), MAX({quote(related.pk.column)}), "  # noqa: S608
            f"{f'MAX({changed})' if changed else 'NULL'} FROM {quote(related.db_table)}{where}")
    return " UNION ALL ".join(parts) + " ORDER BY 1"


@lru_cache(maxsize=16)
def _names_sql(model, pointers: tuple[str, ...], vendor: str) -> str:
    quote = connection.ops.quote_name
    selects, users = [], None
    for pointer in pointers:
        relation, name = pointer.split(".")
        field = model._meta.get_field(relation)
        related = field.related_model._meta
        users = related.get_field(name).related_model._meta
        selects.append(f"SELECT {quote(related.get_field(name).column)} "  # noqa: S608
                       f"FROM {quote(related.db_table)} WHERE {quote(field.field.column)} = %s")
    username = quote(users.get_field(users.model.USERNAME_FIELD).column)
    pk = quote(users.pk.column)
    return (f"SELECT {pk}, {username} FROM {quote(users.db_table)} "  # noqa: S608
            f"WHERE {pk} IN ({' UNION '.join(selects)}) ORDER BY 1")


class Remembered:
    """What a card built, per incident, until its key changes: ``get(incident_id, key,
    build)`` answers the kept value when ``key`` is the one it was kept under, and otherwise
    calls ``build()`` and keeps that. At most ``size`` incidents (the least recently shown
    go first)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._kept: OrderedDict[int, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()
        _every.add(self)

    def get(self, incident_id: int, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            known = self._kept.get(incident_id)
            if known is not None and known[0] == key:
                self._kept.move_to_end(incident_id)
                return known[1]
        value = build()
        with self._lock:
            self._kept[incident_id] = (key, value)
            self._kept.move_to_end(incident_id)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return value

    def peek(self, incident_id: int, key: Hashable) -> Any:
        """The value kept under ``key``, or ``None`` (nothing kept, or under another key)."""
        with self._lock:
            known = self._kept.get(incident_id)
            if known is not None and known[0] == key:
                self._kept.move_to_end(incident_id)
                return known[1]
        return None

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_every: weakref.WeakSet[Remembered] = weakref.WeakSet()


def forget_all() -> None:
    """Empty every card's memory (tests: each starts from a new database)."""
    for memory in list(_every):
        memory.clear()
