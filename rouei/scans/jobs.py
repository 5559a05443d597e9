"""The background task that runs a scan (Django's tasks API; `rouei worker` executes it).

A scan is a bounded, cancellable, fair job (issue 15, finding 1):

- bounded: ``ROUEI_SCAN_MAX_SECONDS`` and ``ROUEI_SCAN_MAX_MEMORY_MB`` (and the archive limits
  of the readers); past them the scan stops with what it found, marked partial;
- cancellable: ``actions.do_cancel_scan`` sets ``cancel_requested_at``; the scan asks about it
  once a second and stops as "cancelled", keeping what it found;
- fair: at most one scan per incident runs at a time. A worker that takes a scan whose incident
  already has one running puts it back (``SLOT_WAIT`` seconds later) and takes the next task,
  so N workers serve up to N incidents side by side and one incident's long scan never holds
  more than one of them. On the database queue, an incident's second and later waiting scans
  are queued at a lower priority (one step per scan ahead of it), so a single worker takes
  the incidents in turn instead of in upload order.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TASK_MIN_PRIORITY

from rouei.evidence import store
from rouei.incidents.models import Incident
from rouei.scanning.control import CANCELLED
from rouei.scanning.engine import ScanOptions, scan_files
from rouei.scanning.readers import Limits
from rouei.scans.models import EvidenceScan, ScanStatus
from rouei.workers.transient import is_transient

PROGRESS_EVERY = 0.5  # seconds between progress writes
SLOT_WAIT = dt.timedelta(seconds=5)  # a scan of a busy incident is tried again after this


def enqueue_scan(scan: EvidenceScan, *, after: dt.datetime | None = None) -> None:
    """Queue the task of ``scan``: behind the other waiting scans of its incident (priority,
    where the queue has one), and not before ``after`` (where the queue can defer)."""
    backend = run_scan.get_backend()
    options: dict = {}
    if backend.supports_priority:
        ahead = EvidenceScan.objects.filter(incident_id=scan.incident_id, pk__lt=scan.pk,
                                            status__in=(ScanStatus.QUEUED, ScanStatus.RUNNING))
        options["priority"] = max(-ahead.count(), TASK_MIN_PRIORITY)
    if after is not None and backend.supports_defer:
        options["run_after"] = after
    (run_scan.using(**options) if options else run_scan).enqueue(scan.pk)


def _claim(scan_id: int, incident_id: int) -> bool:
    """Mark the scan running if no other scan of its incident runs: one atomic update (the
    incident row locked first where the database can, PostgreSQL; SQLite writes one at a
    time anyway)."""
    with transaction.atomic():
        Incident.objects.select_for_update().filter(pk=incident_id).first()
        busy = EvidenceScan.objects.filter(incident_id=OuterRef("incident_id"),
                                           status=ScanStatus.RUNNING).exclude(pk=scan_id)
        return bool(EvidenceScan.objects.filter(pk=scan_id, status=ScanStatus.QUEUED)
                    .filter(~Exists(busy))
                    .update(status=ScanStatus.RUNNING, started_at=timezone.now()))


@task()
def run_scan(scan_id: int) -> None:
    scan = EvidenceScan.objects.get(pk=scan_id)
    if scan.status == ScanStatus.QUEUED:
        if not _claim(scan_id, scan.incident_id):
            scan.refresh_from_db(fields=["status"])
            if scan.status == ScanStatus.QUEUED:  # its incident is busy: later, others first
                if run_scan.get_backend().supports_defer:
                    enqueue_scan(scan, after=timezone.now() + SLOT_WAIT)
                    return
                EvidenceScan.objects.filter(pk=scan_id).update(
                    status=ScanStatus.RUNNING, started_at=timezone.now())
            elif scan.status != ScanStatus.RUNNING:
                return  # cancelled while it waited
    elif scan.status != ScanStatus.RUNNING:
        return  # cancelled while queued, or finished already
    # RUNNING here: claimed just now, or this task run again after a transient error.
    files = [(store.blob_path(item.sha256), item.original_name)
             for item in scan.items.order_by("pk")]
    done = 0
    last = 0.0

    def progress(n: int) -> None:
        nonlocal done, last
        done += n
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            try:
                EvidenceScan.objects.filter(pk=scan_id).update(bytes_done=done)
            except Exception as exc:  # progress is a courtesy: a locked database skips one
                if not is_transient(exc):
                    raise

    def cancelled() -> bool:
        try:
            return EvidenceScan.objects.filter(pk=scan_id,
                                               cancel_requested_at__isnull=False).exists()
        except Exception as exc:  # a locked database: asked again in a second
            if not is_transient(exc):
                raise
            return False

    stored = scan.zip_passwords or ""  # an Undecryptable (wrong ROUEI_DATA_KEYS) opens nothing
    passwords = () if getattr(stored, "failed", False) else tuple(
        p for p in stored.split("\n") if p)
    options = ScanOptions(workers=1, limits=Limits(zip_passwords=passwords),
                          max_seconds=settings.ROUEI_SCAN_MAX_SECONDS or None,
                          max_memory_mb=settings.ROUEI_SCAN_MAX_MEMORY_MB or None)
    try:
        report = scan_files(files, options, progress=progress, cancelled=cancelled)
    except Exception as exc:
        if is_transient(exc):
            raise  # the worker runs the scan again (rouei.workers.worker); not a failure
        EvidenceScan.objects.filter(pk=scan_id).update(
            status=ScanStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now(),
            zip_passwords="")
        raise
    was_cancelled = (report.stopped or {}).get("reason") == CANCELLED
    # The passwords were needed for this run only (kept after a transient error: the worker
    # runs the scan again with them). A cancelled scan keeps its report (what it found) but
    # proposes nothing: whoever cancelled it did not want its result.
    EvidenceScan.objects.filter(pk=scan_id).update(
        zip_passwords="", status=ScanStatus.CANCELLED if was_cancelled else ScanStatus.DONE,
        bytes_done=done if report.partial else scan.bytes_total, report=report.to_dict(),
        proposed=None if was_cancelled else report.proposed_facts(),
        stop_reason=(report.stopped or {}).get("reason", ""), finished_at=timezone.now())


def scan_task_lost(task_path: str, args: list, requeued: bool) -> None:
    """The worker running a scan died (``rouei.workers.worker.requeue_lost_tasks``): the scan
    is queued again, or after too many lost runs failed with the reason ``worker_lost``."""
    if task_path != run_scan.module_path or not args:
        return
    running = EvidenceScan.objects.filter(pk=args[0], status__in=(ScanStatus.QUEUED,
                                                                   ScanStatus.RUNNING))
    # A scan someone asked to cancel is not run again: it ends cancelled (with no report).
    running.filter(cancel_requested_at__isnull=False).update(
        status=ScanStatus.CANCELLED, stop_reason=CANCELLED, zip_passwords="",
        finished_at=timezone.now())
    if requeued:
        running.update(status=ScanStatus.QUEUED, bytes_done=0)
    else:
        running.update(status=ScanStatus.FAILED, error="worker_lost", zip_passwords="",
                       finished_at=timezone.now())
