"""Scan an incident's evidence (background), watch its progress, accept what it found."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from rouei.core.access import Need, role_allows
from rouei.core.audit import record_event, record_view
from rouei.core.errors import ActionError
from rouei.core.views import incident_view
from rouei.documents.renderers.excel_csv import excel_csv
from rouei.domain.items import CATALOGUE, part_label
from rouei.incidents.actions import VersionConflict
from rouei.scanning.model import place
from rouei.scanning.report import column_table
from rouei.scans import actions
from rouei.scans.jobs import enqueue_scan
from rouei.scans.models import EvidenceScan, ScanStatus
from rouei.ui.lang import current_lang


def _scan(incident, scan_id) -> EvidenceScan:
    return get_object_or_404(EvidenceScan, pk=scan_id, incident=incident)


@sensitive_post_parameters("zip_password")
@incident_view(write=Need.HANDLE_EVIDENCE, methods=("POST",))
def start(request, incident):
    try:
        scan = actions.do_start_scan(incident, actor=request.user,
                                     zip_passwords=request.POST.getlist("zip_password"))
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("incidents:detail", args=[incident.pk]) + "#scans")
    enqueue_scan(scan)
    return redirect("scans:detail", incident.pk, scan.pk)


def _column_label(column: dict, label: dict[str, str]) -> str | None:
    """What a column of the report held: its item, the other items of a mixed column (連絡先:
    phones + e-mails), or why a column whose values looked like an item was not counted."""
    if column.get("veto"):
        looked_like = column.get("looked_like")
        return _("not counted: the header names something else (the values look like %(item)s)"
                 ) % {"item": label.get(looked_like, looked_like)}
    text = label.get(column.get("category"), column.get("category"))
    if column.get("staff"):  # 担当者名: the company's own people, reported but not counted
        return _("%(item)s of the company's staff, not counted as people") % {"item": text}
    for other, count in (column.get("also") or {}).items():
        text = f"{text} ＋ {label.get(other, other)} {count:,}"
    return text


@incident_view()
def detail(request, incident, scan_id):
    scan = _scan(incident, scan_id)
    latest = incident.latest_facts()
    offer = actions.proposal(scan)
    lang = current_lang()
    label = {item.id: item.label(lang) for item in CATALOGUE}
    totals = [(label.get(k, k), v) for k, v in ((scan.report or {}).get("totals") or {}).items()]
    files = [{**f, "place": place(f), "columns": [{**c, "label": _column_label(c, label),
                                "part": part_label(c.get("part"), lang)}
                               for c in f.get("columns", ())]}
             for f in (scan.report or {}).get("files", ())]
    if scan.report:  # file names and column headers, which can name people (not while running)
        record_view(actor=request.user, what="scan", obj=scan, incident_id=incident.pk)
    return render(request, "scans/detail.html", {
        "scan": scan, "incident": incident, "offer": offer, "totals": totals, "files": files,
        "stopped": _stopped(scan),
        "unreadable": [{**u, "place": place(u)}
                       for u in (scan.report or {}).get("unreadable", ())],
        "new_item_labels": [label.get(i, i) for i in (offer.new_items if offer else [])],
        "version": incident.version, "facts_version": latest.number if latest else None,
        "can_accept": (role_allows(incident.member_role, Need.EDIT) and scan.accepted_at is None
                       and scan.status == ScanStatus.DONE),
        "can_cancel": (role_allows(incident.member_role, Need.HANDLE_EVIDENCE)
                       and scan.is_active and scan.cancel_requested_at is None),
    })


@incident_view(write=Need.HANDLE_EVIDENCE, methods=("POST",))
def cancel(request, incident, scan_id):
    scan = _scan(incident, scan_id)
    try:
        actions.do_cancel_scan(scan, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("The scan is being cancelled. What it found so far is kept."))
    return redirect("scans:detail", incident.pk, scan.pk)


def _stopped(scan: EvidenceScan) -> dict | None:
    """The reason a scan stopped early, as the page says it (the report's own detail is one
    sentence in both languages: this is the page's language only)."""
    stopped = scan.stopped
    if not stopped:
        return None
    limit = stopped.get("limit")
    if stopped.get("reason") == "time":
        title = _("Stopped: limit (time: %(limit)s s)") % {"limit": f"{limit:,.0f}"}
    elif stopped.get("reason") == "memory":
        title = _("Stopped: limit (memory: %(limit)s MB)") % {"limit": f"{limit:,.0f}"}
    else:
        title = _("Cancelled")
    return {"reason": stopped.get("reason"), "title": title}


@incident_view()
def columns_csv(request, incident, scan_id):
    """The scan's columns as CSV for Excel (CP932); the download is audited like a view."""
    scan = _scan(incident, scan_id)
    if not scan.report:
        raise Http404
    with transaction.atomic():
        record_event(actor=request.user, action="scan.download", obj=scan,
                     incident_id=incident.pk, details={"format": "csv"})
    body = excel_csv(*column_table(scan.report, current_lang()))
    response = HttpResponse(body, content_type="text/csv; charset=Shift_JIS")
    name = f"scan-{scan.pk}-columns.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@incident_view(methods=("POST",))
def accept(request, incident, scan_id):
    scan = _scan(incident, scan_id)
    try:
        expected = int(request.POST.get("expected_version", ""))
    except ValueError:
        raise Http404 from None
    try:
        update = actions.do_accept_scan(scan, expected_version=expected, actor=request.user)
    except VersionConflict:
        messages.error(request, _("Someone saved the facts in the meantime. Reload this page "
                                  "and review the proposal again."))
        return redirect("scans:detail", incident.pk, scan.pk)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("scans:detail", incident.pk, scan.pk)
    lang = current_lang()
    if update.saved:
        messages.success(request, _("The scan's findings were taken into the facts as version "
                                    "%(number)s.") % {"number": update.version.number})
    else:
        messages.info(request, _("The facts already contained everything the scan found."))
    for change in update.duty_changes:
        messages.warning(request, change(lang), extra_tags="duty-change")
    return redirect("incidents:detail", incident.pk)
