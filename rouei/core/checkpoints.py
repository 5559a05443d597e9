"""Signed checkpoints of the audit trail, kept outside the database (監査ログのチェックポイント).

A checkpoint records the sequence number and hash of a committed audit row, the time, the id of
the key that signed it, where the unsigned rows written before keyed rows existed end
(``legacy_until``, see ``rouei.core.audit``) and why it was written; an HMAC-SHA256 under the
audit key (``rouei.core.audit_keys``) covers all of it. It is one line of canonical JSON.

Where checkpoints go (the sinks): always the file ``settings.ROUEI_AUDIT_CHECKPOINT_FILE``
(default ``audit-checkpoints.jsonl`` in the data directory; created 0600, opened append-only,
each line written with one ``write`` under an exclusive lock and ``fsync``\\ ed); also syslog
when ``ROUEI_AUDIT_SYSLOG`` is set (``local`` or ``HOST:PORT``), as the line prefixed with
``rouei-audit-checkpoint``; also object storage when ``ROUEI_AUDIT_S3_BUCKET`` is set (one
object per checkpoint, never overwritten, under Object Lock where the bucket has it: see
``rouei.core.checkpoint_s3``); and any class named in the Django setting ``ROUEI_AUDIT_SINKS``
(dotted paths; instances with a ``name`` and a ``write(line)``). A sink that fails loses
nothing (the event is in the database, the checkpoint in the file): the failure is logged
without the checkpoint, counted in ``CheckpointSinkStatus``, and ``rouei audit verify`` and the
audit pages say the sink is failing until a write to it works again.
``rouei audit verify`` reads the file, or any file of such lines (``--checkpoints``, e.g. an
extract of the syslog), or the bucket (``--checkpoints-from s3``), so a copy kept elsewhere
can be checked too.

When: after the commit of an audit row (``record_event`` registers ``after_commit`` with
``transaction.on_commit``; no thread) when there has been none yet, when 100 events have
passed since the last one, or when a minute has passed and events happened; and on each
successful ``rouei audit verify``, and when the audit key changes. The check on each commit
compares two numbers kept in memory; the file is read (its last line only) and written only
when a checkpoint is due.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from rouei.core import audit_keys

try:  # POSIX; elsewhere the single O_APPEND write is all the protection
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

log = logging.getLogger("rouei.audit")

VERSION = 1
EVERY_EVENTS = 100
EVERY_SECONDS = 60
SYSLOG_PREFIX = "rouei-audit-checkpoint "
_TAIL_BYTES = 8192


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    head: str
    at: str  # UTC, ISO 8601 with microseconds
    key_id: str
    legacy_until: int
    reason: str
    mac: str = ""
    v: int = VERSION

    def signed_part(self) -> dict:
        out = asdict(self)
        del out["mac"]
        return out

    def line(self) -> str:
        return _canonical(asdict(self))

    def signature_ok(self) -> bool:
        """Whether the MAC holds; ``UnknownAuditKey`` if its key is not configured."""
        key = audit_keys.key_for(self.key_id)
        return hmac.compare_digest(audit_keys.sign(key, _canonical(self.signed_part())),
                                   self.mac)

    @property
    def at_time(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.at)


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def make(sequence: int, head: str, *, legacy_until: int, reason: str,
         at: dt.datetime | None = None) -> Checkpoint:
    kid, key = audit_keys.signing_key()
    moment = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    unsigned = Checkpoint(sequence=sequence, head=head,
                          at=moment.isoformat(timespec="microseconds"), key_id=kid,
                          legacy_until=legacy_until, reason=reason)
    return Checkpoint(**{**asdict(unsigned),
                         "mac": audit_keys.sign(key, _canonical(unsigned.signed_part()))})


class NotACheckpoint(ValueError):
    pass


def parse(line: str) -> Checkpoint:
    """A line of the file, or of a syslog extract (anything before the first ``{`` is
    ignored); ``NotACheckpoint`` if it is not one."""
    start = line.find("{")
    if start < 0:
        raise NotACheckpoint("no JSON object on the line")
    try:
        data = json.loads(line[start:].rstrip("\x00\r\n\t "))  # syslog ends with NUL
        if set(data) != set(Checkpoint.__dataclass_fields__):
            raise NotACheckpoint("unexpected fields")
        checkpoint = Checkpoint(**data)
        if not (isinstance(checkpoint.sequence, int) and isinstance(checkpoint.legacy_until, int)
                and all(isinstance(getattr(checkpoint, f), str)
                        for f in ("head", "at", "key_id", "reason", "mac"))):
            raise NotACheckpoint("a field has the wrong type")
        checkpoint.at_time  # noqa: B018 — a readable time
    except (json.JSONDecodeError, TypeError, ValueError) as exc:
        raise NotACheckpoint(str(exc)) from None
    return checkpoint


def read(path: Path) -> list[tuple[int, Checkpoint | None]]:
    """(line number, checkpoint or ``None`` for a line that is not one) for every non-empty
    line; ``FileNotFoundError`` if there is no file."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                out.append((number, parse(line)))
            except NotACheckpoint:
                out.append((number, None))
    return out


# --- sinks -------------------------------------------------------------------------------


class SyslogSink:
    """Each checkpoint as one syslog message (facility authpriv), locally or over UDP."""

    def __init__(self, address: str):
        import logging.handlers

        target: str | tuple[str, int]
        if address.lower() in {"1", "true", "yes", "on", "local"}:
            target = "/dev/log" if Path("/dev/log").exists() else ("localhost", 514)
        else:
            host, _, port = address.rpartition(":")
            target = (host or "localhost", int(port or 514))
        self.name = f"syslog {target if isinstance(target, str) else ':'.join(map(str, target))}"
        self._handler = logging.handlers.SysLogHandler(
            address=target, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)

    def write(self, line: str) -> None:
        record = logging.LogRecord("rouei.audit", logging.INFO, __file__, 0,
                                   SYSLOG_PREFIX + line, None, None)
        self._handler.emit(record)


class FileSource:
    """A file of checkpoint lines (the checkpoint file, a syslog extract) as a source for
    ``rouei audit verify``; ``S3Sink`` is the other kind (``label``, ``exists``, ``entries``)."""

    def __init__(self, file: Path):
        self.path = Path(file)
        self.label = os.fspath(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def entries(self) -> list[tuple[str, Checkpoint | None]]:
        try:
            return [(f"{self.path}, line {n}", c) for n, c in read(self.path)]
        except FileNotFoundError:
            return []


class BrokenSink:
    """A configured sink that could not be set up (boto3 missing, no syslog socket): each
    write fails with the set-up error, so the failure is counted like any other."""

    def __init__(self, name: str, error: Exception):
        self.name, self.error = name, error

    def write(self, line: str) -> None:
        raise self.error


_extra_sinks: dict[tuple, list] = {}


def _configured_sinks() -> list[tuple[str, object]]:
    """(name, factory) of every sink besides the file."""
    syslog = getattr(settings, "ROUEI_AUDIT_SYSLOG", "") or ""
    s3 = getattr(settings, "ROUEI_AUDIT_S3", None)
    out: list[tuple[str, object]] = []
    if syslog:
        out.append((f"syslog {syslog}", lambda: SyslogSink(syslog)))
    if s3:
        from rouei.core import checkpoint_s3

        out.append((checkpoint_s3.location(s3), lambda: checkpoint_s3.S3Sink(s3)))
    for dotted in getattr(settings, "ROUEI_AUDIT_SINKS", ()) or ():
        out.append((dotted, lambda dotted=dotted: import_string(dotted)()))
    return out


def named_sinks() -> list[tuple[str, object]]:
    """(name as configured, sink) for every sink besides the file: syslog when configured,
    object storage (``ROUEI_AUDIT_S3``), then ``ROUEI_AUDIT_SINKS``. A sink that cannot be set
    up is a ``BrokenSink`` (and set up again next time). The name is what the failures are
    counted under, the same whether the sink could be set up or not."""
    s3 = getattr(settings, "ROUEI_AUDIT_S3", None)
    cache_key = (getattr(settings, "ROUEI_AUDIT_SYSLOG", "") or "",
                 tuple(sorted(s3.items())) if s3 else (),
                 tuple(getattr(settings, "ROUEI_AUDIT_SINKS", ()) or ()))
    if cache_key in _extra_sinks:
        return _extra_sinks[cache_key]
    sinks: list[tuple[str, object]] = []
    for name, factory in _configured_sinks():
        try:
            sinks.append((name, factory()))
        except Exception as exc:
            sinks.append((name, BrokenSink(name, exc)))
    if not any(isinstance(sink, BrokenSink) for _, sink in sinks):
        _extra_sinks.clear()
        _extra_sinks[cache_key] = sinks
    return sinks


def extra_sinks() -> list:
    return [sink for _, sink in named_sinks()]


def error_summary(exc: BaseException) -> str:
    """The error's type and, for a store's answer, its code and HTTP status: never its
    message, which could quote what was sent."""
    response = getattr(exc, "response", None) or {}
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    status = (response.get("ResponseMetadata", {}).get("HTTPStatusCode")
              if isinstance(response, dict) else None)
    parts = [type(exc).__name__] + [str(p) for p in (code, status) if p]
    return " ".join(parts)[:200]


def note_sink(name: str, error: BaseException | None) -> None:
    """Count a write to a sink (``error`` ``None``: it worked) in ``CheckpointSinkStatus``,
    where every process (and ``rouei audit verify``, the audit pages) sees it."""
    from django.db import transaction
    from django.utils import timezone

    from rouei.core.models import CheckpointSinkStatus

    now = timezone.now()
    with transaction.atomic():
        row, _ = (CheckpointSinkStatus.objects.select_for_update()
                  .get_or_create(name=name[:200]))
        if error is None:
            row.written += 1
            row.last_success_at = now
            row.failing_since = None
        else:
            row.failures += 1
            row.last_failure_at = now
            row.failing_since = row.failing_since or now
            row.last_error = error_summary(error)
        row.save()


def failing_sinks() -> list:
    """The sinks whose last checkpoint write failed (``CheckpointSinkStatus`` rows)."""
    from rouei.core.models import CheckpointSinkStatus

    return list(CheckpointSinkStatus.objects.filter(failing_since__isnull=False)
                .order_by("name"))


# --- writing -----------------------------------------------------------------------------

# Per file: (sequence, unix time) of the newest checkpoint this process knows of.
_last: dict[str, tuple[int, float]] = {}


def path() -> Path:
    return Path(settings.ROUEI_AUDIT_CHECKPOINT_FILE)


def _due(last: tuple[int, float] | None, sequence: int, now: float) -> str | None:
    if last is None:
        return "first"
    last_sequence, last_at = last
    if sequence - last_sequence >= EVERY_EVENTS:
        return "events"
    if sequence > last_sequence and now - last_at >= EVERY_SECONDS:
        return "time"
    return None


def after_commit(sequence: int, head: str) -> None:
    """Called after each audit row commits: write a checkpoint if one is due."""
    known = _last.get(os.fspath(settings.ROUEI_AUDIT_CHECKPOINT_FILE))
    if known is not None and _due(known, sequence, time.time()) is None:
        return
    write(sequence, head, reason=None)


def _tail(fd: int) -> Checkpoint | None:
    size = os.fstat(fd).st_size
    if not size:
        return None
    start = max(0, size - _TAIL_BYTES)
    chunk = os.pread(fd, size - start, start).decode("utf-8", errors="replace")
    for line in reversed(chunk.splitlines()):
        if line.strip():
            try:
                return parse(line)
            except NotACheckpoint:
                return None
    return None


def _legacy_until_from_db() -> int:
    from rouei.core.models import AuditEvent

    first_keyed = (AuditEvent.objects.filter(hash_format__gte=2).order_by("sequence")
                   .values_list("sequence", flat=True).first())
    if first_keyed is not None:
        return first_keyed - 1
    return (AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
            or 0)


def write(sequence: int, head: str, *, reason: str | None,
          legacy_until: int | None = None) -> Checkpoint | None:
    """Append a checkpoint for the row (``sequence``, ``head``) to every sink.

    ``reason=None``: only if one is due (see ``_due``; the file's last line is read under the
    lock, so several processes do not each write one); otherwise always, with that reason.
    Returns the checkpoint written, or ``None``."""
    target = path()
    name = os.fspath(settings.ROUEI_AUDIT_CHECKPOINT_FILE)  # as after_commit looks it up
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        last = _tail(fd)
        now = time.time()
        known = (last.sequence, last.at_time.timestamp()) if last is not None else None
        if known is not None:
            _last[name] = known
        if reason is None:
            reason = _due(known, sequence, now)
            if reason is None:
                return None
        if legacy_until is None:
            legacy_until = last.legacy_until if last is not None and _valid(last) else None
        if legacy_until is None:
            legacy_until = _legacy_until_from_db()
        checkpoint = make(sequence, head, legacy_until=legacy_until, reason=reason,
                          at=dt.datetime.fromtimestamp(now, dt.UTC))
        os.write(fd, (checkpoint.line() + "\n").encode("utf-8"))
        os.fsync(fd)
        _last[name] = (sequence, now)
    finally:
        os.close(fd)  # also releases the lock
    for sink_name, sink in named_sinks():
        # The event is in the database and the checkpoint in the file: a sink that is down
        # must not fail the request. It is logged (its name and the error's type only),
        # counted, and shown by rouei audit verify and the audit pages.
        try:
            sink.write(checkpoint.line())
            error = None
        except Exception as exc:
            error = exc
            log.warning("could not write the audit checkpoint of sequence %s to %s: %s",
                        checkpoint.sequence, sink_name, error_summary(exc))
        try:
            note_sink(sink_name, error)
        except Exception as exc:  # e.g. the database locked: the log line above stays
            log.warning("could not count a checkpoint write to %s: %s", sink_name,
                        error_summary(exc))
    return checkpoint


def _valid(checkpoint: Checkpoint) -> bool:
    try:
        return checkpoint.signature_ok()
    except audit_keys.UnknownAuditKey:
        return False
