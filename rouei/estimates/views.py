"""The unit-prices page of an incident (through the one door, ``incident_view``): members whose
role cannot edit get 403 (they still see the estimate on the incident page)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from rouei.core.access import Need
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
