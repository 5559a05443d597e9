"""The signal pages at /signals/. Every view checks the permission first (``access_signal`` or
``require_perm``), before looking at the method: without ``signals.view_signal`` every URL is
404. Writes go through ``actions``; opening a signal's page, and showing its personal data, are
audited (``signal.view`` / ``signal.reveal``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rouei.core.access import Need, access_incident
from rouei.core.errors import ActionError
from rouei.domain.items import ITEMS
from rouei.intake import actions, services
from rouei.intake.choices import OPEN_STATUSES
from rouei.intake.forms import JoinIncidentForm, SignalForm, StatusFilterForm, StatusForm
from rouei.intake.models import Signal
from rouei.intake.permissions import ADD, CHANGE, VIEW, access_signal, require_perm
from rouei.ui.lang import current_lang

READ = ("GET", "HEAD")
PAGE_SIZE = 50


def _abilities(user) -> dict:
    return {"add": user.has_perm(ADD), "change": user.has_perm(CHANGE)}


def _item_labels(ids, lang: str) -> list[str]:
    return [ITEMS[i].label(lang) for i in ids if i in ITEMS]


def _posted_signals(request, exclude: int) -> list[Signal]:
    ids = {int(v) for v in request.POST.getlist("signals") if v.isdigit() and len(v) < 19}
    ids.discard(exclude)
    return list(Signal.objects.filter(pk__in=ids))


@login_required
def signal_list(request):
    require_perm(request.user, VIEW)
    if request.method not in READ:
        return HttpResponseNotAllowed(READ)
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    rows = Signal.objects.defer(*services.ENCRYPTED).select_related("incident")
    if status == "open":
        rows = rows.filter(incident__isnull=True, status__in=OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    lang = current_lang()
    for signal in page:
        signal.item_labels = _item_labels(signal.items, lang)
    return render(request, "signals/list.html", {
        "page": page, "filter_form": form, "status": status,
        "warnings": services.warnings(), "can": _abilities(request.user),
    })


@login_required
def signal_create(request):
    require_perm(request.user, ADD)
    if request.method not in (*READ, "POST"):
        return HttpResponseNotAllowed([*READ, "POST"])
    form = SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signal = actions.do_record_signal(**form.cleaned_data, actor=request.user)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Signal recorded."))
            return redirect("signals:detail", pk=signal.pk)
    return render(request, "signals/form.html", {"form": form, "signal": None})


def _detail(request, signal: Signal, *, revealed: bool):
    lang = current_lang()
    all_warnings = services.warnings()
    warning = services.warning_for(signal, all_warnings)
    can = _abilities(request.user)
    pii = services.personal_data(signal, revealed=revealed)
    undecryptable = any(services.unreadable(getattr(signal, k)) for k in services.ENCRYPTED)
    suggestions = services.suggestions(signal)
    for suggestion in suggestions:
        suggestion.item_labels = _item_labels(suggestion.shared_items, lang)
    linked = list(signal.linked().defer(*services.ENCRYPTED).select_related("incident"))
    return render(request, "signals/detail.html", {
        "signal": signal, "pii": pii, "revealed": revealed, "undecryptable": undecryptable,
        "item_labels": _item_labels(signal.items, lang),
        "linked": linked, "suggestions": suggestions, "warning": warning,
        "can": can,
        "status_form": StatusForm(initial={"status": signal.status})
        if can["change"] and signal.incident_id is None else None,
        "join_form": JoinIncidentForm(user=request.user)
        if can["change"] and signal.incident_id is None else None,
    })


@login_required
def signal_detail(request, pk):
    signal = access_signal(request.user, pk)
    if request.method not in READ:
        return HttpResponseNotAllowed(READ)
    actions.do_view_signal(signal, actor=request.user)
    return _detail(request, signal, revealed=False)


@login_required
def signal_reveal(request, pk):
    """The signal's page with its personal data shown (a POST: it is an audited action)."""
    signal = access_signal(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actions.do_view_signal(signal, reveal=True, actor=request.user)
    response = _detail(request, signal, revealed=True)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def signal_edit(request, pk):
    signal = access_signal(request.user, pk, CHANGE)
    if request.method not in (*READ, "POST"):
        return HttpResponseNotAllowed([*READ, "POST"])
    if request.method == "POST":
        form = SignalForm(request.POST)
        if form.is_valid():
            try:
                actions.do_update_signal(signal, form.cleaned_data, actor=request.user)
            except ActionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Signal saved."))
                return redirect("signals:detail", pk=signal.pk)
    else:
        # The form shows the personal data in full: that is a reveal.
        actions.do_view_signal(signal, reveal=True, actor=request.user)
        form = SignalForm.for_signal(signal)
    response = render(request, "signals/form.html", {"form": form, "signal": signal})
    response["Cache-Control"] = "no-store"
    return response


def _post_action(request, pk):
    signal = access_signal(request.user, pk, CHANGE)
    if request.method != "POST":
        return signal, HttpResponseNotAllowed(["POST"])
    return signal, None


@login_required
def signal_status(request, pk):
    signal, refused = _post_action(request, pk)
    if refused:
        return refused
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("signals:detail", pk=signal.pk)
    try:
        actions.do_change_signal_status(signal, form.cleaned_data["status"],
                                        reason=form.cleaned_data["reason"], actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signal status changed."))
    return redirect("signals:detail", pk=signal.pk)


@login_required
def signal_link(request, pk):
    signal, refused = _post_action(request, pk)
    if refused:
        return refused
    try:
        actions.do_link_signals(signal, _posted_signals(request, signal.pk), actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signals linked."))
    return redirect("signals:detail", pk=signal.pk)


@login_required
def signal_open_incident(request, pk):
    """One step: the incident, its lead, the links and the timeline (``do_open_incident``)."""
    signal, refused = _post_action(request, pk)
    if refused:
        return refused
    try:
        incident = actions.do_open_incident([signal, *_posted_signals(request, signal.pk)],
                                            actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("signals:detail", pk=signal.pk)
    messages.success(request, _("Incident opened from the signals; you are its lead."))
    return redirect(reverse("incidents:detail", args=[incident.pk]))


@login_required
def signal_join_incident(request, pk):
    signal, refused = _post_action(request, pk)
    if refused:
        return refused
    # Only incidents the user may edit: 404 for a non-member, 403 for a viewer.
    incident = access_incident(request.user, request.POST.get("incident"), Need.EDIT)
    try:
        actions.do_join_incident([signal, *_posted_signals(request, signal.pk)], incident,
                                 actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("signals:detail", pk=signal.pk)
    messages.success(request, _("The signals were added to the incident."))
    return redirect(reverse("incidents:detail", args=[incident.pk]))

