"""Audited reads at once: every event recorded, the chain verifies, and on PostgreSQL each
event is on disk (the log flushed past its commit) before ``record_event``'s caller goes on,
although the chain head is released at the commit itself (``rouei.core.audit``)."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from rouei.core import audit, checkpoints
from rouei.core.audit import record_event, record_view, verify_trail
from rouei.core.models import AuditEvent

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the flush barrier is PostgreSQL's")


# SQLite's in-memory test database shares one cache between threads, which answers "table is
# locked" instead of waiting; the production SQLite set-up (a file) has its own parallel test,
# tests/core/test_audit_sqlite_file.py.
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_record_view_from_many_threads_records_every_view_and_the_trail_verifies():
    threads, views = 6, 12
    errors: list[str] = []
    start = threading.Barrier(threads)

    def reader(n: int) -> None:
        try:
            start.wait()
            for i in range(views):
                record_view(actor=None, what="notes", incident_id=n, details={"page": i})
        except Exception as exc:  # reported below, with the thread's number
            errors.append(f"{n}: {exc!r}")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=reader, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="notes.view").count() == threads * views
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(
        range(1, threads * views + 1))
    assert verify_trail().ok


class _Statements:
    """The SQL a connection runs, in order, with the checkpoints written in between."""

    def __init__(self):
        self.seen: list[str] = []
        self.messages: list[str] = []  # what went to the server in one round trip each

    def __call__(self, execute, sql, params, many, context):
        self.messages.append(sql)
        # One entry per statement: a message may hold several (record_view's on PostgreSQL).
        self.seen.extend(statement.strip() for statement in sql.split(";"))
        return execute(sql, params, many, context)

    def index(self, fragment: str, after: int = 0) -> int:
        return next(i for i, sql in enumerate(self.seen) if fragment in sql and i >= after)


@pytest.fixture
def statements(monkeypatch):
    log = _Statements()
    real = checkpoints.after_commit

    def after_commit(sequence, hash_):
        log.seen.append(f"checkpoint {sequence}")
        real(sequence, hash_)

    monkeypatch.setattr(checkpoints, "after_commit", after_commit)
    with connection.execute_wrapper(log):
        yield log


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_record_view_turns_the_synchronous_commit_off_as_it_locks_the_head(statements):
    record_view(actor=None, what="notes", incident_id=1)  # the head row exists from here on
    record_view(actor=None, what="notes", incident_id=1)
    lock = statements.index("FOR UPDATE", after=statements.index("pg_logical_emit_message") + 1)
    assert "synchronous_commit" in statements.seen[lock]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_event_is_written_in_two_round_trips_under_the_lock(statements):
    record_view(actor=None, what="notes", incident_id=1)
    with transaction.atomic():
        first = len(statements.seen)
        record_event(actor=None, action="test.one")
        assert len(statements.seen) - first == 2  # the head locked; the row and the head moved


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_record_view_waits_for_the_flush_after_the_row_is_written(statements):
    record_view(actor=None, what="notes", incident_id=1)
    assert statements.index('INSERT INTO "core_auditevent"') < statements.index(
        "pg_logical_emit_message")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_record_view_writes_the_checkpoint_only_after_the_flush(statements):
    record_view(actor=None, what="notes", incident_id=1)  # the first event: a checkpoint
    assert statements.index("pg_logical_emit_message") < statements.index("checkpoint 1")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_events_in_one_transaction_wait_for_one_flush(statements):
    with transaction.atomic():
        record_event(actor=None, action="test.one")
        record_event(actor=None, action="test.two")
    assert sum("pg_logical_emit_message" in sql for sql in statements.seen) == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_no_flush_waiting_for_the_next_transaction(statements,
                                                                             monkeypatch):
    monkeypatch.setattr(audit, "_head_guess", None)  # no guessed row's (unrun) barrier sent
    with pytest.raises(ValueError), transaction.atomic():
        record_event(actor=None, action="test.rolled_back")
        raise ValueError("the change fails")
    record_view(actor=None, what="notes", incident_id=1)
    assert sum("pg_logical_emit_message" in sql for sql in statements.seen) == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_flush_that_fails_is_an_error_for_the_caller_not_an_answer(monkeypatch):
    monkeypatch.setattr(audit, "_BARRIER_SQL", "SELECT pg_logical_emit_message(true, 'x')")
    with pytest.raises(DatabaseError):
        record_view(actor=None, what="notes", incident_id=1)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
@pytest.mark.django_db(transaction=True)
def test_record_view_on_sqlite_commits_synchronously_without_a_barrier(statements):
    record_view(actor=None, what="notes", incident_id=1)
    assert not any("synchronous_commit" in sql or "pg_logical" in sql
                   for sql in statements.seen)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_is_audited_in_one_round_trip(statements):
    record_view(actor=None, what="notes", incident_id=1)  # the head row exists from here on
    first = len(statements.messages)
    record_view(actor=None, what="notes", incident_id=1)
    assert len(statements.messages) - first == 1  # BEGIN, lock + row + head, COMMIT, flush


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_after_another_process_wrote_takes_a_second_round_trip(statements,
                                                                           monkeypatch):
    record_view(actor=None, what="notes", incident_id=1)
    record_view(actor=None, what="notes", incident_id=1)
    first_event = AuditEvent.objects.get(sequence=1)
    # As if this process had last seen the head at event 1 and another had written event 2.
    monkeypatch.setattr(audit, "_head_guess", (1, first_event.hash))
    first = len(statements.messages)
    record_view(actor=None, what="notes", incident_id=1)
    assert len(statements.messages) - first == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_signed_against_an_old_head_continues_the_chain(monkeypatch):
    for _ in range(3):
        record_view(actor=None, what="notes", incident_id=1)
    monkeypatch.setattr(audit, "_head_guess",
                        (1, AuditEvent.objects.get(sequence=1).hash))
    record_view(actor=None, what="notes", incident_id=1)
    assert list(AuditEvent.objects.values_list("sequence", flat=True).order_by("sequence")) == [
        1, 2, 3, 4]
    assert verify_trail().ok


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_signed_against_a_head_that_never_was_writes_one_good_row(monkeypatch):
    record_view(actor=None, what="notes", incident_id=1)
    monkeypatch.setattr(audit, "_head_guess", (1, "f" * 64))  # the right number, a wrong hash
    record_view(actor=None, what="notes", incident_id=1)
    assert AuditEvent.objects.get(sequence=2).prev_hash == AuditEvent.objects.get(
        sequence=1).hash
    assert verify_trail().ok


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_whose_guesses_keep_missing_locks_the_head_first(statements, monkeypatch):
    record_view(actor=None, what="notes", incident_id=1)
    monkeypatch.setattr(audit, "_remember_head", lambda sequence, hash_: None)
    monkeypatch.setattr(audit, "_head_guess", (7, "f" * 64))  # wrong, and never corrected
    first = len(statements.messages)
    record_view(actor=None, what="notes", incident_id=1)
    # Each guess one message; then BEGIN and the lock, and the row signed under it.
    assert len(statements.messages) - first == audit._GUESSES + 2
    assert verify_trail().ok


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_holds_the_head_from_begin_to_commit(statements):
    record_view(actor=None, what="notes", incident_id=1)
    first = len(statements.seen)
    record_view(actor=None, what="notes", incident_id=1)
    order = [sql.split()[0] for sql in statements.seen[first:]]
    assert order == ["BEGIN", "WITH", "COMMIT", "SELECT", "checkpoint"]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_waits_for_the_flush_after_its_commit(statements):
    record_view(actor=None, what="notes", incident_id=1)
    first = len(statements.seen)
    record_view(actor=None, what="notes", incident_id=1)
    commit = statements.index("COMMIT", after=first)
    assert statements.index("pg_logical_emit_message", after=first) == commit + 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_checkpoints_after_the_flush(statements, monkeypatch):
    record_view(actor=None, what="notes", incident_id=1)
    monkeypatch.setattr(checkpoints, "_due", lambda *args: "test")  # every event is due
    first = len(statements.seen)
    record_view(actor=None, what="notes", incident_id=1)
    assert statements.index("pg_logical_emit_message", after=first) < statements.index(
        "checkpoint 2")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_whose_row_fails_leaves_no_transaction_open(monkeypatch):
    record_view(actor=None, what="notes", incident_id=1)
    monkeypatch.setattr(audit, "_APPEND_IF_HEAD_SQL", "SELECT no_such_function()")
    with pytest.raises(DatabaseError):
        record_view(actor=None, what="notes", incident_id=1)
    assert not connection.connection.info.transaction_status  # IDLE: rolled back, head free


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_after_a_failed_one_continues_the_chain(monkeypatch):
    record_view(actor=None, what="notes", incident_id=1)
    with monkeypatch.context() as patch:
        patch.setattr(audit, "_APPEND_IF_HEAD_SQL", "SELECT no_such_function()")
        with pytest.raises(DatabaseError):
            record_view(actor=None, what="notes", incident_id=1)
    record_view(actor=None, what="notes", incident_id=1)
    assert list(AuditEvent.objects.values_list("sequence", flat=True).order_by("sequence")) == [
        1, 2]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_inside_a_transaction_rolls_back_with_it():
    record_view(actor=None, what="notes", incident_id=1)
    with pytest.raises(ValueError), transaction.atomic():
        record_view(actor=None, what="notes", incident_id=1)
        raise ValueError("the change fails")
    assert AuditEvent.objects.count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_view_in_a_callers_own_transaction_does_not_commit_it():
    record_view(actor=None, what="notes", incident_id=1)
    connection.set_autocommit(False)  # the caller manages the transaction by hand
    try:
        record_view(actor=None, what="notes", incident_id=1)
        connection.rollback()
    finally:
        connection.set_autocommit(True)
    assert AuditEvent.objects.count() == 1
