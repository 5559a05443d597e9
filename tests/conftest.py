"""Shared fixtures for the Django app tests (domain tests need none of this)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# In a fresh clone Hypothesis first builds its Unicode tables (about a second, cached in
# .hypothesis/ afterwards), which trips the too_slow health check on the first text strategy;
# CI always runs in a fresh clone on a busy 2-core machine, so timing must not fail a test.
hypothesis_settings.register_profile(
    "rouei", suppress_health_check=[HealthCheck.too_slow], deadline=None)
hypothesis_settings.load_profile("rouei")


def pytest_configure(config):
    # The manifest storage needs `collectstatic`; tests serve static files from the finders.
    from django.conf import settings

    if settings.configured:
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # Two-factor sign-in is off unless a test turns it on (tests/accounts/ does).
        settings.ROUEI_REQUIRE_MFA = False
        # Background tasks run at once, inside the request, so tests see their results.
        settings.TASKS = {"default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="tanaka", password=PASSWORD)


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def make_user(django_user_model):
    def make(username: str):
        return django_user_model.objects.create_user(username=username, password=PASSWORD)
    return make


@pytest.fixture
def member(incident, user, make_user):
    """``member("viewer")``: a new user with that role on the folder's ``incident``."""
    from rouei.incidents import actions

    def make(role: str, username: str | None = None):
        other = make_user(username or f"{role}-user")
        actions.do_add_member(incident, other, role, actor=user)
        return other
    return make
