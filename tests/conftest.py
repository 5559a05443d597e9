"""Shared fixtures for the Django app tests (domain tests need none of this)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# In a fresh clone Hypothesis first builds its Unicode tables (about a second, cached in
# .hypothesis/ afterwards), which trips the too_slow health check on the first text strategy;
# CI always runs in a fresh clone on a busy 2-core machine, so timing must not fail a test.
hypothesis_settings.register_profile(
    "rouei", suppress_health_check=[HealthCheck.too_slow], deadline=None)
hypothesis_settings.load_profile("rouei")

SESSION_DATA_DIR = pytest.StashKey[Path]()


def pytest_configure(config):
    # The manifest storage needs `collectstatic`; tests serve static files from the finders.
    from django.conf import settings

    if settings.configured:
        # Each test session (each xdist worker) writes to a data directory of its own, removed
        # when it ends: two runs in one checkout share nothing (uploads waiting for an import,
        # evidence, caches), and nothing is left in the checkout's var/.
        data = Path(tempfile.mkdtemp(prefix="rouei-test-data-"))
        config.stash[SESSION_DATA_DIR] = data
        settings.DATA_DIR = data
        settings.ROUEI_EVIDENCE_DIR = data / "evidence"
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # Two-factor sign-in is off unless a test turns it on (tests/accounts/ does).
        settings.ROUEI_REQUIRE_MFA = False
        # Each test process keeps its own caches (throttle counters, progress).
        settings.CACHES = {alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": alias}
                           for alias in ("default", "progress", "throttle")}
        # The demo incident's registry at 5 % (600 people): the tests need a registry, not
        # its size, and many build the demo (the size is measured in bench/).
        settings.ROUEI_DEMO_PEOPLE_SCALE = 0.05
        # Background tasks run at once, inside the request, so tests see their results.
        settings.TASKS = {"default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_unconfigure(config):
    data = config.stash.get(SESSION_DATA_DIR, None)
    if data is not None:
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Each test's audit checkpoints go to its own file: the test database starts empty, so the
    checkpoints of another test (or of the developer's own data directory) would not match."""
    settings.ROUEI_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    settings.ROUEI_AUDIT_SYSLOG = ""


@pytest.fixture(autouse=True)
def _cards_forget():
    """The incident page keeps cards per incident id in this process; ids come back in each
    test's new database."""
    from rouei.core.fingerprints import forget_all

    forget_all()
    yield
    forget_all()


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


NEW_TRIGGER_MODULE = '''"""A trigger written by a test (規則7条9号 does not exist): it applies when the data was
publicly viewable."""

from rouei.domain.rules.base import APPI_2022, Rule, Status
from rouei.domain.text import Text

RULE = Rule("test_public_board", "trigger",
            Text("掲示板への掲載（試験用）", "Posted on a board (test rule)"), APPI_2022, order=5)
CITATION = "試験用規則9条"


def evaluate(facts):
    if facts.publicly_viewable:
        return RULE.finding(Status.YES, "掲示板に掲載されました", "It was posted on a board",
                            CITATION)
    return RULE.finding(Status.NO, "掲示板には掲載されていません", "Not posted on a board",
                        CITATION)
'''


@pytest.fixture
def new_trigger_rule(tmp_path, monkeypatch):
    """A new APPI trigger rule module, written to a folder the engine is pointed at: the rule
    engine must find it by itself (no list of ids to add it to). Returns its id."""
    import sys

    import rouei.domain.rules.appi as appi_rules
    from rouei.domain.rules import engine

    (tmp_path / "test_public_board.py").write_text(NEW_TRIGGER_MODULE, encoding="utf-8")
    monkeypatch.setattr(appi_rules, "__path__", [*appi_rules.__path__, str(tmp_path)])
    engine.rule_modules.cache_clear()
    yield "test_public_board"
    sys.modules.pop("rouei.domain.rules.appi.test_public_board", None)
    monkeypatch.undo()
    engine.rule_modules.cache_clear()
