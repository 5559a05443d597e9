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
from rouei.documents.templating import TemplateFailed

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


def template_error(exc: TemplateFailed) -> ActionError:
    """A document template an administrator must mend, as pages, the API and the CLI show it:
    which file, which line, why (503: the server's set-up, not the request)."""
    values = {"file": exc.where(), "reason": exc.reason}
    message = (_("The administrator's document template %(file)s cannot be used: %(reason)s")
               if exc.overridden else
               _("The built-in document template %(file)s cannot be used: %(reason)s"))
    return ActionError(TemplateFailed.code, message % values, status=503, template=exc.name,
                       line=exc.line)


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
    answer = kind.offered_for(incident)
    if answer is not None:
        raise ActionError("kind_not_applicable", _("This report is not owed for this incident: "
                                                   "%(why)s") % {"why": answer.why},
                          status=409, field="kind", applicability=answer.status)
    if kind.stages and stage is None:
        stage = kind.default_stage(incident)
    try:
        rendered = services.render(kind, incident, stage=stage, fmt=fmt)
    except FontMissing as exc:
        raise ActionError("pdf_font_missing", str(exc), status=503) from None
    except TemplateFailed as exc:
        raise template_error(exc) from None
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
# --- the public notice in versions ------------------------------------------------------------

def _clean(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def do_save_notice_draft(incident, *, sections: dict[str, str], is_final: bool = False,
                         delay_reason: str = "", reset: tuple[str, ...] = (),
                         expected_version: int | None = None, actor):
    """Save the next version's draft (lead, legal, PR). A section left as rouei drafted it, or
    emptied, or named in ``reset``, follows the incident's facts; a rewritten one keeps the
    person's words with the drafted text they started from (so the page can say when the facts
    moved since). ``expected_version``: the draft's version the form showed (409 if someone
    saved since)."""
    from rouei.core.errors import Conflict
    from rouei.documents.kinds.public_notice import context
    from rouei.documents.models import NoticeDraft

    require_role(actor, incident, Need.PUBLISH)
    unknown = set(sections) - set(context.EDITABLE)
    if unknown:
        raise ActionError("unknown_section", _("No such section of the notice."),
                          field="sections")
    with transaction.atomic():
        draft = NoticeDraft.objects.select_for_update().filter(incident=incident).first()
        if expected_version is not None and draft is not None \
                and draft.version != expected_version:
            raise Conflict("draft_changed", _("Someone saved the draft since you opened it. "
                                              "Reload the page and make your changes again."),
                           current_version=draft.version, expected_version=expected_version)
        if draft is None:
            draft = NoticeDraft(incident=incident, updated_by=actor, version=0)
        previous = draft.sections or {}
        draft.is_final = bool(is_final)
        draft.delay_reason = _clean(delay_reason)
        # The drafted texts as they read with this draft's 最終報 flag.
        drafted = context.drafted_sections(incident, is_final=draft.is_final)
        kept = {}
        for key in context.EDITABLE:
            text = _clean(sections.get(key, ""))
            if key in reset or not text or text == _clean(drafted[key]):
                continue
            old = previous.get(key)
            kept[key] = old if old and old["text"] == text else {"text": text,
                                                                 "based_on": drafted[key]}
        draft.sections = kept
        draft.updated_by = actor
        draft.version += 1
        draft.save()
        record_event(actor=actor, action="notice.draft_save", obj=draft,
                     incident_id=incident.pk,
                     details={"edited": sorted(kept), "is_final": draft.is_final,
                              "delay_reason": bool(draft.delay_reason),
                              "version": draft.version})
    return draft


def do_publish_notice(incident, *, expected_number: int | None = None, now=None, actor):
    """Publish the next version of the public notice (lead, legal, PR): the draft over the
    drafted text, frozen as canonical JSON with its SHA-256 (``NoticeVersion`` is never changed
    afterwards). The first publication creates the public page's unguessable token. Refused
    while the text still holds a 【未設定：…】 placeholder (the contact window's number or
    hours), and when ``expected_number`` is not the next number (published twice, or by
    someone else meanwhile: 409)."""
    import secrets

    from django.utils import timezone

    from rouei.core.errors import Conflict
    from rouei.documents import notices
    from rouei.documents.kinds.public_notice import context
    from rouei.documents.models import NoticeVersion, PublicNoticePage
    from rouei.incidents.models import Incident

    require_role(actor, incident, Need.PUBLISH)
    now = now or timezone.now()
    with transaction.atomic():
        # One publisher at a time per incident: the numbers stay 1, 2, 3 …
        Incident.objects.select_for_update().filter(pk=incident.pk).first()
        number = context.next_number(incident)
        if expected_number is not None and expected_number != number:
            raise Conflict("notice_number_changed", _(
                "Version %(n)s has been published meanwhile. Check the versions before "
                "publishing again.") % {"n": number - 1},
                current_number=number, expected_number=expected_number)
        content = context.build(incident, now=now, number=number)
        unset = [s["heading"] or "リード文" for s in content["sections"]
                 if context.UNSET.split("{")[0] in s["text"]]
        if unset:
            raise ActionError("notice_incomplete", _(
                "The notice still has unset parts (【未設定】) in: %(sections)s. Fill them in "
                "(the contact window is set on the people's notice settings) or rewrite the "
                "section before publishing.") % {"sections": "、".join(unset)},
                field="sections")
        frozen = notices.canonical(content)
        version = NoticeVersion(incident=incident, number=number,
                                is_final=content["notice"]["is_final"], published_at=now,
                                content_json=frozen, sha256=notices.sha256_of(frozen),
                                published_by=actor)
        version.save(_publishing=True)
        _page, created = PublicNoticePage.objects.get_or_create(
            incident=incident, defaults={"token": secrets.token_urlsafe(24)})
        tasks = _advance_publication_tasks(incident, version, now=now, actor=actor)
        record_event(actor=actor, action="notice.publish", obj=version,
                     incident_id=incident.pk,
                     details={"number": number, "is_final": version.is_final,
                              "sha256": version.sha256, "page_created": created,
                              "tasks": tasks})
    return version


# Publishing a version is what the playbooks' 公表 task asks for: it is done with the first
# one. The card leak's 「公表内容と時期の調整」 goes on until the full notice (it is coordinated
# with the card companies), so a publication only starts it.
PUBLICATION_TASK_DONE = "public_notice"
PUBLICATION_TASKS_STARTED = ("card_publication",)


def _advance_publication_tasks(incident, version, *, now, actor) -> dict[str, str]:
    """Close (or start) the incident's publication tasks, through the tasks' own audited
    actions (``task.complete`` with its timeline entry, ``task.update``). A task marked 不要 is
    left as the company decided. Returns task id → the status it was moved to."""
    from django.utils import timezone

    from rouei.playbooks import actions as task_actions
    from rouei.playbooks.choices import OPEN_STATUSES, TaskStatus

    moved: dict[str, str] = {}
    label = version.content["notice"]["version_label"]
    for task in incident.tasks.filter(key=PUBLICATION_TASK_DONE, status__in=OPEN_STATUSES):
        task_actions.do_complete_task(
            task, at=now if now <= timezone.now() else None,
            note=f"公表文（{label}）を公表（SHA-256 {version.sha256[:12]}…）", actor=actor)
        moved[str(task.pk)] = TaskStatus.DONE
    for task in incident.tasks.filter(key__in=PUBLICATION_TASKS_STARTED,
                                      status=TaskStatus.TODO):
        task_actions.do_update_task(task, status=TaskStatus.IN_PROGRESS, actor=actor)
        moved[str(task.pk)] = TaskStatus.IN_PROGRESS
    return moved
