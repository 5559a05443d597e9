"""The incident pages. Every page of one incident goes through the one door,
``rouei.core.views.incident_view``."""

from __future__ import annotations

from functools import cache

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rouei.assessments.choices import FACT_LABELS
from rouei.assessments.services import describe_facts, describe_value
from rouei.core import checkpoints, incident_apps, pagestate
from rouei.core.access import Need, Role, abilities, incidents_for
from rouei.core.audit import record_view
from rouei.core.crypto import decrypt, seal
from rouei.core.errors import ActionError, Conflict
from rouei.core.fingerprints import Remembered, fingerprint, kept_html, prefetch, user_names
from rouei.core.models import AuditEvent
from rouei.core.views import READ, READ_WRITE, incident_view, render_incident
from rouei.domain.facts import FactsError
from rouei.domain.jdates import format_date
from rouei.incidents import actions, knew_date
from rouei.incidents.choices import MANUAL_TIMELINE_KINDS, Status, TimelineKind
from rouei.incidents.filters import IncidentFilterForm
from rouei.incidents.forms import (
    CloseForm,
    FactsEditForm,
    FiledReportForm,
    IncidentCreateForm,
    IncidentEditForm,
    KnewDateAcceptForm,
    MemberAddForm,
    MemberRoleForm,
    StatusForm,
    TimelineEditForm,
    TimelineEventForm,
)
from rouei.incidents.models import Incident, Membership
from rouei.incidents.services import (
    EDITABLE_LABELS,
    describe_audit_event,
    filed_text,
    next_deadline,
    open_duties_of,
    snapshot_view,
    with_latest_snapshots,
)
from rouei.ui.lang import current_lang
from rouei.workers.status import silence


