"""The documents cards of the incident page: the mistake check (slot ``top``), and (slot
``body``) the PPC report to make next, how many of its fields are still missing, the nearest
deadline they threaten and the public notice's last published version.

Building the report (twice for a follow-up: as it is and as it stood at the last filing) was a
fifth of the incident page's time, on every view. The card keeps what it shows — stage, the
missing fields' labels and deadlines, the names of the changed fields; no values, so nothing
personal — per incident in this process's memory, and builds again when anything the report
reads has changed (``_fingerprint``) or the day has turned. The mistake check (the whole check
input built on every view: two fifths of the page) is kept the same way."""

from __future__ import annotations

from django.utils import timezone

from rouei.core.fingerprints import Remembered, fingerprint
from rouei.documents.choices import STAGE_LABELS
from rouei.documents.kinds import get_kind

# What the two cards are built from: the PPC report's rows (the incident, its facts versions
# and assessments, its timeline, filed reports, tasks and prevention measures, the public
# notice's versions for item 7) and, for the mistake check, the compensation policy, the public
# notice's draft and the letters' notice settings (the texts a promise is looked for in). One
# set for both: one fingerprint query per view.
READS = ("facts_versions", "snapshots", "notice_versions", "timeline", "filed_reports",
         "tasks", "measures", "compensation_policy", "notice_draft", "notice_settings")

_memory = Remembered()
_checks_memory = Remembered()


def _fingerprint(incident, request=None) -> tuple:
    """Changes whenever a row the cards are built from is added, changed or removed, and when
    the day (JST) turns."""
    return (*fingerprint(incident, *READS, request=request), timezone.localdate())


def _summary(incident) -> dict:
    kind = get_kind("ppc-report")
    stage = kind.default_stage(incident)
    report = kind.build(incident, stage)
    missing = [{"label": m["label"], "deadline": m["deadline"],
                "deadline_label": m["deadline_label"], "deadline_text": m["deadline_text"]}
               for m in report["missing"]]
    deadlines = sorted({m["deadline"] for m in missing if m["deadline"]})
    first = next((m for m in missing if m["deadline"] == deadlines[0]), None) \
        if deadlines else None
    changes = report["other"]["changes_since_last_filed"]
    last_notice = incident.notice_versions.order_by("-number").first()
    return {"stage": stage, "stage_label": STAGE_LABELS[stage], "missing": missing,
            "first_deadline": first,
            "changes": {"fields": [c["field"] for c in changes["fields"]]} if changes else None,
            "last_notice": ({key: last_notice.content["notice"][key]
                             for key in ("version_label", "date_text")} if last_notice else None),
            "last_notice_at": last_notice.published_at if last_notice else None}


def documents(request, incident) -> dict:
    return _memory.get(incident.pk, _fingerprint(incident, request),
                       lambda: _summary(incident))


def checks(request, incident) -> dict | None:
    """The mistake-check card (slot ``top``): the warnings, most severe first, each with where
    to fix it; none: no card."""
    from rouei.core.access import Need, role_allows
    from rouei.documents.choices import SEVERITY_LABELS
    from rouei.documents.services import check, near_days
    from rouei.ui.lang import current_lang

    # The check was two fifths of the page's time, on every view: it is kept like the
    # documents card, under the same fingerprint (the rules compare dates: the day is in it)
    # and the "near" setting.
    key = (*_fingerprint(incident, request), near_days())
    kept = _checks_memory.get(incident.pk, key, lambda: check(incident))
    if not kept:
        return None
    english = current_lang() != "ja"
    findings = [{**finding, "text": finding["message_en"] if english else finding["message"],
                 "severity_label": SEVERITY_LABELS[finding["severity"]]} for finding in kept]
    return {"findings": findings,
            "can_answer": role_allows(getattr(incident, "member_role", ""), Need.EDIT)}
