"""The controller notice's content: the PPC report's nine items as the incident holds them now
(``ppc_report.context``, not a copy), addressed to the controller, with what is missing
measured against the notice's own guide (about day 3–5 from when the processor knew, 規則9条;
appi.md §3) instead of the PPC's deadlines.

The JSON export has the PPC report's keys (``REPORT_KEYS``); ``overview.report`` says it is the
controller notice, whether the facts record the company as the processor, and when a notice was
recorded as given (a filed report of kind ``processor_notice``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from rouei.documents.kinds.ppc_report import context as ppc
from rouei.domain.deadlines import preliminary_window
from rouei.domain.jdates import wareki

NOTICE_KIND = "processor_notice"  # rouei.incidents ReportKind: the notice recorded as given
DEADLINE_LABEL = "委託元への通知（目安）"
# Not an item of the PPC report, but the notice cannot go out without it.
CONTROLLER_MISSING = {"field": "overview.controller", "label": "通知先（委託元）の名称"}


def build(incident, stage: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    report = ppc.build(incident, "preliminary", now)
    state = ppc.State(incident, None)
    facts = state.facts
    given = list(incident.filed_reports.filter(kind=NOTICE_KIND).order_by("filed_at", "id"))
    due = preliminary_window(facts.knew_date)[1] if facts.knew_date and not given else None
    report["overview"]["report"] = {
        "kind": "controller-notice",
        "stage": None,
        "stage_label": "委託元への通知",
        "incident_id": incident.pk,
        "title": incident.title,
        "reporter": incident.organisation or None,
        "drafted_on": ppc.jst(now).date().isoformat(),
        "drafted_on_text": wareki(ppc.jst(now).date()),
        "facts_version": state.facts_version.number if state.facts_version else None,
        # Whether the facts record the company as the processor (委託先): the notice is its
        # duty only then; for a controller it is a draft for its own vendor to compare.
        "is_processor": facts.role is not None and facts.role.value == "processor",
        "controller": None,  # the controller's name: not recorded by rouei yet
        "notice_due": due.isoformat() if due else None,
        "notices_given": [{"filed_at": r.filed_at.astimezone(ppc.JST).isoformat()} for r in given],
        "preliminary_due": None,
        "final_due": None,
    }
    # The PPC's follow-up comparison belongs to the PPC report, not to this notice.
    report["other"]["changes_since_last_filed"] = None
    missing = [{**m, "deadline": due.isoformat() if due else None,
                "deadline_label": DEADLINE_LABEL if due else None,
                "deadline_text": ppc.date_text(due)}
               for m in [{"field": CONTROLLER_MISSING["field"],
                          "label": CONTROLLER_MISSING["label"]}, *report["missing"]]]
    report["missing"] = missing
    return report
