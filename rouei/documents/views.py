"""The documents page of an incident: the kinds, and each kind laid out in the order of the
official form (copy field by field), what is missing with its deadline, what changed since the
last report filed, and the downloads (POST: each is an audited ``document.render`` event)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rouei.core.access import Need
from rouei.core.errors import ActionError
from rouei.core.views import incident_view, render_incident
from rouei.documents import actions
from rouei.documents.choices import STAGE_LABELS
from rouei.documents.kinds import PLANNED, UnknownKind, all_kinds, get_kind
from rouei.documents.services import export_json
from rouei.documents.templating import TemplateFailed, render_page
from rouei.ui.lang import current_lang


@incident_view()
def index(request, incident):
    lang = current_lang()
    kinds = [{"slug": k.slug, "label": k.label_in(lang), "formats": k.formats,
              "url": page_url(incident, k.slug), "not_offered": k.offered_for(incident)}
             for k in all_kinds()]
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
    answer = doc.offered_for(incident)
    if answer is not None:  # a report nobody owes here: say why instead
        return render_incident(request, "documents/not_offered.html", incident,
                               label=doc.label_in(current_lang()), answer=answer,
                               here="documents")
    try:
        report = doc.build(incident, stage)
        layout = doc.layout(report)
        # The kind's page.html (or the administrator's): the layout, the JSON export and the
        # incident's id and title only (what a template may print about the incident).
        body = render_page(doc.slug, {"layout": layout, "report": report,
                                      "incident": {"pk": incident.pk, "title": incident.title}})
    except TemplateFailed as exc:
        # The page names the file and line for the administrator; no traceback.
        raise actions.template_error(exc) from None
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


@incident_view(write=Need.EDIT, methods=("POST",))
def check_reason(request, incident):
    """Record the reason a mistake-check warning does not apply now; back to the incident."""
    try:
        actions.do_record_check_reason(incident, request.POST.get("code", ""),
                                       request.POST.get("reason", ""), actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The reason is recorded on the timeline."))
    return redirect(reverse("incidents:detail", args=[incident.pk]) + "#checks")
# --- the public notice in versions ------------------------------------------------------------

@incident_view(write=Need.PUBLISH, methods=("GET", "HEAD", "POST"))
def notices(request, incident):
    """The next version's draft (each section editable, prefilled from the incident), the
    publish button, the versions published and the address of the public page."""
    from rouei.documents import notices as notice_reads
    from rouei.documents.kinds.public_notice import context

    if request.method == "POST":
        sections = {key: request.POST.get(f"section-{key}", "") for key in context.EDITABLE}
        try:
            version = int(request.POST.get("version") or 0) or None
        except ValueError:
            version = None
        actions.do_save_notice_draft(
            incident, sections=sections, is_final=request.POST.get("is_final") == "on",
            delay_reason=request.POST.get("delay_reason", ""),
            reset=tuple(request.POST.getlist("reset")), expected_version=version,
            actor=request.user)
        messages.success(request, _("The draft is saved."))
        return redirect(reverse("documents:notices", args=[incident.pk]))
    content = get_kind("public-notice").build(incident)
    page = notice_reads.page_of(incident)
    draft = notice_reads.draft_of(incident)
    published = notice_reads.versions(incident)
    return render_incident(
        request, "documents/notices.html", incident, here="documents",
        rows=notice_reads.draft_rows(incident), draft=draft, content=content,
        next_label=content["notice"]["version_label"], next_number=content["notice"]["version"],
        versions=list(reversed(published)),
        public_url=(request.build_absolute_uri(reverse("documents:public", args=[page.token]))
                    if page else None))


@incident_view(write=Need.PUBLISH, methods=("POST",))
def notice_publish(request, incident):
    try:
        expected = int(request.POST.get("number") or 0) or None
    except ValueError:
        expected = None
    version = actions.do_publish_notice(incident, expected_number=expected, actor=request.user)
    messages.success(request, _("Published: %(label)s.") % {
        "label": version.content["notice"]["version_label"]})
    return redirect(reverse("documents:notices", args=[incident.pk]))


def _public_headers(response):
    # Public, but the text changes with each version: no stale copies in shared caches.
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noarchive"
    response["Referrer-Policy"] = "no-referrer"
    return response


# The public page needs no sign-in: a reader from one address gets this many pages an hour, and
# far fewer addresses that name no notice (someone guessing tokens). A news link read by many
# people comes from many addresses.
NOTICE_RATE_PER_ADDRESS = 600
NOTICE_MISSES_PER_ADDRESS = 30


def _public_limited(request, *, found: bool) -> bool:
    """Count this request against the address; True when it is over either limit. ``found``:
    the token names a notice (a miss also counts as a guess)."""
    from django.conf import settings
    from django.core.cache import cache

    from rouei.accounts.client import client_address
    from rouei.core.ratelimit import address_key, over_rate

    address = address_key(client_address(request))
    limit = getattr(settings, "ROUEI_NOTICE_RATE_PER_ADDRESS", NOTICE_RATE_PER_ADDRESS)
    misses = getattr(settings, "ROUEI_NOTICE_MISSES_PER_ADDRESS", NOTICE_MISSES_PER_ADDRESS)
    if found:
        guessing = (cache.get(f"notice-miss-{address}") or 0) > misses
    else:
        guessing = over_rate(f"notice-miss-{address}", misses)
    return over_rate(f"notice-ip-{address}", limit) or guessing


def _reader_language(request) -> str:
    """The public page's own words (headings, the history's labels) in the reader's language:
    English when the browser (or the language switch's cookie) asks for it, else Japanese. The
    notice itself is shown as published."""
    return "en" if translation.get_language_from_request(request).startswith("en") else "ja"


def _too_many(request, lang: str):
    from django.shortcuts import render

    with translation.override(lang):
        response = render(request, "documents/public_notice_limited.html", {"lang": lang},
                          status=429)
    response["Retry-After"] = "3600"
    return _public_headers(response)


def public_notice(request, token: str):
    """The public page, without sign-in: the current version, the history (date, SHA-256) and
    what changed between consecutive versions. The token names no incident. Rate-limited per
    address; its headings and labels follow the reader's language (the notice text does not)."""
    from django.shortcuts import render
    from django.utils.cache import patch_vary_headers

    from rouei.documents import notices as notice_reads

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(("GET", "HEAD"))
    lang = _reader_language(request)
    page = notice_reads.page_for_token(token)
    if _public_limited(request, found=page is not None):
        return _too_many(request, lang)
    if page is None:
        raise Http404
    published = notice_reads.versions(page.incident)
    if not published:
        raise Http404
    current = published[-1]
    kind = get_kind("public-notice")
    try:
        layout = kind.layout(current.content)
    except TemplateFailed:
        layout = kind.layout(current.content, overrides=False)  # the public page stays up
    with translation.override(lang):
        response = render(request, "documents/public_notice.html", {
            "token": token, "current": current, "layout": layout, "lang": lang,
            "history": list(reversed(published))})
    patch_vary_headers(response, ("Accept-Language",))
    return _public_headers(response)


def public_notice_json(request, token: str, number: int):
    """A version exactly as frozen: its SHA-256 is of these bytes."""
    from rouei.documents import notices as notice_reads
    from rouei.documents.models import NoticeVersion

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(("GET", "HEAD"))
    page = notice_reads.page_for_token(token)
    if _public_limited(request, found=page is not None):
        return _too_many(request, _reader_language(request))
    version = NoticeVersion.objects.filter(incident_id=page.incident_id, number=number).first() \
        if page else None
    if version is None:
        raise Http404
    response = HttpResponse(version.content_json.encode("utf-8"),
                            content_type="application/json; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return _public_headers(response)
