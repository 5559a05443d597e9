"""The assessment page: the facts form, and below it the result for the facts posted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from rouei.assessments.forms import FactsForm
from rouei.assessments.services import evaluate
from rouei.demo import demo_facts
from rouei.ui.lang import current_lang


@login_required
@require_http_methods(["GET", "POST"])
def assess(request):
    evaluation = None
    if request.method == "POST":
        form = FactsForm(request.POST)
        if form.is_valid():
            evaluation = evaluate(form.facts).view(current_lang())
    elif request.GET.get("example") == "demo":
        form = FactsForm.from_facts(demo_facts())
    else:
        form = FactsForm()
    return render(request, "assessments/assess.html", {"form": form, "result": evaluation})
