"""The unit-prices page and the spend record of an incident (through the one door,
``incident_view``): members whose role cannot edit get 403 on the forms (they still see the
estimate on the incident page and the spend page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.core.access import Need, parse_id
from rouei.core.views import READ_WRITE, incident_view, render_incident
from rouei.estimates import actions
from rouei.estimates.forms import UnitPricesForm
from rouei.estimates.services import unit_prices_of


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def unit_prices_edit(request, incident):
    row = unit_prices_of(incident)
    conflict = None
    if request.method == "POST":
        form = UnitPricesForm(request.POST)
        if form.is_valid():
            try:
                actions.do_update_unit_prices(
                    incident, form.prices, actor=request.user,
                    expected_version=form.cleaned_data["expected_version"])
            except actions.UnitPricesConflict as exc:
                conflict = exc.message
                row = unit_prices_of(incident)
                form = UnitPricesForm(initial=UnitPricesForm.initial_for(row.prices(),
                                                                         row.version))
            else:
                messages.success(request, _("Unit prices saved; the estimate uses them."))
                return redirect(reverse("incidents:detail", args=[incident.pk]) + "#estimate")
    else:
        form = UnitPricesForm(initial=UnitPricesForm.initial_for(row.prices(), row.version))
    return render_incident(request, "estimates/unit_prices.html", incident, form=form,
                           conflict=conflict, changed=sorted(row.overrides),
                           status=409 if conflict else 200)


# --- the spend record ---------------------------------------------------------------------------

def _spend_url(incident) -> str:
    return reverse("estimates:spend", args=[incident.pk])


def _refused(form, exc) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _spend_values(form) -> dict:
    return {key: form.cleaned_data[key] for key in ("spent_on", "category", "amount", "note")}


@incident_view(read=Need.VIEW, write=Need.EDIT, methods=READ_WRITE)
def spend(request, incident):
    """The money spent on the response: the records, and per category and in total beside the
    estimate (as the board report sets them); editors add a record here."""
    from rouei.core.errors import ActionError
    from rouei.estimates.choices import SPEND_CATEGORIES
    from rouei.estimates.forms import SpendForm
    from rouei.estimates.services import incident_estimate, spend_summary
    from rouei.ui.lang import current_lang

    lang = current_lang()
    form = SpendForm(request.POST or None,
                     initial={"spent_on": timezone.localdate(), "expected_version": 0})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_spend(incident, actor=request.user, **_spend_values(form))
        except ActionError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The spend is recorded."))
            return redirect(_spend_url(incident))
    result = incident_estimate(incident, lang)
    rows = [{"row": row, "category": SPEND_CATEGORIES[row.category](lang)
             if row.category in SPEND_CATEGORIES else row.category}
            for row in incident.spends.select_related("recorded_by")]
    return render_incident(request, "estimates/spend.html", incident, form=form, rows=rows,
                           summary=spend_summary(incident, (result or {}).get("estimate"),
                                                 lang),
                           status=400 if form.errors else 200)


@incident_view(read=Need.EDIT, methods=READ_WRITE)
def spend_edit(request, incident, spend_id):
    from rouei.core.errors import ActionError
    from rouei.estimates.forms import SpendForm
    from rouei.estimates.models import Spend

    row = Spend.objects.filter(incident=incident, pk=parse_id(spend_id)).first()
    if row is None:
        raise Http404
    conflict = None
    if request.method == "POST":
        form = SpendForm(request.POST)
        if form.is_valid():
            try:
                actions.do_update_spend(row, actor=request.user,
                                        expected_version=form.cleaned_data["expected_version"]
                                        or 0, **_spend_values(form))
            except actions.SpendConflict as exc:
                conflict = exc.message
                row.refresh_from_db()
                form = SpendForm(initial=SpendForm.initial_for(row))
            except ActionError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("The spend record is changed."))
                return redirect(_spend_url(incident))
    else:
        form = SpendForm(initial=SpendForm.initial_for(row))
    return render_incident(request, "estimates/spend_form.html", incident, form=form,
                           row=row, conflict=conflict,
                           status=409 if conflict else (400 if form.errors else 200))
