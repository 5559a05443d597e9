"""The documents page of an incident: the kinds, and each kind laid out in the order of the
official form (copy field by field), what is missing with its deadline, what changed since the
last report filed, and the downloads (POST: each is an audited ``document.render`` event)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe

from rouei.core.access import Need
from rouei.core.errors import ActionError
from rouei.core.views import incident_view, render_incident
from rouei.documents import actions
from rouei.documents.choices import STAGE_LABELS
from rouei.documents.kinds import PLANNED, UnknownKind, all_kinds, get_kind
from rouei.documents.services import export_json
from rouei.ui.lang import current_lang


@incident_view()
def index(request, incident):
    lang = current_lang()
    kinds = [{"slug": k.slug, "label": k.label_in(lang), "formats": k.formats,
              "url": page_url(incident, k.slug)} for k in all_kinds()]
    return render_incident(request, "documents/index.html", incident, kinds=kinds,
                           planned=PLANNED, here="documents")


def page_url(incident, slug: str) -> str:
    return reverse(f"documents:{slug}", args=[incident.pk])


def _kind(slug: str):
    try:
        return get_kind(slug)
    except UnknownKind:
        raise Http404 from None


@incident_view()
def kind_page(request, incident, kind):
    doc = _kind(kind)
    stage = request.GET.get("stage") or (doc.default_stage(incident) if doc.stages else None)
    if doc.stages and stage not in doc.stages:
        raise Http404
    report = doc.build(incident, stage)
    layout = doc.layout(report)
    body = engines["django"].from_string(doc.page_template.read_text(encoding="utf-8")).render(
        {"layout": layout, "report": report}, request)
    return render_incident(
        request, "documents/kind.html", incident, kind=doc, label=doc.label_in(current_lang()),
        stage=stage, stages=[(s, STAGE_LABELS.get(s, s)) for s in doc.stages],
        body=mark_safe(body),  # noqa: S308 - rendered by the template engine (autoescaped)
        report=report, layout=layout, here="documents",
        download_url=reverse(f"documents:{doc.slug}-download", args=[incident.pk]),
        changes=report.get("other", {}).get("changes_since_last_filed"),
        json_text=export_json(report).decode("utf-8"))


@incident_view(write=Need.PUBLISH, methods=("POST",))
def download(request, incident, kind):
    doc = _kind(kind)
    stage = request.POST.get("stage") or None
    fmt = request.POST.get("format", "")
    try:
        rendered = actions.do_render(incident, doc.slug, stage=stage, fmt=fmt,
                                     actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(page_url(incident, doc.slug))
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
