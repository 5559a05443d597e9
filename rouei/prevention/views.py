"""The prevention plan's pages under ``/incidents/<incident_id>/prevention/`` (through the one
door, ``incident_view``): the plan by group, adding and editing a measure, a measure with its
progress, and the publishable summary. Viewers read; the EDIT need writes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.core.access import Need, role_allows
from rouei.core.errors import ActionError
from rouei.core.views import READ_WRITE, incident_view, render_incident
from rouei.prevention import actions, services
from rouei.prevention.forms import MeasureForm, ProgressForm


def _plan_url(incident) -> str:
    return reverse("prevention:index", args=[incident.pk])


@incident_view()
def index(request, incident):
    return render_incident(request, "prevention/index.html", incident,
                           plan=services.plan(incident), here="prevention")


def _refused(form, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def add(request, incident):
    form = MeasureForm(request.POST or None, incident=incident)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_measure(incident, actor=request.user, **form.values())
        except ActionError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Measure added."))
            return redirect(_plan_url(incident))
    return render_incident(request, "prevention/measure_form.html", incident, form=form,
                           measure=None, here="prevention",
                           status=400 if form.errors else 200)


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def edit(request, incident, measure_id):
    measure = services.measure_of(incident, measure_id)
    conflict = None
    if request.method == "POST":
        form = MeasureForm(request.POST, incident=incident)
        if form.is_valid():
            try:
                actions.do_update_measure(
                    measure, expected_version=form.cleaned_data["expected_version"],
                    actor=request.user, **form.values())
            except actions.MeasureConflict as exc:
                conflict = exc.message
                measure = services.measure_of(incident, measure_id)
                form = MeasureForm(initial=MeasureForm.initial_for(measure), incident=incident)
            except ActionError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Measure saved."))
                return redirect(_plan_url(incident))
    else:
        form = MeasureForm(initial=MeasureForm.initial_for(measure), incident=incident)
    status = 409 if conflict else (400 if form.errors else 200)
    return render_incident(request, "prevention/measure_form.html", incident, form=form,
                           measure=measure, conflict=conflict, here="prevention", status=status)


@incident_view(methods=READ_WRITE)
def measure_page(request, incident, measure_id):
    measure = services.measure_of(incident, measure_id)
    conflict = None
    form = None
    if request.method == "POST":
        form = ProgressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_record_measure_progress(
                    measure, on=data["on"], note=data["note"], status=data["status"],
                    expected_version=data["expected_version"], actor=request.user)
            except actions.MeasureConflict as exc:
                conflict = exc.message
                measure = services.measure_of(incident, measure_id)
                form = ProgressForm(initial=ProgressForm.initial_for(measure))
            except ActionError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Progress recorded."))
                return redirect(reverse("prevention:measure", args=[incident.pk, measure.pk]))
    elif role_allows(incident.member_role, Need.EDIT):
        form = ProgressForm(initial=ProgressForm.initial_for(measure))
    measure.overdue = measure.is_overdue(timezone.localdate())
    status = 409 if conflict else (400 if form is not None and form.errors else 200)
    return render_incident(request, "prevention/measure.html", incident, measure=measure,
                           history=measure.progress.select_related("recorded_by")
                           .order_by("-on", "-id"),
                           form=form, conflict=conflict, here="prevention", status=status)


@incident_view()
def summary(request, incident):
    return render_incident(request, "prevention/summary.html", incident,
                           summary=services.published_summary(incident), here="prevention")
