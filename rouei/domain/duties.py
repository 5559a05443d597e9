"""Which legal duties of a case are still open (issue 11, guard rail 1): a case is not set to
完了 while one is, unless the lead acknowledges each one with a reason.

Pure: the callers give what the records say (the latest assessment's answers, the reports
recorded as filed, the tasks) and get the codes of the open duties, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Collection

PRELIMINARY = "preliminary"  # 速報 (規則8条1項)
FINAL = "final"  # 確報 (規則8条2項)
SUPPLEMENT = "supplement"  # 追完: a later addition to a 確報
MY_NUMBER = "my_number"  # the report under the My Number Act (番号法29条の4)
PROCESSOR_NOTICE = "processor_notice"  # a 委託先's notice to its 委託元 (規則9条)

REPORT_KINDS = (PRELIMINARY, FINAL, SUPPLEMENT, MY_NUMBER, PROCESSOR_NOTICE)

# The codes of open duties, in the order a page lists them.
OPEN_PRELIMINARY = "preliminary_report"
OPEN_FINAL = "final_report"
OPEN_MY_NUMBER = "my_number_report"
OPEN_NOTICE = "notice_to_individuals"
OPEN_TASKS = "open_tasks"


def _owed(required: bool | None) -> bool:
    """A duty answered 要確認 (None) is owed until someone settles it: closing a case whose
    duty is not known yet would hide exactly the deadline nobody checked."""
    return required is not False


def open_duties(*, report_required: bool | None, notify_required: bool | None,
                filed: Collection[str], my_number_report_required: bool | None = False,
                notice_done: bool = False, open_tasks: int = 0) -> list[str]:
    """The open duties' codes. A 速報 and a 確報 are separate duties, each closed only by a
    filing of its own kind (a 追完 closes neither); the notice to individuals is closed by
    ``notice_done`` (issue 12 will give it a register of its own)."""
    duties = []
    if _owed(report_required):
        if PRELIMINARY not in filed:
            duties.append(OPEN_PRELIMINARY)
        if FINAL not in filed:
            duties.append(OPEN_FINAL)
    if _owed(my_number_report_required) and MY_NUMBER not in filed:
        duties.append(OPEN_MY_NUMBER)
    if _owed(notify_required) and not notice_done:
        duties.append(OPEN_NOTICE)
    if open_tasks > 0:
        duties.append(OPEN_TASKS)
    return duties


def unacknowledged(duties: Collection[str], acknowledged: Collection[str]) -> list[str]:
    """The open duties the lead has not ticked: a close over open duties needs every one."""
    return [d for d in duties if d not in set(acknowledged)]
