"""The unit-prices page of an incident. Like every incident page it fetches the incident through
``access_incident`` first, before looking at the method: non-members get 404, members whose role
cannot edit get 403 (they still see the estimate on the incident page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rouei.core.access import Need, access_incident
from rouei.estimates import actions
from rouei.estimates.forms import UnitPricesForm
from rouei.estimates.services import unit_prices_of

READ = ("GET", "HEAD")


@login_required
def unit_prices_edit(request, pk):
    incident = access_incident(request.user, pk, Need.EDIT)
    if request.method not in (*READ, "POST"):
        return HttpResponseNotAllowed([*READ, "POST"])
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
                conflict = str(exc)
                row = unit_prices_of(incident)
                form = UnitPricesForm(initial=UnitPricesForm.initial_for(row.prices(),
                                                                         row.version))
            else:
                messages.success(request, _("Unit prices saved; the estimate uses them."))
                return redirect(reverse("incidents:detail", args=[incident.pk]) + "#estimate")
    else:
        form = UnitPricesForm(initial=UnitPricesForm.initial_for(row.prices(), row.version))
    return render(request, "estimates/unit_prices.html",
                  {"incident": incident, "form": form, "conflict": conflict,
                   "changed": sorted(row.overrides)},
                  status=409 if conflict else 200)
