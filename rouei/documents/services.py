"""Rendering a document kind for an incident in one of its formats (the page, the downloads
and ``rouei documents render`` all come here; the audited door is ``actions.do_render``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from rouei.documents.kinds import DocumentKind

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str  # ASCII: the incident id, the kind, the stage


def export_json(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


def render(kind: DocumentKind, incident, *, stage: str | None, fmt: str, now=None) -> Rendered:
    if fmt not in kind.formats:
        raise ValueError(f"{kind.slug} has no format {fmt!r}")
    if kind.stages and stage is None:
        stage = kind.default_stage(incident)
    report = kind.build(incident, stage, now)
    if fmt == "json":
        content = export_json(report)
    elif fmt == "docx":
        from rouei.documents.renderers.docx import ReferenceFailed, render_docx
        from rouei.documents.templating import (
            reference_docx,
            reference_failed,
            render_docx_template,
        )

        content = render_docx_template(kind.slug, report)  # None: no Word template
        if content is None:
            try:
                content = render_docx(kind.layout(report), reference_docx(kind.slug))
            except ReferenceFailed as exc:
                raise reference_failed(exc.path, exc.reason) from None
    else:
        from rouei.documents.renderers.pdf import render_pdf

        content = render_pdf(kind.layout(report))
    name = f"incident-{incident.pk}-{kind.slug}" + (f"-{stage}" if stage else "") + f".{fmt}"
    return Rendered(content, CONTENT_TYPES[fmt], name)


# --- the mistake check -----------------------------------------------------------------------

# How many days before a deadline the check warns (settings ROUEI_CHECK_NEAR_DAYS).
DEFAULT_NEAR_DAYS = 3
# The timeline entries that record a reason for a warning carry {"check_reason": code}.
REASON_KEY = "check_reason"


def near_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "ROUEI_CHECK_NEAR_DAYS", DEFAULT_NEAR_DAYS))


def published_notices(incident) -> tuple:
    """The public notice versions published for ``incident``, oldest first."""
    from rouei.documents.checks import PublishedNotice
    from rouei.documents.models import NoticeVersion

    return tuple(
        PublishedNotice(published_at=version.published_at,
                        label=version.content["notice"]["version_label"],
                        figures=tuple((f["key"], f["label"], f["value"])
                                      for f in version.content.get("figures", ())))
        for version in NoticeVersion.objects.filter(incident=incident).order_by("number"))


def _numbers(facts) -> Any:
    from rouei.documents.checks import Numbers
    from rouei.domain.items import ITEMS

    return Numbers(people_confirmed=facts.people_confirmed,
                   people_estimated=facts.people_estimated,
                   items=tuple(ITEMS[i].label_ja if i in ITEMS else i
                               for i in (facts.items or ())))


def _promises(incident) -> tuple:
    from rouei.documents.checks import Promise
    from rouei.documents.kinds.ppc_report import context as ppc

    others = set(ppc.OTHER_TASKS) | set(ppc.REPORT_TASKS)
    promises = []
    for task in incident.tasks.filter(status__in=("todo", "in_progress")):
        if task.key in ppc.RESPONSE_TASKS:
            section = "response"
        elif task.key in ppc.PUBLICATION_TASKS:
            section = "publication"
        elif task.key not in others:
            section = "prevention"  # as item 8 of the report counts it
        else:
            continue
        promises.append(Promise(title=task.title, section=section,
                                has_owner=task.owner_id is not None, due=task.due_date))
    # The recurrence-prevention plan's open measures (rouei/prevention): promised in item 8.
    from rouei.prevention.choices import OPEN_STATUSES

    for measure in incident.measures.filter(status__in=OPEN_STATUSES):
        promises.append(Promise(title=measure.title, section="measure",
                                has_owner=measure.owner_id is not None, due=measure.due_date))
    return tuple(promises)


def _carriers(incident) -> tuple:
    """The tasks open or done and the measures not dropped: what can carry a promise."""
    from rouei.documents.checks import Carrier
    from rouei.prevention.choices import MeasureStatus

    tasks = tuple(Carrier("task", task.key or "", task.title)
                  for task in incident.tasks.exclude(status="not_needed"))
    measures = tuple(Carrier("measure", measure.group, measure.title)
                     for measure in incident.measures.exclude(status=MeasureStatus.DROPPED))
    return tasks + measures


def _sections_text(content: dict) -> str:
    return "\n".join(section["text"] for section in content["sections"])


def _promise_texts(incident, report: dict) -> tuple:
    """What outsiders read and the company may have promised something in: the public notice
    last published and the next version's draft, the letters' texts the company wrote (once
    the notice settings are saved), and the PPC report's response and measures planned."""
    from rouei.documents.checks import PromiseText
    from rouei.documents.kinds.public_notice import context as notice
    from rouei.documents.models import NoticeVersion
    from rouei.people.models import NoticeSettings

    texts = []
    last = NoticeVersion.objects.filter(incident=incident).order_by("-number").first()
    if last is not None:
        label = last.content["notice"]["version_label"]
        texts.append(PromiseText(f"公表文（{label}）", f"public notice ({label})",
                                 _sections_text(last.content)))
    draft = notice.build(incident)
    texts.append(PromiseText(f"公表文（{draft['notice']['version_label']}の案）",
                             "public notice (next version, draft)", _sections_text(draft)))
    if NoticeSettings.objects.filter(incident=incident).exists():
        from rouei.people.notices import IncidentTexts

        letter = IncidentTexts.build(incident)
        texts.append(PromiseText("本人への通知", "letter to each person", "\n".join((
            letter.what_happened, letter.cause, letter.secondary_damage, letter.measures,
            letter.compensation))))
    planned = [line["title"] for line in report["prevention"]["planned"]]
    planned += [line["title"] for section in ("response_to_individuals", "publication")
                for line in report[section]["measures"] if line["status"] != "done"]
    if planned:
        texts.append(PromiseText("個人情報保護委員会への報告（予定の対応）",
                                 "PPC report (planned response)", "\n".join(planned)))
    return tuple(texts)


