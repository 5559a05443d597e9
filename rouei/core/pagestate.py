"""The whole body of the incident page kept between views (issue 15).

A repeated view of an incident whose rows have not changed does the access check, the audited
reads the page makes and the reads of ``state`` below, and renders nothing else: the body (the
page between the top bar and the footer) is kept per incident, language, role and ``?timeline``
under a key that changes whenever anything it shows may have changed.

``state(incident, summarised)`` reads, in one query, a digest of the incident's own row and of
**every** row of **every** relation of the incident (each reverse foreign key or one-to-one of
the model, found from its meta, so that a relation added later is covered without being named
here): any column changed, a row added or removed changes it, whether the write went through
``save()``, ``update()``, a bulk write or another process (PostgreSQL digests each row's id and
``xmin``, the transaction that wrote its version; SQLite the rows' text). The relations too
large to read on each view (the people registry and what grows with it) are named in
``summarised``: their tables record every write as a change of the incident
(``rouei.core.changes``, database triggers), and the stamp of those changes, read through an
index, stands for them all.

The CSRF token of the body's forms is a placeholder in the kept copy, filled in per view; the
per-user parts (the user's name, the top bar, messages) are in ``base.html``, rendered on every
view. What a view records as seen (``record_page_view``) is kept with the body and recorded
again on each view that takes the body from memory, so every view is audited as before.

The body holds personal data (timeline entries, notes): it is kept in this process's memory
only (never a shared cache), sealed under the data key (``crypto.seal``, AES-GCM: some tens of
microseconds per view to open).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from django.db import connection
from django.middleware.csrf import get_token

from rouei.core import changes, prepared
from rouei.core.audit import record_view
from rouei.core.fingerprints import CSRF_PLACEHOLDER


def state(incident, summarised: frozenset[str] = frozenset()) -> tuple:
    """A digest of the incident's row and of every row of each of its relations (those named
    in ``summarised``: the stamp of their recorded changes instead), from one query; ``None``
    parts for an incident that no longer exists."""
    sql, params = _state_sql(type(incident), summarised, connection.vendor)
    with prepared.cursor() as cursor:
        cursor.execute(sql, [incident.pk] * params)
        row = cursor.fetchone()
    if connection.vendor == "postgresql":  # digested in the database already
        return tuple(row)
    # SQLite (tests, small installations): the rows' text, digested here.
    return tuple(None if part is None else hashlib.blake2b(
        part.encode(), digest_size=16).hexdigest() for part in row)


def relations(model) -> list:
    """The relations of ``model`` that ``state`` reads: reverse foreign keys and one-to-ones
    (a many-to-many to the incident would not be seen: none exists; a test checks)."""
    return [r for r in model._meta.related_objects if r.one_to_many or r.one_to_one]


@lru_cache(maxsize=16)
def _state_sql(model, summarised: frozenset[str], vendor: str) -> tuple[str, int]:
    quote = connection.ops.quote_name
    meta = model._meta
    parts = [_digest(meta, f"{quote(meta.pk.column)} = %s", vendor)]
    for relation in relations(model):
        if relation.get_accessor_name() not in summarised:
            related = relation.related_model._meta
            parts.append(_digest(related, f"{quote(relation.field.column)} = %s", vendor))
    if summarised:
        parts.append(changes.stamp_sql(quote))
    return "SELECT " + ", ".join(f"({part})" for part in parts), len(parts)


def _digest(meta, where: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    if vendor == "postgresql":
        # Each row's id and the transaction that wrote its current version (``xmin``: any
        # UPDATE writes a new version, so it moves with every change; freezing a row turns it
        # into 2, which only builds the body once more), in id order, as one MD5: the rows'
        # columns are never read, so a large one (a scan's report, a long timeline entry) costs
        # no more than a small one.
        return (f"SELECT md5(COALESCE(string_agg(CAST(t.{pk} AS TEXT) || ':' || "  # noqa: S608
                f"CAST(t.xmin AS TEXT), ',' ORDER BY t.{pk}), '')) FROM {table} t WHERE {where}")
    columns = " || ',' || ".join(f"quote({quote(f.column)})" for f in meta.concrete_fields)
    return (f"SELECT COALESCE(group_concat(r, '|'), '') FROM (SELECT {columns} AS r "  # noqa: S608
            f"FROM {table} WHERE {where} ORDER BY {pk})")


def record_page_view(request, **event) -> None:
    """``audit.record_view(actor=request.user, **event)``, noted on ``request`` so that a body
    built in this view records the same on each view that takes it from memory."""
    record_view(actor=request.user, **event)
    views = getattr(request, "_rouei_page_views", None)
    if views is not None:
        views.append(event)


def collecting_views(request) -> list:
    """Start noting the audited reads of this view (``record_page_view``)."""
    request._rouei_page_views = []
    return request._rouei_page_views


# ``{% csrf_token %}``'s field, whatever token a part was rendered with.
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9_-]+(")')


def without_token(html: str) -> str:
    """The HTML with every form's CSRF token replaced by the placeholder (to keep it)."""
    return _TOKEN_FIELD.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html)


def with_token(html: str, request) -> str:
    """Kept HTML with this view's CSRF token in its forms."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request)) if CSRF_PLACEHOLDER in html else html
