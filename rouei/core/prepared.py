"""Prepared statements for the queries every view of a page asks (issue 15).

On PostgreSQL, planning took half of the database's CPU per view of the incident page: its
state, fingerprints, user names, membership and card key are plain SQL the app builds once
and asks on every view, each planned anew (0.6–0.8 ms of planning against 0.1–0.3 ms of
execution). ``cursor()`` gives, on PostgreSQL, a cursor that binds its parameters on the server,
so that psycopg prepares a statement the second time a connection asks it
(``prepare_threshold``, set by ``rouei.config.env.databases``) and PostgreSQL plans it once per
connection. Every other query keeps Django's cursor (client-side binding, the simple protocol:
several statements in one round trip, as the audited write sends them).

A pooler that hands one server connection to several clients per transaction (PgBouncer's
transaction mode before 1.21) loses prepared statements between transactions:
``ROUEI_DB_PREPARED=0`` turns them off (the cursor still binds on the server).
"""

from __future__ import annotations

from functools import cache

from django.db import connection


def cursor():
    """A cursor for a statement asked on every view (see the module's text); Django's own on
    other databases. Queries go through Django's wrapper, so they are logged and counted as
    any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_preparing_cursor()(connection.connection))


@cache
def _preparing_cursor():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Django's server-binding cursor, which also names the query it ran when it ran a
        prepared statement (psycopg leaves that unset, and Django's query log would show
        ``None``)."""

        def _send_query_prepared(self, name, pgq, *, binary=None):
            super()._send_query_prepared(name, pgq, binary=binary)
            self._query = pgq

    return PreparingCursor
