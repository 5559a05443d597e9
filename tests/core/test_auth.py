"""A user's permissions read in one query give Django's answer (``ModelBackend``'s, read in two)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from rouei.core.auth import read_permissions


def _permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="signals", codename=codename)


@pytest.fixture
def kinds(make_user, django_user_model):
    """One user of each kind ``ModelBackend`` tells apart."""
    direct = make_user("direct")
    direct.user_permissions.add(_permission("view_signal"))
    grouped = make_user("grouped")
    group = Group.objects.create(name="受付")
    group.permissions.add(_permission("add_signal"))
    grouped.groups.add(group)
    both = make_user("both")
    both.user_permissions.add(_permission("view_signal"))
    both.groups.add(group)
    inactive = make_user("inactive")
    inactive.user_permissions.add(_permission("view_signal"))
    inactive.is_active = False
    inactive.save()
    superuser = django_user_model.objects.create_superuser("admin", password="x" * 16)
    return {"none": make_user("none"), "direct": direct, "grouped": grouped, "both": both,
            "inactive": inactive, "superuser": superuser}


@pytest.mark.parametrize("kind", ["none", "direct", "grouped", "both", "inactive", "superuser"])
def test_the_permissions_read_in_one_query_are_djangos(kinds, django_user_model, kind):
    user = django_user_model.objects.get(pk=kinds[kind].pk)
    read_permissions(user)
    assert user.get_all_permissions() == (
        django_user_model.objects.get(pk=user.pk).get_all_permissions())


def test_the_permissions_are_read_in_one_query(kinds, django_user_model,
                                               django_assert_num_queries):
    user = django_user_model.objects.get(pk=kinds["both"].pk)
    with django_assert_num_queries(1):
        read_permissions(user)
        user.has_perm("signals.view_signal")