def _detail_url(incident, anchor: str = "") -> str:
    url = reverse("incidents:detail", args=[incident.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_http_methods(READ)
def incident_list(request):
    lang = current_lang()
    rows = with_latest_snapshots(incidents_for(request.user).order_by("-created_at", "-id"))
    for row in rows:
        row.next_deadline = next_deadline(row.latest_snapshot_obj, row.filed, lang)
    search = IncidentFilterForm(request.GET)
    return render(request, "incidents/list.html", {
        "incidents": search.filter(rows), "search": search, "member_of_any": bool(rows)})


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    form = IncidentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident = actions.do_create_incident(**form.cleaned_data, actor=request.user)
        messages.success(request, _("Incident opened. Enter the facts known so far."))
        return redirect("incidents:facts", incident.pk)
    return render(request, "incidents/create.html", {"form": form})


@incident_view()
def incident_detail(request, incident):
    lang = current_lang()
    show_all = request.GET.get("timeline") == "all"
    # The fingerprints of every kept part of the page (this page's own and the cards'), in
    # one query, and the names of the users every relation points to in another.
    prefetch(incident, (*PAGE_READS, *incident_apps.card_reads()), request,
             names=_user_pointers())
    key = _body_key(request, incident, lang)
    where = (incident.pk, lang, incident.member_role, show_all)
    kept = _bodies.peek(where, key)
    if kept is None:
        views = pagestate.collecting_views(request)
        body = pagestate.without_token(_body(request, incident, lang, show_all))
        kept = _bodies.get(where, key, lambda: (seal(body), tuple(views)))
    else:
        # Taken from memory: the audited reads the body was built with, recorded again.
        for event in kept[1]:
            record_view(actor=request.user, **event)
    body_html = mark_safe(pagestate.with_token(decrypt(kept[0]), request))  # noqa: S308 — rendered templates, autoescaped
    return render_incident(request, "incidents/detail.html", incident, body_html=body_html)


# The incident page's body (rouei.core.pagestate), per incident, language, role and
# ?timeline, sealed: 92.5 kB for the demo incident's, so at most 128 (some 12 MB per
# process); the least recently shown go first, and a body not kept is only built again.
_bodies = Remembered(size=128)
# Relations shown only as counts (the registry: 12,000 rows and more, too many to digest on
# every view); every other relation of the incident is digested row by row.
SUMMARISED = frozenset({"people", "inquiries", "claims", "person_requests"})


@cache
def _user_pointers() -> tuple[str, ...]:
    """``relation.field`` of every foreign key to a user from every relation of the incident:
    a user renamed changes no row of the incident."""
    return tuple(sorted(
        f"{r.get_accessor_name()}.{f.name}" for r in pagestate.relations(Incident)
        if r.get_accessor_name() not in SUMMARISED
        for f in r.related_model._meta.concrete_fields
        if f.is_relation and f.related_model is get_user_model()))


def _body_key(request, incident, lang: str) -> tuple:
    """Changes whenever anything the body shows may have: a row of the incident or of any of
    its relations (``pagestate.state``), the name of a user it points to, a kept card's own
    key (tables every incident shares, the day), whether a worker is seen, and the hour (days
    left turn at midnight; the hour is the finest the page shows)."""
    cards = tuple(card.key(request, incident) for slot in ("top", "assessment", "body")
                  for card in incident_apps.cards(slot) if card.key is not None)
    return (pagestate.state(incident, SUMMARISED),
            user_names(incident, *_user_pointers(), request=request), cards,
            tuple(sorted(abilities(incident.member_role).items())), silence(),
            timezone.localtime().strftime("%Y-%m-%d %H"), lang)


def _body(request, incident, lang: str, show_all: bool) -> str:
    """The body rendered anew (``incidents/_detail_body.html``)."""
    snapshot = incident.snapshots.select_related("facts_version").order_by("-id").first()
    facts_version = incident.facts_versions.select_related("author").order_by("-number").first()
    # A page that only reads: the cards ask for these again, and get them from here.
    incident.hold_latest(facts_version, snapshot)
    can = abilities(incident.member_role)
    manage = can[Need.MANAGE]
    reports = list(incident.filed_reports.select_related("filed_by"))
    for report in reports:
        report.filed_text = filed_text(report)
    kept = _Kept(request, incident, can, lang)
    return render_to_string("incidents/_detail_body.html", {
        "incident": incident, "can": can,
        "member_role_label": Role(incident.member_role).label,
        "statuses": Status.choices,
        "snapshot": snapshot,
        "assessment_html": _assessment_html(request, snapshot, reports, lang),
        "next_deadline": next_deadline(snapshot, {r.kind for r in reports}, lang),
        "reports": reports,
        "facts_html": kept.section("facts", "facts_versions",
                                   lambda: _facts(incident, facts_version, lang)),
        "timeline_html": _timeline_html(kept, show_all=show_all),
        "members_html": kept.section("members", "memberships", lambda: {
            "members": _members(incident, manage),
            "member_form": MemberAddForm() if manage else None}),
        "status_form": StatusForm(initial={"status": incident.status}) if can[Need.EDIT] else None,
        "knew_date": knew_date.check(incident, request=request).describe(lang),
    }, request=request)


# The page's own sections kept as HTML (rouei.core.fingerprints), per incident, until a row
# they show changes (their relation's fingerprint), a user they name is renamed, or the
# language or the member's abilities differ. Each view still reads the fingerprints.
PAGE_READS = ("facts_versions", "timeline", "memberships")
_USERS = ("facts_versions.author", "timeline.author", "timeline.edited_by", "memberships.user")
_sections = {name: Remembered() for name in ("facts", "timeline", "members")}


class _Kept:
    def __init__(self, request, incident, can: dict, lang: str):
        self.request, self.incident, self.can, self.lang = request, incident, can, lang

    def section(self, name: str, relation: str, context, *, more=()) -> str:
        """The section ``incidents/_<name>.html`` showing the rows of ``relation``;
        ``context()`` is called only to build it."""
        request, incident = self.request, self.incident
        key = (fingerprint(incident, relation, request=request),
               user_names(incident, *_USERS, request=request), self.lang,
               tuple(sorted(self.can.items())), *more)
        return kept_html(_sections[name], request, incident.pk, key, lambda token: render_to_string(
            f"incidents/_{name}.html",
            {"incident": incident, "can": self.can, "csrf_token": token, **context()},
            request=request))


def _facts(incident, facts_version, lang: str) -> dict:
    versions = list(incident.facts_versions.select_related("author").order_by("-number"))
    for version in versions:
        version.change_rows = [
            {"label": str(FACT_LABELS[c["key"]][0]) if c["key"] in FACT_LABELS else c["key"],
             "before": describe_value(c["key"], c["before"], lang),
             "after": describe_value(c["key"], c["after"], lang)} for c in version.changes]
    return {"facts_version": facts_version, "versions": versions,
            "facts_rows": describe_facts(facts_version.facts, lang) if facts_version else []}


def _timeline_html(kept: _Kept, *, show_all: bool) -> str:
    def context() -> dict:
        timeline, count = _timeline(kept.incident, show_all=show_all)
        for entry in timeline:
            entry.display_text = entry.text_in(kept.lang)
            entry.editable = entry.kind in MANUAL_TIMELINE_KINDS
        return {"timeline": timeline, "timeline_count": count,
                "timeline_hidden": count - len(timeline)}

    return kept.section("timeline", "timeline", context, more=(show_all,))


# The assessment section's HTML, per incident (rouei.core.fingerprints).
_assessments = Remembered()


def _assessment_html(request, snapshot, reports: list, lang: str) -> str:
    """The stored assessment as the page shows it. A snapshot never changes once saved: the
    HTML is kept until there is a newer one, a report is filed or corrected (its filing shows
    instead of the days left), the language differs or the day turns (days left)."""
    if snapshot is None:
        return ""
    key = (snapshot.pk, tuple((r.pk, r.updated_at) for r in reports), lang,
           timezone.localdate())
    # With the request: the templates read LANGUAGE_CODE (和暦 in Japanese) from it.
    return _assessments.get(snapshot.incident_id, key, lambda: render_to_string(
        "ui/_result.html", {"result": snapshot_view(snapshot, lang, reports=reports)},
        request=request))


# An incident some weeks old has hundreds of entries; each is decrypted and rendered. The page
# shows the newest ones, and all of them on request (?timeline=all).
TIMELINE_ON_PAGE = 30


def _timeline(incident, *, show_all: bool) -> tuple[list, int]:
    """The timeline entries to show, oldest first, and how many the incident has."""
    entries = incident.timeline.select_related("author", "edited_by")
    count = entries.count()
    if show_all or count <= TIMELINE_ON_PAGE:
        return list(entries), count
    return list(entries.order_by("-at", "-id")[:TIMELINE_ON_PAGE])[::-1], count


def _members(incident, manage: bool) -> list[Membership]:
    """The members, each with a role form for a lead (``m.role_form``)."""
    members = list(incident.memberships.select_related("user"))
    for m in members:
        m.role_form = (MemberRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")
                       if manage else None)
    return members


def _facts_differences(saved: dict, mine: dict, lang: str) -> list[dict]:
    keys = [k for k in FACT_LABELS if saved.get(k) != mine.get(k)]
    return [{"label": str(FACT_LABELS[k][0]), "saved": describe_value(k, saved.get(k), lang),
             "mine": describe_value(k, mine.get(k), lang)} for k in keys]


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def facts_edit(request, incident):
    lang = current_lang()
    latest = incident.latest_facts()
    conflict = None
    if request.method == "POST":
        form = FactsEditForm(request.POST)
        if form.is_valid():
            try:
                result = actions.do_update_facts(
                    incident, form.facts_mapping(),
                    expected_version=form.cleaned_data["expected_version"], actor=request.user)
            except actions.VersionConflict as exc:
                latest = incident.latest_facts()
                conflict = {
                    "message": exc.message,
                    "by": latest.author, "at": latest.created_at, "number": latest.number,
                    "differences": _facts_differences(
                        latest.facts, form.facts.to_dict(), lang),
                }
                # Keep what this person entered; saving again now replaces the other values
                # knowingly (both versions stay in the history).
                data = request.POST.copy()
                data["expected_version"] = str(exc.current)
                form = FactsEditForm(data)
                form.is_valid()
            else:
                if not result.saved:
                    messages.info(request, _("Nothing changed: no new version was saved."))
                else:
                    messages.success(request, _("Facts saved as version %(number)s.")
                                     % {"number": result.version.number})
                    for change in result.duty_changes:
                        _announce(request, change, lang)
                # The top of the page: the messages (a duty change above all) come first.
                return redirect(_detail_url(incident))
    else:
        form = FactsEditForm.from_facts(latest.as_facts()) if latest else FactsEditForm()
        form.initial["expected_version"] = incident.version
    return render_incident(request, "incidents/facts_edit.html", incident, form=form,
                           latest=latest, conflict=conflict,
                           knew_date=knew_date.check(incident).describe(lang))


@incident_view(methods=("POST",))
def knew_date_accept(request, incident):
    """One click: a 判明 timeline entry's day becomes the facts' 知った日 (a new facts
    version through ``do_update_facts``; the duty changes are announced as on the facts page)."""
    form = KnewDateAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a proposed day."))
        return redirect(_detail_url(incident, "knew-date"))
    lang = current_lang()
    try:
        result = actions.do_accept_knew_date(
            incident, form.cleaned_data["day"],
            expected_version=form.cleaned_data["expected_version"], actor=request.user)
    except actions.VersionConflict:
        messages.error(request, _("Someone saved the facts in the meantime. Check the "
                                  "proposal against their version."))
    except ActionError as exc:
        messages.error(request, exc.message)
    except FactsError as exc:  # e.g. the facts' occurrence lies after the proposed day
        messages.error(request, exc.message_ja if lang == "ja" else exc.message_en)
    else:
        messages.success(request, _("The day the company knew is now %(day)s (facts version "
                                    "%(number)s).") % {
            "day": format_date(form.cleaned_data["day"], lang),
            "number": result.version.number})
        for change in result.duty_changes:
            messages.warning(request, change(lang), extra_tags="duty-change")
        return redirect(_detail_url(incident))
    return redirect(_detail_url(incident, "knew-date"))


def _announce(request, change, lang: str) -> None:
    """A duty change at the top of the page: a new or open duty as a warning, a duty that
    went away as good news (not styled as a danger)."""
    if change.good_news:
        messages.success(request, change(lang), extra_tags="duty-change good-news")
    else:
        messages.warning(request, change(lang), extra_tags="duty-change")


def _vendor_text(value) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, _("Unknown"))


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def incident_edit(request, incident):
    """Title, summary, responsible organisation, vendor involvement; a form loaded before
    someone else's save is refused, their values shown and this person's input kept."""
    conflict = None
    if request.method == "POST":
        form = IncidentEditForm(request.POST)
        if form.is_valid():
            try:
                result = actions.do_update_incident(
                    incident, expected_etag=form.cleaned_data["etag"], actor=request.user,
                    **form.changes())
            except actions.IncidentEditConflict as exc:
                incident.refresh_from_db()
                mine = form.changes()
                conflict = {"message": exc.message, "differences": [
                    {"label": str(label),
                     "saved": (_vendor_text(getattr(incident, key)) if key == "vendor_involved"
                               else getattr(incident, key)),
                     "mine": _vendor_text(mine[key]) if key == "vendor_involved" else mine[key]}
                    for key, label in EDITABLE_LABELS.items()
                    if getattr(incident, key) != mine[key]]}
                data = request.POST.copy()
                data["etag"] = exc.current
                form = IncidentEditForm(data)
                form.is_valid()
            except ActionError as exc:
                form.add_error(None, exc.message)
            else:
                if not result.saved:
                    messages.info(request, _("Nothing changed."))
                else:
                    messages.success(request, _("Incident details saved."))
                    if result.facts and result.facts.saved:
                        messages.info(request, _("Vendor involvement is a fact: saved as facts "
                                                 "version %(number)s.")
                                      % {"number": result.facts.version.number})
                        for change in result.facts.duty_changes:
                            _announce(request, change, current_lang())
                return redirect(_detail_url(incident))
    else:
        form = IncidentEditForm.for_incident(incident, actions.incident_etag(incident))
    return render_incident(request, "incidents/edit.html", incident, form=form, conflict=conflict,
                 status=409 if conflict else 200)


def _after_timeline_save(incident, kind: str) -> str:
    """Back to the timeline; to the proposal when a 判明 entry now differs from the facts."""
    if kind == TimelineKind.KNEW and knew_date.check(incident).proposals:
        return _detail_url(incident, "knew-date")
    return _detail_url(incident, "timeline")


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def timeline_add(request, incident):
    if request.method == "POST":
        form = TimelineEventForm(request.POST)
        if form.is_valid():
            try:
                actions.do_add_timeline_event(incident, **form.cleaned_data, actor=request.user)
            except ActionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Timeline entry added."))
                return redirect(_after_timeline_save(incident, form.cleaned_data["kind"]))
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = TimelineEventForm(initial={"kind": "action", "at": now.replace(tzinfo=None)})
    return render_incident(request, "incidents/timeline_form.html", incident, form=form, entry=None)


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def timeline_edit(request, incident, entry_pk):
    entry = get_object_or_404(incident.timeline, pk=entry_pk)
    if entry.kind not in MANUAL_TIMELINE_KINDS:
        raise Http404  # written by rouei itself (duty and status changes): not editable
    if request.method == "POST":
        form = TimelineEditForm(request.POST)
        if form.is_valid():
            try:
                actions.do_edit_timeline_event(entry, **form.cleaned_data, actor=request.user)
            except ActionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Timeline entry corrected."))
                return redirect(_after_timeline_save(incident, form.cleaned_data["kind"]))
    else:
        at = timezone.localtime(entry.at).replace(tzinfo=None)
        form = TimelineEditForm(initial={"kind": entry.kind, "at": at, "text": entry.text})
    return render_incident(request, "incidents/timeline_form.html", incident, form=form, entry=entry)


@incident_view(methods=("POST",))
def status_change(request, incident):
    """Change the status. A close over open duties is refused with the page that lists them, one
    box each and a reason (``CloseForm``); that page posts back here."""
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(_detail_url(incident))
    try:
        actions.do_change_status(
            incident, form.cleaned_data["status"], note=form.cleaned_data["note"],
            close_reason=request.POST.get("close_reason", ""),
            acknowledged_duties=request.POST.getlist("acknowledged_duties"),
            actor=request.user)
    except Conflict as exc:
        if exc.code != "open_duties":
            raise
        duties = open_duties_of(incident)
        close_form = CloseForm(request.POST if "close_reason" in request.POST else None,
                               duties=duties, initial={"note": form.cleaned_data["note"]})
        return render_incident(request, "incidents/close.html", incident, duties=duties,
                               refusal=exc.message, form=close_form, status=409)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status changed."))
    return redirect(_detail_url(incident))


@incident_view(read=Need.PUBLISH, methods=READ_WRITE)
def report_add(request, incident):
    """Record a report as filed (速報, 確報, 追完, …): it closes that deadline."""
    members = list(incident.memberships.select_related("user"))
    initial = {"kind": request.GET.get("kind", ""), "filed_by": str(request.user.pk),
               "filed_at": timezone.localtime().replace(second=0, microsecond=0)}
    form = FiledReportForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_filed_report(incident, **form.cleaned_data, actor=request.user)
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Filed report recorded."))
            return redirect(_detail_url(incident, "reports"))
    return render_incident(request, "incidents/report_form.html", incident, form=form)


@incident_view(write=Need.MANAGE, methods=("POST",))
def member_add(request, incident):
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_member(incident, form.user, form.cleaned_data["role"],
                                  actor=request.user)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Member added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_detail_url(incident, "members"))


