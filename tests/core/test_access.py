"""access_incident: one answer (404) for missing and forbidden; 403 for a role that may not."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from rouei.core.access import RoleForbidden, access_incident, incidents_for
from rouei.incidents import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(user):
    return actions.do_create_incident(title="アクセス制御のテスト", actor=user)


def test_access_incident_member_gets_the_incident_with_their_role(incident, user):
    found = access_incident(user, incident.pk, need="view")
    assert found == incident and found.member_role == "lead"


@pytest.mark.parametrize("pk", ["missing", "not-a-number", None])
def test_access_incident_missing_and_not_a_member_are_the_same_404(incident, django_user_model,
                                                                   pk):
    outsider = django_user_model.objects.create_user("outsider")
    with pytest.raises(Http404) as not_member:
        access_incident(outsider, incident.pk)
    with pytest.raises(Http404) as missing:
        access_incident(outsider, incident.pk + 1000 if pk == "missing" else pk)
    assert str(not_member.value) == str(missing.value) == ""


def test_access_incident_anonymous_or_inactive_user_gets_404(incident, user):
    with pytest.raises(Http404):
        access_incident(AnonymousUser(), incident.pk)
    user.is_active = False
    user.save()
    with pytest.raises(Http404):
        access_incident(user, incident.pk)


@pytest.mark.parametrize("role, need, allowed", [
    ("viewer", "view", True), ("viewer", "edit", False), ("viewer", "close", False),
    ("legal", "edit", True), ("legal", "close", False), ("legal", "manage", False),
    ("forensics", "edit", True), ("pr", "edit", True), ("call_centre", "edit", True),
    ("lead", "close", True), ("lead", "manage", True),
    ("legal", "publish", True), ("pr", "publish", True), ("forensics", "publish", False),
    ("call_centre", "publish", False), ("viewer", "publish", False),
])
def test_access_incident_role_decides_what_a_member_may_do(incident, user, django_user_model,
                                                           role, need, allowed):
    other = django_user_model.objects.create_user(f"{role}-user")
    actions.do_add_member(incident, other, role, actor=user)
    if allowed:
        assert access_incident(other, incident.pk, need=need) == incident
    else:
        with pytest.raises(RoleForbidden):
            access_incident(other, incident.pk, need=need)


def test_incidents_for_lists_only_the_users_incidents(incident, user, django_user_model):
    other = django_user_model.objects.create_user("other")
    theirs = actions.do_create_incident(title="別の事案", actor=other)
    assert list(incidents_for(user)) == [incident]
    assert list(incidents_for(other)) == [theirs]
    assert list(incidents_for(AnonymousUser())) == []
