"""The registry's pages (through the one door, ``incident_view``).

- the registry: counts for every member; the import for those who may export personal data;
- an import: upload → preview (mapping, first rows masked) → confirm → progress;
- the contact window: one caller at a time, for operators (``ANSWER_WINDOW``);
- the notices: settings, a masked preview, the e-mail send runs (``PUBLISH``) and the letters
  as one PDF (``EXPORT_PERSONAL``).
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.core.access import Need, parse_id, role_allows
from rouei.core.errors import ActionError
from rouei.core.views import READ_WRITE, incident_view, render_incident
from rouei.people import actions, services, uploads
from rouei.people.forms import ImportUploadForm, InquiryForm, WindowForm
from rouei.people.importing import SHEET_NOT_XLSX, ImportFileError
from rouei.people.imports import read_progress
from rouei.people.jobs import run_people_import
from rouei.people.maintenance import STALE_KEYS_WARNING, keys_are_stale
from rouei.people.models import ImportStatus, PeopleImport, Person
from rouei.people.registry import item_labels
from rouei.ui.lang import current_lang


def _scan_tables(incident) -> list[tuple]:
    """(scan, table, item labels) for every table with people in the incident's finished
    scans."""
    from rouei.people.from_scan import people_tables
    from rouei.scans.models import EvidenceScan, ScanStatus

    scans = EvidenceScan.objects.filter(incident=incident, status=ScanStatus.DONE)
    return [(scan, table, item_labels(table.items, current_lang()))
            for scan in scans.order_by("-pk")[:20] for table in people_tables(scan.report)]


@incident_view(read=Need.VIEW)
def registry(request, incident):
    imports = PeopleImport.objects.filter(incident=incident)[:10]
    role = incident.member_role
    scan_tables = (_scan_tables(incident) if role_allows(role, Need.EXPORT_PERSONAL)
                   and role_allows(role, Need.HANDLE_EVIDENCE) else [])
    return render_incident(request, "people/registry.html", incident,
                           people=services.registry_counts(incident), imports=imports,
                           form=ImportUploadForm(), scan_tables=scan_tables,
                           stale_keys=_stale_keys_warning(incident))


def _stale_keys_warning(incident) -> str:
    """The warning while the registry's keys were built with older rules, else ""."""
    return str(STALE_KEYS_WARNING) if keys_are_stale(incident) else ""


@incident_view(read=Need.EXPORT_PERSONAL, write=Need.EXPORT_PERSONAL, methods=("POST",))
def import_scan(request, incident):
    """A table the scan found → an import previewed with the scan's classification."""
    from rouei.people.from_scan import find_table
    from rouei.scans.models import EvidenceScan

    scan = get_object_or_404(EvidenceScan, pk=parse_id(request.POST.get("scan")),
                             incident=incident)
    index = request.POST.get("table", "")
    if not index.isdigit():
        raise Http404
    index = int(index)
    try:
        table = find_table(scan.report, index)
    except ImportFileError:
        raise Http404 from None
    job = PeopleImport(incident=incident, started_by=request.user, source="scan", scan=scan,
                       scan_table=index, bytes_total=table.rows)
    try:
        job.mapping = actions.do_preview_scan_import(request.user, incident, scan, index)
    except ActionError as exc:
        job.status, job.error = ImportStatus.FAILED, exc.message
    job.save()
    return redirect("people:import_detail", incident.pk, job.pk)


@incident_view(read=Need.EXPORT_PERSONAL, write=Need.EXPORT_PERSONAL, methods=("POST",))
def import_upload(request, incident):
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_incident(request, "people/registry.html", incident, status=400,
                               people=services.registry_counts(incident), form=form,
                               imports=PeopleImport.objects.filter(incident=incident)[:10])
    upload = form.cleaned_data["file"]
    try:
        name, size = uploads.store(upload.chunks(), Path(upload.name).suffix)
    except ActionError as exc:
        form.add_error("file", exc.message)
        return render_incident(request, "people/registry.html", incident, status=400,
                               people=services.registry_counts(incident), form=form,
                               imports=PeopleImport.objects.filter(incident=incident)[:10])
    job = PeopleImport.objects.create(incident=incident, started_by=request.user, source="file",
                                      upload_path=name, bytes_total=size,
                                      on_error=form.cleaned_data["on_error"])
    try:
        with uploads.opened(name) as path:
            job.mapping = actions.do_preview_import(request.user, incident, path)
    except ActionError as exc:
        uploads.remove(name)
        job.status, job.error, job.upload_path = ImportStatus.FAILED, exc.message, ""
        job.save(update_fields=["status", "error", "upload_path", "updated_at"])
    else:
        job.save(update_fields=["mapping", "updated_at"])
    return redirect("people:import_detail", incident.pk, job.pk)


