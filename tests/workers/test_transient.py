"""Which database errors the worker waits out, and how long it waits."""

from __future__ import annotations

import pytest
from django.db.utils import InterfaceError, OperationalError, ProgrammingError

from rouei.workers.transient import backoff, is_transient, retry_transient


@pytest.mark.parametrize("error", [
    OperationalError("database is locked"),
    OperationalError("database table is locked"),
    OperationalError("server closed the connection unexpectedly"),
    OperationalError("connection to server at \"db\" failed: Connection refused"),
    OperationalError("terminating connection due to administrator command"),
    InterfaceError("connection already closed"),
])
def test_lock_and_lost_connection_are_transient(error):
    assert is_transient(error)


@pytest.mark.parametrize("error", [
    OperationalError("no such table: scans_evidencescan"),
    ProgrammingError("syntax error at or near"),
    ValueError("database is locked"),  # not a database error at all
])
def test_other_errors_are_real_failures(error):
    assert not is_transient(error)


def test_backoff_doubles_and_is_capped():
    assert [backoff(n, base=0.5, cap=4) for n in range(1, 7)] == [0.5, 1, 2, 4, 4, 4]


def test_retry_transient_waits_out_a_lock_and_returns_the_result():
    calls, waits = [], []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retry_transient(flaky, sleep=waits.append) == "done"
    assert waits == [0.5, 1]


def test_retry_transient_gives_up_after_its_attempts():
    def locked():
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        retry_transient(locked, attempts=3, sleep=lambda _s: None)


def test_retry_transient_does_not_retry_a_real_failure():
    calls = []

    def broken():
        calls.append(1)
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError):
        retry_transient(broken, sleep=lambda _s: None)
    assert len(calls) == 1
