"""The evidence register and the notes of an incident.

Every view fetches its incident through ``access_incident`` first — before looking at the
method, the item or the body — so a non-member gets the same 404 on every URL. What each role
may do is ``rouei.evidence.choices``; a member whose role does not allow an action gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from rouei.core.access import Need, RoleForbidden, access_incident, role_allows
from rouei.core.audit import record_view
from rouei.evidence import actions, store
from rouei.evidence.choices import (
    VerifyResult,
    can_handle_evidence,
    can_register_evidence,
    can_write_notes,
)
from rouei.evidence.forms import (
    CustodyEventForm,
    DownloadForm,
    EvidenceUploadForm,
    NoteForm,
    oversize_message,
)
from rouei.evidence.models import EvidenceItem, Note
from rouei.evidence.services import (
    content_disposition,
    items_for,
    last_verification,
    notes_for,
)
from rouei.evidence.uploads import EvidenceUploadHandler
from rouei.incidents.choices import Role

READ = ("GET", "HEAD")


def abilities(role: str | None) -> dict[str, bool]:
    """What the member's role allows, for the templates' links and forms."""
    can = {need.value: role_allows(role, need) for need in Need}
    can.update(register_evidence=can_register_evidence(role),
               handle_evidence=can_handle_evidence(role), write_notes=can_write_notes(role))
    return can


def _page(request, template: str, incident, *, status: int = 200, **context):
    return render(request, template,
                  {"incident": incident, "can": abilities(incident.member_role), **context},
                  status=status)


def _require(incident, allowed, need: str) -> None:
    if not allowed(incident.member_role):
        raise RoleForbidden(incident.member_role, need)


def _item(incident, item_pk) -> EvidenceItem:
    return get_object_or_404(
        EvidenceItem.objects.select_related("collected_by_user", "created_by", "incident"),
        pk=item_pk, incident=incident)


def _item_url(item, anchor: str = "") -> str:
    url = reverse("evidence:item", args=[item.incident_id, item.pk])
    return f"{url}#{anchor}" if anchor else url


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


@login_required
def evidence_list(request, pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    if request.method not in READ:
        return HttpResponseNotAllowed(READ)
    return _page(request, "evidence/list.html", incident, items=items_for(incident))


# The upload handler must be in place before anything reads the body, and the CSRF check reads
# it; so the CSRF check moves inside, after the access check and the handler (Django's
# documented pattern for per-view upload handlers).
@login_required
@csrf_exempt
def evidence_upload(request, pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    _require(incident, can_register_evidence, "register_evidence")
    if request.method not in (*READ, "POST"):
        return HttpResponseNotAllowed([*READ, "POST"])
    handler = None
    if request.method == "POST":
        handler = EvidenceUploadHandler(request)
        request.upload_handlers = [handler]
    return _upload(request, incident, handler)


@csrf_protect
def _upload(request, incident, handler):
    members = list(incident.memberships.select_related("user"))
    limit = store.max_bytes()
    if request.method != "POST":
        form = EvidenceUploadForm(members=members, limit=limit, initial={
            "collected_at": _now_local(), "collected_by_user": str(request.user.pk)})
        return _page(request, "evidence/upload.html", incident, form=form, limit=limit)
    form = EvidenceUploadForm(request.POST, request.FILES, members=members, limit=limit)
    valid = form.is_valid()
    if handler.oversize:
        form.errors["file"] = form.error_class([oversize_message(limit)])
        return _page(request, "evidence/upload.html", incident, form=form, limit=limit,
                     status=413)
    if valid:
        upload = form.cleaned_data["file"]
        data = form.cleaned_data
        try:
            item = actions.do_add_evidence(
                incident, upload.pending, original_name=upload.original_name,
                description=data["description"], collected_from=data["collected_from"],
                collected_at=data["collected_at"], collected_by_user=data["collected_by_user"],
                collected_by_name=data["collected_by_name"], purpose=data["purpose"],
                actor=request.user)
        except actions.EvidenceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Evidence registered. Its SHA-256 is %(sha256)s.")
                             % {"sha256": item.sha256})
            return redirect(_item_url(item))
    return _page(request, "evidence/upload.html", incident, form=form, limit=limit)


def _item_page(request, incident, item, *, custody_form=None, download_form=None,
               status: int = 200):
    can = abilities(incident.member_role)
    if custody_form is None and can["handle_evidence"]:
        custody_form = CustodyEventForm(initial={"at": _now_local(), "kind": "transferred"})
    if download_form is None and can["handle_evidence"]:
        download_form = DownloadForm()
    events = list(item.custody_events.select_related("actor"))
    return _page(request, "evidence/item.html", incident, item=item, events=events,
                 verification=last_verification(item), custody_form=custody_form,
                 download_form=download_form, status=status)


@login_required
def evidence_item(request, pk, item_pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    if request.method not in READ:
        return HttpResponseNotAllowed(READ)
    return _item_page(request, incident, _item(incident, item_pk))


@login_required
def custody_add(request, pk, item_pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require(incident, can_handle_evidence, "handle_evidence")
    item = _item(incident, item_pk)
    form = CustodyEventForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_custody_event(item, **form.cleaned_data, actor=request.user)
        except actions.EvidenceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Added to the chain of custody."))
            return redirect(_item_url(item, "custody"))
    return _item_page(request, incident, item, custody_form=form, status=400)


@login_required
def evidence_download(request, pk, item_pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require(incident, can_handle_evidence, "handle_evidence")
    item = _item(incident, item_pk)
    form = DownloadForm(request.POST)
    if not form.is_valid():
        return _item_page(request, incident, item, download_form=form, status=400)
    try:
        access = actions.do_access_evidence(item, purpose=form.cleaned_data["purpose"],
                                            actor=request.user)
    except actions.EvidenceError as exc:
        messages.error(request, exc.message)
        return redirect(_item_url(item))
    response = FileResponse(access.file, content_type="application/octet-stream")
    response.block_size = 1024 * 1024
    # Never shown in the browser, whatever the content: an attachment, not sniffed, not cached,
    # and sandboxed should a browser render it all the same.
    response["Content-Disposition"] = content_disposition(item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def evidence_verify(request, pk, item_pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require(incident, can_register_evidence, "register_evidence")
    item = _item(incident, item_pk)
    event = actions.do_verify_evidence(item, actor=request.user)
    if event.result == VerifyResult.OK:
        messages.success(request, _("Verified: the stored file still has the SHA-256 it was "
                                    "registered with."))
    else:
        messages.error(request, _("Verification FAILED: %(result)s. The stored file is not "
                                  "the one registered. Do not use it; report this to the "
                                  "incident lead.") % {"result": event.get_result_display()})
    return redirect(_item_url(item, "custody"))


@login_required
def notes(request, pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    if request.method not in (*READ, "POST"):
        return HttpResponseNotAllowed([*READ, "POST"])
    form = None
    if request.method == "POST":
        _require(incident, can_write_notes, "write_notes")
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                note = actions.do_add_note(incident, body=form.cleaned_data["body"],
                                           actor=request.user)
            except actions.EvidenceError as exc:
                form.add_error("body", exc.message)
            else:
                messages.success(request, _("Note added."))
                return redirect(reverse("evidence:notes", args=[incident.pk])
                                + f"#note-{note.pk}")
    elif can_write_notes(incident.member_role):
        form = NoteForm()
    shown = notes_for(incident)
    # Notes are free Markdown that may hold personal data: each showing is recorded.
    if shown:
        record_view(actor=request.user, what="notes", incident_id=incident.pk,
                    details={"notes": [n.pk for n in shown]})
    return _page(request, "evidence/notes.html", incident, notes=shown, form=form,
                 status=400 if form is not None and form.errors else 200)


@login_required
def note_edit(request, pk, note_pk):
    incident = access_incident(request.user, pk, Need.VIEW)
    if request.method not in (*READ, "POST"):
        return HttpResponseNotAllowed([*READ, "POST"])
    _require(incident, can_write_notes, "write_notes")
    note = get_object_or_404(Note, pk=note_pk, incident=incident)
    if note.author_id != request.user.pk and incident.member_role != Role.LEAD:
        raise PermissionDenied(_("Only its author or the incident lead can edit a note."))
    conflict = None
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                actions.do_edit_note(note, body=form.cleaned_data["body"],
                                     expected_version=form.cleaned_data["expected_version"]
                                     or note.version, actor=request.user)
            except actions.NoteConflict as exc:
                note.refresh_from_db()
                conflict = exc.message
                data = request.POST.copy()
                data["expected_version"] = str(exc.current)
                form = NoteForm(data)
                form.is_valid()
            except actions.EvidenceError as exc:
                form.add_error("body", exc.message)
            else:
                messages.success(request, _("Note saved; the earlier text is kept."))
                return redirect(reverse("evidence:notes", args=[incident.pk])
                                + f"#note-{note.pk}")
    else:
        form = NoteForm(initial={"body": note.body, "expected_version": note.version})
    if request.method in READ or conflict:
        record_view(actor=request.user, what="note", obj=note, incident_id=incident.pk,
                    details={"note_id": note.pk, "version": note.version})
    return _page(request, "evidence/note_edit.html", incident, note=note, form=form,
                 conflict=conflict, status=409 if conflict else 200)