@incident_view(read=Need.EXPORT_PERSONAL, write=Need.EXPORT_PERSONAL, methods=READ_WRITE)
def import_detail(request, incident, import_id):
    job = get_object_or_404(PeopleImport, pk=import_id, incident=incident)
    if request.method == "POST":
        action = request.POST.get("action")
        if job.status == ImportStatus.PREVIEWED and action == "start":
            if request.POST.get("on_error") in ("stop", "skip"):
                job.on_error = request.POST["on_error"]
            job.status = ImportStatus.QUEUED
            job.save(update_fields=["status", "on_error", "updated_at"])
            run_people_import.enqueue(job.pk)
        elif job.status == ImportStatus.PREVIEWED and action == "sheet":
            _preview_sheet(request, incident, job, request.POST.get("sheet", ""))
        elif job.status == ImportStatus.PREVIEWED and action == "cancel":
            uploads.remove(job.upload_path)
            job.status, job.upload_path = ImportStatus.CANCELLED, ""
            job.save(update_fields=["status", "upload_path", "updated_at"])
        return redirect("people:import_detail", incident.pk, job.pk)
    progress = read_progress(job.pk) if job.status == ImportStatus.RUNNING else None
    percent = (min(100, progress["bytes"] * 100 // max(job.bytes_total, 1)) if progress
               else job.percent if job.status != ImportStatus.DONE else 100)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": job.status, "percent": percent,
                             "rows": (progress or {}).get("rows", job.rows_done)})
    for row in job.mapping.get("first_rows", []):
        row["item_labels"] = item_labels(row.get("items", []), current_lang())
    return render_incident(request, "people/import.html", incident, job=job, percent=percent,
                           progress=progress)


def _preview_sheet(request, incident, job, sheet: str) -> None:
    """The preview again, of another worksheet of the uploaded workbook (refused with the
    reason for a CSV, a table of a scan, or a sheet the workbook does not have)."""
    try:
        if job.source != "file" or not job.upload_path:
            raise ActionError("sheet_not_xlsx", SHEET_NOT_XLSX)
        with uploads.opened(job.upload_path) as path:
            job.mapping = actions.do_preview_import(request.user, incident, path, sheet=sheet)
    except ActionError as exc:
        job.error = exc.message
        job.save(update_fields=["error", "updated_at"])
    else:
        job.error = ""
        job.save(update_fields=["mapping", "error", "updated_at"])


# The window carries the caller it found from the look-up to the call log in a signed value,
# never a person's id an operator could change (nor anything personal in the page's URL).
CALLER_SALT = "rouei.people.window.caller"
CALLER_MAX_AGE = 4 * 60 * 60  # a long call, then the log


def _caller_token(incident, person) -> str:
    return signing.dumps({"i": incident.pk, "p": person.pk if person else None}, salt=CALLER_SALT)


def _caller(incident, token: str):
    try:
        data = signing.loads(token, salt=CALLER_SALT, max_age=CALLER_MAX_AGE)
    except signing.BadSignature:
        return False
    if data.get("i") != incident.pk:
        return False
    return Person.objects.filter(pk=data["p"], incident=incident).first() if data["p"] else None


@incident_view(read=Need.ANSWER_WINDOW, write=Need.ANSWER_WINDOW, methods=READ_WRITE)
def window(request, incident):
    answer = None
    logged = False
    logging_call = request.method == "POST" and request.POST.get("action") == "log"
    form = WindowForm(request.POST if request.method == "POST" and not logging_call else None)
    inquiry_form = InquiryForm()
    caller = None
    if logging_call:
        caller = _caller(incident, request.POST.get("caller", ""))
        inquiry_form = InquiryForm(request.POST)
        if caller is False:
            inquiry_form.add_error(None, _("The look-up has expired: look the caller up again."))
        elif inquiry_form.is_valid():
            logged_call = dict(inquiry_form.cleaned_data)
            request_kind = logged_call.pop("request_kind")
            with transaction.atomic():
                actions.do_log_inquiry(request.user, incident, person=caller, **logged_call)
                if request_kind:
                    actions.do_record_request(request.user, incident, kind=request_kind,
                                              channel="window", person=caller,
                                              received_on=timezone.localdate(),
                                              details=logged_call["answer"])
            messages.success(request, _("The call is logged."))
            return redirect("people:window", incident.pk)
        logged = True
    elif request.method == "POST" and form.is_valid():
        try:
            answer = actions.do_window_lookup(request.user, incident, **form.facts())
        except ActionError as exc:
            form.add_error(exc.field, exc.message)
        else:
            caller = answer.person
    person = caller if caller else None
    script_entries, script_version = actions.current_script(incident)
    return render_incident(
        request, "people/window.html", incident, form=form, answer=answer, person=person,
        searched=answer is not None or logged, inquiry_form=inquiry_form,
        caller_token=_caller_token(incident, person),
        items=item_labels(person.items, current_lang()) if person else [],
        script=script_entries, script_version=script_version,
        stale_keys=_stale_keys_warning(incident),
        status=400 if form.errors or inquiry_form.errors else 200)


