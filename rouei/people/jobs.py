"""The background tasks of the registry (`rouei worker` runs them): an import of an uploaded people
list or of a table a scan found, and a send run of e-mail notices."""

from __future__ import annotations

import time

from django_tasks import task

from rouei.core.errors import ActionError
from rouei.people import uploads
from rouei.people.imports import write_progress
from rouei.people.models import ImportStatus, PeopleImport

PROGRESS_EVERY = 0.5  # seconds


@task()
def run_people_import(import_id: int) -> None:
    from rouei.people.actions import do_import_from_scan, do_import_people

    job = PeopleImport.objects.select_related("incident", "started_by", "scan").get(pk=import_id)
    PeopleImport.objects.filter(pk=import_id).update(status=ImportStatus.RUNNING)
    last = 0.0

    def progress(rows: int, done: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            write_progress(import_id, rows, done, job.bytes_total)

    try:
        if job.source == "scan":
            result = do_import_from_scan(job.started_by, job.incident, job.scan, job.scan_table,
                                         on_error=job.on_error, progress=progress,
                                         import_id=import_id)
        else:
            with uploads.opened(job.upload_path) as path:
                result = do_import_people(job.started_by, job.incident, path,
                                          on_error=job.on_error, progress=progress,
                                          import_id=import_id,
                                          sheet=job.mapping.get("sheet"))
    except ActionError as exc:
        PeopleImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, error=exc.message[:500],
            result={"row": exc.extra.get("row")} if exc.extra.get("row") else {})
        return
    except Exception as exc:
        PeopleImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, error=type(exc).__name__)
        raise
    finally:
        uploads.remove(job.upload_path)
    PeopleImport.objects.filter(pk=import_id).update(
        status=ImportStatus.DONE, result=result.to_dict(), rows_done=result.rows,
        bytes_done=job.bytes_total, upload_path="")


@task()
def send_notice_emails(run_id: int, part: int = 0) -> None:
    """Part ``part`` of a send run of e-mail notices (``rouei.people.mailer``)."""
    from rouei.people.mailer import run_email_notices

    run_email_notices(run_id, part)
