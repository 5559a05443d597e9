"""The one audited door to a document file: a download from the page or a render from the
command line is one ``document.render`` event (kind, stage, format and the file's SHA-256:
which text left rouei, and when). Reading the page is not an event: the report holds no
personal data (the PPC report never names a person; notices-and-victims.md §1)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event
from rouei.core.errors import ActionError
from rouei.documents import services
from rouei.documents.kinds import UnknownKind, all_kinds, get_kind
from rouei.documents.renderers.pdf import FontMissing

# Taking the file out is preparing the filing or the publication: the people who file reports
# and publish (lead, legal, PR: Need.PUBLISH). Every member reads the same text on the page.
DOWNLOAD_NEED = Need.PUBLISH


def kind_or_error(slug: str):
    try:
        return get_kind(slug)
    except UnknownKind as exc:
        available = ", ".join(k.slug for k in all_kinds())
        if exc.planned:
            raise ActionError("kind_not_available", _(
                "“%(kind)s” is not yet available. Available: %(available)s")
                % {"kind": slug, "available": available}, field="kind",
                available=[k.slug for k in all_kinds()]) from None
        raise ActionError("unknown_kind", _("No such document: “%(kind)s”. Available: "
                                            "%(available)s") % {"kind": slug,
                                                                "available": available},
                          field="kind", status=404,
                          available=[k.slug for k in all_kinds()]) from None


def check_stage(kind, stage: str | None) -> None:
    if stage is not None and stage not in kind.stages:
        raise ActionError("unknown_stage", _("No such stage: choose one of %(stages)s")
                          % {"stages": ", ".join(kind.stages) or "—"}, field="stage")


def do_render(incident, kind_slug: str, *, stage: str | None, fmt: str, actor,
              via: str = "web") -> services.Rendered:
    """Render and record it. ``actor`` None: the command line on the server (no member)."""
    kind = kind_or_error(kind_slug)
    check_stage(kind, stage)
    if fmt not in kind.formats:
        raise ActionError("unknown_format", _("No such format: choose one of %(formats)s")
                          % {"formats": ", ".join(kind.formats)}, field="format")
    if actor is not None:
        require_role(actor, incident, DOWNLOAD_NEED)
    if kind.stages and stage is None:
        stage = kind.default_stage(incident)
    try:
        rendered = services.render(kind, incident, stage=stage, fmt=fmt)
    except FontMissing as exc:
        raise ActionError("pdf_font_missing", str(exc), status=503) from None
    with transaction.atomic():
        record_event(actor=actor, action="document.render", obj=incident,
                     incident_id=incident.pk,
                     details={"kind": kind.slug, "stage": stage, "format": fmt, "via": via,
                              "sha256": hashlib.sha256(rendered.content).hexdigest()})
    return rendered



REASON_MAX = 2000


def do_record_check_reason(incident, code: str, reason: str, *, actor):
    """Record why a mistake-check warning does not apply now (why the public notice waits, why
    the numbers changed since the report filed): a timeline entry (kind ``action``: it is part
    of the chronology the documents draw from) carrying ``{"check_reason": code}``, which the
    check reads. One ``document.check_reason`` event; the text stays in the (encrypted)
    timeline, not in the audit trail."""
    from django.utils import timezone

    from rouei.incidents.actions import add_timeline_entry

    reason = (reason or "").strip()
    if code not in services.reason_codes():
        raise ActionError("unknown_check", _("This warning does not take a reason."),
                          field="code")
    if not reason:
        raise ActionError("reason_required", _("Write the reason."), field="reason")
    if len(reason) > REASON_MAX:
        raise ActionError("reason_too_long", _("The reason is too long (at most %(n)s "
                                                "characters).") % {"n": REASON_MAX},
                          field="reason")
    with transaction.atomic():
        require_role(actor, incident, Need.EDIT)
        entry = add_timeline_entry(incident, kind="action", at=timezone.now(), text=reason,
                                   author=actor, data={services.REASON_KEY: code})
        record_event(actor=actor, action="document.check_reason", obj=incident,
                     incident_id=incident.pk, details={"code": code, "event_id": entry.pk})
    return entry
