"""Helpers for tests that need a report recorded as filed or a case closed over its duties."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from rouei.incidents import actions
from rouei.incidents.services import open_duties_of


def file_report(incident, kind: str, actor, *, receipt_number: str = "", hours_ago: int = 1):
    return actions.do_record_filed_report(
        incident, kind=kind, filed_at=timezone.now() - dt.timedelta(hours=hours_ago),
        channel="ppc_form", receipt_number=receipt_number, filed_by=actor, actor=actor)


def close_over_open_duties(incident, actor, reason: str = "再発防止は別案件で管理する"):
    """Close ``incident`` ticking every open duty (the lead's override)."""
    codes = [d.code for d in open_duties_of(incident)]
    return actions.do_change_status(incident, "closed", actor=actor, close_reason=reason,
                                    acknowledged_duties=codes)