def _membership(incident, member_pk) -> Membership:
    return get_object_or_404(incident.memberships.select_related("user"), pk=member_pk)


@incident_view(write=Need.MANAGE, methods=("POST",))
def member_role(request, incident, member_pk):
    membership = _membership(incident, member_pk)
    form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect(_detail_url(incident, "members"))
    try:
        changed = actions.do_change_member_role(membership, form.cleaned_data["role"],
                                                actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(user)s is now: %(role)s.") % {
            "user": membership.user.get_username(), "role": changed.get_role_display()})
    return redirect(_detail_url(incident, "members"))


@incident_view(read=Need.MANAGE, write=Need.MANAGE, methods=READ_WRITE)
def member_remove(request, incident, member_pk):
    """GET asks to confirm (with what the removal will do); POST removes."""
    membership = _membership(incident, member_pk)
    if request.method in READ:
        return render_incident(
            request, "incidents/member_remove.html", incident, membership=membership,
            consequences=incident_apps.preview_member_removal(incident, membership.user),
            is_self=membership.user_id == request.user.pk)
    try:
        reaction = actions.do_remove_member(membership, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(_detail_url(incident, "members"))
    messages.success(request, _("%(user)s was removed from this incident.")
                     % {"user": membership.user.get_username()})
    for notice in reaction.notices:
        messages.info(request, notice)
    if membership.user_id == request.user.pk:
        return redirect("incidents:list")  # they left the case: its pages are 404 for them
    return redirect(_detail_url(incident, "members"))


@incident_view()
def audit(request, incident):
    # The trail shows who did what to the case: reading it is itself recorded.
    record_view(actor=request.user, what="audit", incident_id=incident.pk)
    events = (AuditEvent.objects.filter(incident_id=incident.pk).select_related("actor")
              .order_by("-sequence"))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    lang = current_lang()
    for event in page.object_list:
        event.label, event.description = describe_audit_event(event, lang)
    return render_incident(request, "incidents/audit.html", incident, page=page,
                           failing_sinks=checkpoints.failing_sinks())
