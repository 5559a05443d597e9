"""The background task that runs a scan (Django's tasks API; `rouei worker` executes it)."""

from __future__ import annotations

import time

from django.utils import timezone
from django_tasks import task

from rouei.evidence import store
from rouei.scanning.engine import ScanOptions, scan_files
from rouei.scanning.readers import Limits
from rouei.scans.models import EvidenceScan, ScanStatus
from rouei.workers.transient import is_transient

PROGRESS_EVERY = 0.5  # seconds between progress writes


@task()
def run_scan(scan_id: int) -> None:
    scan = EvidenceScan.objects.get(pk=scan_id)
    EvidenceScan.objects.filter(pk=scan_id).update(status=ScanStatus.RUNNING)
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

    stored = scan.zip_passwords or ""  # an Undecryptable (wrong ROUEI_DATA_KEYS) opens nothing
    passwords = () if getattr(stored, "failed", False) else tuple(
        p for p in stored.split("\n") if p)
    options = ScanOptions(workers=1, limits=Limits(zip_passwords=passwords))
    try:
        report = scan_files(files, options, progress=progress)
    except Exception as exc:
        if is_transient(exc):
            raise  # the worker runs the scan again (rouei.workers.worker); not a failure
        EvidenceScan.objects.filter(pk=scan_id).update(
            status=ScanStatus.FAILED, error=type(exc).__name__, finished_at=timezone.now(),
            zip_passwords="")
        raise
    # The passwords were needed for this run only (kept after a transient error: the worker
    # runs the scan again with them).
    EvidenceScan.objects.filter(pk=scan_id).update(
        zip_passwords="", status=ScanStatus.DONE, bytes_done=scan.bytes_total, report=report.to_dict(),
        proposed=report.proposed_facts(), finished_at=timezone.now())


def scan_task_lost(task_path: str, args: list, requeued: bool) -> None:
    """The worker running a scan died (``rouei.workers.worker.requeue_lost_tasks``): the scan
    is queued again, or after too many lost runs failed with the reason ``worker_lost``."""
    if task_path != run_scan.module_path or not args:
        return
    running = EvidenceScan.objects.filter(pk=args[0]).exclude(status=ScanStatus.DONE)
    if requeued:
        running.update(status=ScanStatus.QUEUED, bytes_done=0)
    else:
        running.update(status=ScanStatus.FAILED, error="worker_lost", zip_passwords="",
                       finished_at=timezone.now())