def _letters_pdf(request, incident) -> HttpResponse:
    """The letter queue's letters as one PDF (a download; the action checks EXPORT_PERSONAL)."""
    from rouei.documents.renderers.pdf import FontMissing

    buffer = io.BytesIO()
    only_unreached = request.POST.get("only_unreached") == "1"
    try:
        actions.do_render_letters(request.user, incident, buffer, only_unreached=only_unreached)
    except FontMissing as exc:
        raise ActionError("font_missing", str(exc)) from None
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    # No personal value in the name: the incident's id and the day.
    day = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="letters-{incident.pk}-{day}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@incident_view(read=Need.PUBLISH, write=Need.PUBLISH, methods=READ_WRITE)
def notices(request, incident):
    """The notice settings, one person's notice as a preview (masked), and the e-mail runs."""
    from rouei.people import notices as notice_texts
    from rouei.people.forms import NoticeSettingsForm
    from rouei.people.mailer import eligible
    from rouei.people.models import NoticeRun

    row = notice_texts.settings_of(incident)
    form = NoticeSettingsForm(instance=row, initial={"expected_version": row.version})
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "letters":
                return _letters_pdf(request, incident)
            if request.POST.get("action") == "send":
                run = actions.do_start_email_notices(request.user, incident)
                messages.success(request, _("Send run %(run)s started.") % {"run": run.pk})
                return redirect("people:notices", incident.pk)
            form = NoticeSettingsForm(request.POST, instance=notice_texts.settings_of(incident))
            if form.is_valid():
                values = {k: form.cleaned_data[k] for k in actions.NOTICE_SETTING_FIELDS}
                actions.do_update_notice_settings(
                    request.user, incident, values,
                    expected_version=form.cleaned_data.get("expected_version"))
                messages.success(request, _("Notice settings saved."))
                return redirect("people:notices", incident.pk)
            status = 400
        except ActionError as exc:
            messages.error(request, exc.message)
            status = exc.status
    return render_incident(
        request, "people/notices.html", incident, form=form, status=status,
        missing=notice_texts.missing_settings(row),
        letter_missing=[n for n in actions.LETTER_REQUIRED if not getattr(row, n).strip()],
        letter_limit=settings.ROUEI_LETTER_PDF_MAX,
        preview=actions.notice_preview(request.user, incident),
        would_send=eligible(incident).count(), people=services.registry_counts(incident),
        runs=NoticeRun.objects.filter(incident=incident)[:10])


@incident_view(read=Need.VIEW, write=Need.PUBLISH, methods=READ_WRITE)
def compensation(request, incident):
    """The compensation policy (everyone sees it; PUBLISH changes it), its cost if everyone
    eligible is paid, the payouts so far, and the estimate's damages beside them."""
    from rouei.core.errors import Conflict
    from rouei.estimates.services import incident_estimate
    from rouei.people.forms import CompensationPolicyForm

    policy = services.policy_of(incident)
    form = CompensationPolicyForm(instance=policy,
                                  initial={"expected_version": policy.version if policy else 0})
    status = 200
    if request.method == "POST":
        form = CompensationPolicyForm(request.POST, instance=policy)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
            try:
                actions.do_save_compensation_policy(
                    request.user, incident,
                    expected_version=form.cleaned_data.get("expected_version"), **data)
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("The compensation policy is saved."))
                return redirect("people:compensation", incident.pk)
        else:
            status = 400
    estimate = incident_estimate(incident, current_lang())
    claim_url = (request.build_absolute_uri(reverse("people:claim", args=[policy.public_token]))
                 if policy else "")
    return render_incident(request, "people/compensation.html", incident, form=form,
                           policy=policy, totals=services.compensation_totals(incident, policy),
                           estimate=estimate["estimate"] if estimate else None,
                           claim_url=claim_url, status=status)


# The public claim form: no sign-in, so it is rate-limited per address and per incident, and a
# wrong birth date gets exactly the answer an unknown number gets.
CLAIM_RATE_PER_ADDRESS = 20  # claims an hour from one address
CLAIM_RATE_PER_INCIDENT = 5_000  # and an hour for the incident as a whole


