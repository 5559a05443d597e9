"""The evidence register and the notes of an incident.

Every view goes through the one door, ``rouei.core.views.incident_view``, before looking at
the item or the body. Who may do what is ``rouei.evidence.choices``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from rouei.core.access import Need, abilities, role_allows
from rouei.core.audit import record_view
from rouei.core.errors import ActionError
from rouei.core.views import READ, READ_WRITE, incident_view, render_incident
from rouei.evidence import actions, store
from rouei.evidence.choices import VerifyResult
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


def _item(incident, item_pk) -> EvidenceItem:
    return get_object_or_404(
        EvidenceItem.objects.select_related("collected_by_user", "created_by", "incident"),
        pk=item_pk, incident=incident)


def _item_url(item, anchor: str = "") -> str:
    url = reverse("evidence:item", args=[item.incident_id, item.pk])
    return f"{url}#{anchor}" if anchor else url


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


@incident_view()
def evidence_list(request, incident):
    return render_incident(request, "evidence/list.html", incident, items=items_for(incident))


# The upload handler must be in place before anything reads the body, and the CSRF check reads
# it; so the CSRF check moves inside, after the access check and the handler (Django's
# documented pattern for per-view upload handlers).
@csrf_exempt
@incident_view(read=Need.EDIT, methods=READ_WRITE)
def evidence_upload(request, incident):
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
        return render_incident(request, "evidence/upload.html", incident, form=form, limit=limit)
    form = EvidenceUploadForm(request.POST, request.FILES, members=members, limit=limit)
    valid = form.is_valid()
    if handler.oversize:
        form.errors["file"] = form.error_class([oversize_message(limit)])
        return render_incident(request, "evidence/upload.html", incident, form=form, limit=limit,
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
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Evidence registered. Its SHA-256 is %(sha256)s.")
                             % {"sha256": item.sha256})
            return redirect(_item_url(item))
    return render_incident(request, "evidence/upload.html", incident, form=form, limit=limit)


def _itemrender_incident(request, incident, item, *, custody_form=None, download_form=None,
               status: int = 200):
    can = abilities(incident.member_role)
    if custody_form is None and can[Need.HANDLE_EVIDENCE]:
        custody_form = CustodyEventForm(initial={"at": _now_local(), "kind": "transferred"})
    if download_form is None and can[Need.HANDLE_EVIDENCE]:
        download_form = DownloadForm()
    events = list(item.custody_events.select_related("actor"))
    return render_incident(request, "evidence/item.html", incident, item=item, events=events,
                 verification=last_verification(item), custody_form=custody_form,
                 download_form=download_form, status=status)


@incident_view()
def evidence_item(request, incident, item_pk):
    return _itemrender_incident(request, incident, _item(incident, item_pk))


@incident_view(write=Need.HANDLE_EVIDENCE, methods=("POST",))
def custody_add(request, incident, item_pk):
    item = _item(incident, item_pk)
    form = CustodyEventForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_custody_event(item, **form.cleaned_data, actor=request.user)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Added to the chain of custody."))
            return redirect(_item_url(item, "custody"))
    return _itemrender_incident(request, incident, item, custody_form=form, status=400)


@incident_view(write=Need.HANDLE_EVIDENCE, methods=("POST",))
def evidence_download(request, incident, item_pk):
    item = _item(incident, item_pk)
    form = DownloadForm(request.POST)
    if not form.is_valid():
        return _itemrender_incident(request, incident, item, download_form=form, status=400)
    try:
        access = actions.do_access_evidence(item, purpose=form.cleaned_data["purpose"],
                                            actor=request.user)
    except ActionError as exc:
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


@incident_view(methods=("POST",))
def evidence_verify(request, incident, item_pk):
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


@incident_view(methods=READ_WRITE)
def notes(request, incident):
    form = None
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                note = actions.do_add_note(incident, body=form.cleaned_data["body"],
                                           actor=request.user)
            except ActionError as exc:
                form.add_error("body", exc.message)
            else:
                messages.success(request, _("Note added."))
                return redirect(reverse("evidence:notes", args=[incident.pk])
                                + f"#note-{note.pk}")
    elif role_allows(incident.member_role, Need.EDIT):
        form = NoteForm()
    shown = notes_for(incident)
    # Notes are free Markdown that may hold personal data: each showing is recorded.
    if shown:
        record_view(actor=request.user, what="notes", incident_id=incident.pk,
                    details={"notes": [n.pk for n in shown]})
    return render_incident(request, "evidence/notes.html", incident, notes=shown, form=form,
                 status=400 if form is not None and form.errors else 200)


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def note_edit(request, incident, note_pk):
    note = get_object_or_404(Note, pk=note_pk, incident=incident)
    if note.author_id != request.user.pk and not role_allows(incident.member_role, Need.MANAGE):
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
            except ActionError as exc:
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
    return render_incident(request, "evidence/note_edit.html", incident, note=note, form=form,
                 conflict=conflict, status=409 if conflict else 200)
