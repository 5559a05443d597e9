"""Reads that run on every request (the API token, the incident membership), in SQL written once.

The ORM compiles a query every time it runs it: for a ``select_related(…).filter(…).first()``
that is most of the read's CPU (about 3 ms of the ~7 ms an API look-up cost in session 10,
docs/benchmarks.md). ``first_joined`` runs SQL built once per set of models and turns the row
into model instances as the ORM would (every concrete field, the backend's and the fields'
converters: decryption, JSON, SQLite's dates), so callers get the objects they got before.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection

from rouei.core import prepared


@lru_cache(maxsize=32)
def _columns(model, alias: str) -> str:
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


@lru_cache(maxsize=32)
def select(*parts: tuple[type, str]) -> str:
    """``SELECT`` with every concrete column of each (model, table alias), in that order."""
    return "SELECT " + ", ".join(_columns(model, alias) for model, alias in parts)


@lru_cache(maxsize=32)
def _converters(model, vendor: str) -> tuple[tuple[list, object], ...]:
    # As the ORM's compiler finds them (``SQLCompiler.get_converters``): the backend's, then
    # the field's own (``from_db_value``). They are called with the connection of the read.
    table = model._meta.db_table
    found = []
    for field in model._meta.concrete_fields:
        column = field.get_col(table)
        found.append((connection.ops.get_db_converters(column)
                      + column.get_db_converters(connection), column))
    return tuple(found)


def _instance(model, values) -> object:
    converted = []
    for value, (converters, column) in zip(values, _converters(model, connection.vendor),
                                           strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias,
                         [f.attname for f in model._meta.concrete_fields], converted)


def first_joined(sql: str, params: list, *models: type) -> tuple | None:
    """The first row of ``sql`` (its columns as ``select`` gives them for ``models``) as one
    instance per model, or ``None`` when there is no row."""
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for model in models:
        end = start + len(model._meta.concrete_fields)
        instances.append(_instance(model, row[start:end]))
        start = end
    return tuple(instances)


def all_of(sql: str, params: list, model: type) -> list:
    """Every row of ``sql`` (its columns as ``select`` gives them for ``model``) as an instance,
    as ``first_joined`` makes one: without the ORM's ``raw()`` machinery, which works out the
    columns' model fields anew for every query."""
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return instances(model, found)


def instances(model: type, found: list) -> list:
    """Rows read elsewhere (the columns ``select`` gives for ``model``) as instances."""
    return [_instance(model, values) for values in found]