def _compensation(incident):
    from rouei.documents.checks import Compensation

    policy = getattr(incident, "compensation_policy", None)
    if policy is None:
        return None
    return Compensation(
        mode=policy.mode,
        has_scope=bool(policy.amount_confirmed or policy.amount_possible
                       or any(policy.item_amounts.values()) or policy.non_monetary.strip()),
        claim_deadline=policy.claim_deadline)


def _reasons(incident) -> dict:
    reasons: dict = {}
    # Encrypted data: read in Python (few entries of kind "action" per incident).
    for entry in incident.timeline.filter(kind="action").order_by("at", "id"):
        code = (entry.data or {}).get(REASON_KEY)
        if code:
            reasons[code] = max(reasons.get(code, entry.created_at), entry.created_at)
    return reasons


def check_input(incident, *, now=None, near: int | None = None):
    """The snapshot every check rule reads, built once from the incident (facts, assessment,
    the PPC report's missing items, filings, tasks, compensation policy, recorded reasons)."""
    from django.utils import timezone

    from rouei.documents import checks
    from rouei.documents.kinds.ppc_report import context as ppc

    now = now or timezone.now()
    state = ppc.State(incident, None)
    facts = state.facts
    report = ppc.build(incident, None, now)
    due = ppc.deadlines(state)
    deadlines = []
    if due["preliminary"]:
        deadlines.append(checks.Deadline("preliminary", "速報（目安）", "preliminary report",
                                         due["preliminary"]))
    if due["final"]:
        deadlines.append(checks.Deadline("final", "確報", "final report", due["final"]))
    missing = tuple(checks.MissingItem(m["label"], dt.date.fromisoformat(m["deadline"])
                                       if m["deadline"] else None)
                    for m in report["missing"])
    filings = tuple(
        checks.Filing(kind=r.kind, name=str(ppc.STAGE_LABELS.get(r.kind, r.kind)),
                      filed_at=r.filed_at, numbers=_numbers(ppc.State(incident, r.filed_at).facts))
        for r in incident.filed_reports.filter(kind__in=ppc.FILED_KINDS)
        .order_by("filed_at", "id"))
    publication = [t.status for t in state.tasks if t.key in ppc.PUBLICATION_TASKS]
    expected = (None if not publication
                else any(s != "not_needed" for s in publication))
    return checks.CheckInput(
        today=ppc.jst(now).date(),
        knew_on=facts.knew_date,
        role=facts.role.value if facts.role else None,
        processor_notified=bool(facts.notified_principal) or incident.filed_reports.filter(
            kind="processor_notice").exists(),
        publication_expected=expected,
        published_notices=published_notices(incident),
        deadlines=tuple(deadlines),
        report_missing=missing,
        filings=filings,
        current=_numbers(facts),
        compensation=_compensation(incident),
        promises=_promises(incident),
        promise_texts=_promise_texts(incident, report),
        carriers=_carriers(incident),
        reasons=_reasons(incident),
        near_days=near_days() if near is None else near,
    )


def reason_codes() -> frozenset[str]:
    """The warnings a recorded reason answers (their rules declare ``ACCEPTS_REASON``)."""
    from rouei.documents import checks

    return frozenset(m.CODE for m in checks.rule_modules() if getattr(m, "ACCEPTS_REASON", False))


def check(incident, *, now=None, near: int | None = None) -> list[dict]:
    """The warnings for ``incident``, the most severe first, as the card, the CLI and the API
    show them: ``{code, severity, message, message_en, title, title_en, fix_url, accepts_reason,
    details}``."""
    from django.urls import NoReverseMatch, reverse

    from rouei.documents import checks

    titles = {m.CODE: (m.TITLE, m.TITLE_EN) for m in checks.rule_modules()}
    reasoned = reason_codes()
    out = []
    for finding in checks.run(check_input(incident, now=now, near=near)):
        try:
            url = reverse(finding.fix, args=[incident.pk]) if finding.fix else None
        except NoReverseMatch:
            url = None  # the app that fixes it is not installed
        if url and finding.fix_anchor:
            url += f"#{finding.fix_anchor}"
        out.append({"code": finding.code, "severity": finding.severity,
                    "message": finding.message, "message_en": finding.message_en,
                    "title": titles[finding.code][0], "title_en": titles[finding.code][1],
                    "fix_url": url, "accepts_reason": finding.code in reasoned,
                    "details": finding.details})
    return out