def claim(request, token: str):
    from rouei.accounts.client import client_address
    from rouei.core.ratelimit import address_key, over_rate
    from rouei.people.forms import ClaimForm
    from rouei.people.models import CompensationMode, CompensationPolicy

    policy = CompensationPolicy.objects.select_related("incident").filter(
        public_token=token).exclude(mode=CompensationMode.NONE).first()
    if policy is None:
        raise Http404
    form = ClaimForm(request.POST or None)
    decision = None
    status = 200
    if request.method == "POST":
        address = client_address(request)
        limited = (over_rate(f"claim-ip-{token}-{address_key(address)}",
                             CLAIM_RATE_PER_ADDRESS)
                   or over_rate(f"claim-incident-{token}", CLAIM_RATE_PER_INCIDENT))
        if limited:
            form.add_error(None, _("Too many attempts: please try again later."))
            status = 429
        elif form.is_valid():
            decision = actions.do_claim_by_form(policy.incident, form.cleaned_data)
            form = ClaimForm()
        else:
            status = 400
    sender = getattr(getattr(policy.incident, "notice_settings", None), "sender_name", "")
    return render(request, "people/claim.html", {"policy": policy, "form": form,
                                                 "decision": decision, "sender": sender},
                  status=status)


@incident_view(read=Need.VIEW_PERSONAL, write=Need.VIEW_PERSONAL, methods=READ_WRITE)
def requests(request, incident):
    """Requests from individuals (開示等の請求, 法33–35条): the list by due date, a request
    received in writing, and each one's verification, outcome and reply."""
    from rouei.core.audit import record_view
    from rouei.core.errors import Conflict
    from rouei.people.forms import RequestForm, RequestUpdateForm
    from rouei.people.models import PersonRequest

    form = RequestForm(initial={"received_on": timezone.localdate(), "channel": "letter"})
    status = 200
    if request.method == "POST" and request.POST.get("action") == "new":
        form = RequestForm(request.POST)
        if form.is_valid():
            actions.do_record_request(request.user, incident, **form.cleaned_data)
            messages.success(request, _("The request is recorded."))
            return redirect("people:requests", incident.pk)
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "update":
        row = get_object_or_404(PersonRequest, pk=parse_id(request.POST.get("request")),
                                incident=incident)
        update = RequestUpdateForm(request.POST, instance=row, prefix=f"r{row.pk}")
        if update.is_valid():
            data = dict(update.cleaned_data)
            try:
                actions.do_update_request(request.user, row,
                                          expected_version=data.pop("expected_version"), **data)
            except Conflict as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The request is updated."))
            return redirect("people:requests", incident.pk)
        status = 400
    rows = list(PersonRequest.objects.filter(incident=incident).select_related("person"))
    record_view(actor=request.user, what="people.requests", incident_id=incident.pk,
                details={"requests": len(rows)})
    today = timezone.localdate()
    entries = [{"row": r, "overdue": r.status in ("received", "verified") and r.due_on < today,
                "ref": r.person.record().ref if r.person else "",
                "form": RequestUpdateForm(instance=r, initial={"expected_version": r.version},
                                          prefix=f"r{r.pk}")} for r in rows]
    return render_incident(request, "people/requests.html", incident, form=form,
                           request_rows=entries, status=status,
                           due_days=getattr(settings, "ROUEI_REQUEST_DUE_DAYS", 14))


@incident_view(read=Need.VIEW, write=Need.PUBLISH, methods=READ_WRITE)
def script(request, incident):
    """The window's talk script: the current version (or the draft generated from the
    incident), its history, and — for those who publish — a form that saves a new version."""
    from rouei.people.forms import ScriptFormSet, ScriptSaveForm
    from rouei.people.models import ScriptVersion
    from rouei.people.window import generated_script

    entries, current = actions.current_script(incident)
    number = current.number if current else 0
    status = 200
    if request.method == "POST":
        formset = ScriptFormSet(request.POST, prefix="entry")
        meta = ScriptSaveForm(request.POST)
        if formset.is_valid() and meta.is_valid():
            try:
                version = actions.do_save_script(
                    request.user, incident, [f.cleaned_data for f in formset.forms],
                    expected_number=meta.cleaned_data["expected_number"],
                    note=meta.cleaned_data["note"])
            except ActionError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Version %(number)s of the talk script saved.")
                                 % {"number": version.number})
                return redirect("people:script", incident.pk)
        else:
            status = 400
    else:
        if request.GET.get("from") == "generated":
            entries = generated_script(incident)
        formset = ScriptFormSet(initial=entries, prefix="entry")
        meta = ScriptSaveForm(initial={"expected_number": number})
    shown = None
    if (wanted := request.GET.get("version", "")).isdigit():
        shown = ScriptVersion.objects.filter(incident=incident, number=int(wanted)).first()
    return render_incident(
        request, "people/script.html", incident, status=status, entries=entries,
        current=current, formset=formset, meta=meta, shown=shown,
        versions=ScriptVersion.objects.filter(incident=incident).select_related("created_by"))
