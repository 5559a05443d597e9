"""A user's permissions read in one query, where Django's ``ModelBackend`` reads them in two.

``ModelBackend`` reads the permissions a user holds directly and those of their groups in two
queries, the first time ``has_perm`` is asked in a request (the top bar asks on every page),
and keeps the set on the user object (``_perm_cache``) for the rest of the request.
``read_permissions`` fills that set first, from one query, by Django's own rules: an inactive
or anonymous user has none, a superuser has all. The backend itself is unchanged, so the
sessions it signed in stay valid and a failed sign-in is checked once.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission

_NAME = ("content_type__app_label", "codename")


def read_permissions(user) -> None:
    """Fill ``user``'s permission set as ``ModelBackend`` keeps it, unless it is read."""
    if hasattr(user, "_perm_cache") or not user.is_active or user.is_anonymous:
        return
    if user.is_superuser:
        rows = Permission.objects.values_list(*_NAME).order_by()
    else:
        rows = (Permission.objects.filter(user=user).values_list(*_NAME).order_by()
                .union(Permission.objects.filter(group__user=user).values_list(*_NAME).order_by()))
    user._perm_cache = {f"{app}.{codename}" for app, codename in rows}
