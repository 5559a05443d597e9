"""A user's permissions read in one query, where Django's ``ModelBackend`` reads them in two.

``ModelBackend`` reads the permissions a user holds directly and those of their groups in two
queries, the first time ``has_perm`` is asked in a request (the top bar asks on every page),
and keeps the set on the user object (``_perm_cache``) for the rest of the request.
``read_permissions`` fills that set first, from one query, by Django's own rules: an inactive
or anonymous user has none, a superuser has all. The backend itself is unchanged, so the
sessions it signed in stay valid and a failed sign-in is checked once. The query is compiled by
the ORM once per process and asked as a prepared statement (``rouei.core.prepared``): compiling
and planning it took more than running it, on every page.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.models import Permission

from rouei.core import prepared

_NAME = ("content_type__app_label", "codename")


def read_permissions(user) -> None:
    """Fill ``user``'s permission set as ``ModelBackend`` keeps it, unless it is read."""
    if hasattr(user, "_perm_cache") or not user.is_active or user.is_anonymous:
        return
    sql, users = _sql(user.is_superuser)
    with prepared.cursor() as cursor:
        cursor.execute(sql, [user.pk] * users)
        rows = cursor.fetchall()
    user._perm_cache = {f"{app}.{codename}" for app, codename in rows}


_ANYONE = 0  # a user id no row has: its only use is to find where the user's id goes


@cache
def _sql(superuser: bool) -> tuple[str, int]:
    """The ORM's SQL for the permissions (of a superuser: all of them) and how many times the
    user's id is its parameter."""
    if superuser:
        rows = Permission.objects.values_list(*_NAME).order_by()
    else:
        rows = (Permission.objects.filter(user=_ANYONE).values_list(*_NAME).order_by()
                .union(Permission.objects.filter(group__user=_ANYONE).values_list(*_NAME)
                       .order_by()))
    sql, params = rows.query.sql_with_params()
    if any(param != _ANYONE for param in params):
        raise RuntimeError("the permissions' query has a parameter other than the user's id")
    return sql, len(params)
