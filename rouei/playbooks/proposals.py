"""Playbooks follow the facts: which tasks to propose and which no longer apply (pure Python).

When the cause, the vendor involvement or the card items change, the playbooks the facts point
to change (``selection.kinds_for_facts``): their tasks the incident lacks are *proposed* (a
member with the right adds them; nothing is added silently), and the open tasks of the playbook
the facts pointed to before that the new playbooks do not have *no longer apply*. When a duty
ends (the report to the PPC, APPI Art. 26(1); the notice to the individuals, Art. 26(2)), the
open tasks serving it no longer apply either. Tasks that no longer apply are marked 不要 with
the reason, never deleted (``scheduling`` writes them; a member can reopen one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The tasks that exist only for a duty, and the duty (``Duties`` field) each serves.
DUTY_OF_KEY = {
    "preliminary_report": "report",  # 速報, PPC Rules Art. 8(1)
    "final_report": "report",  # 確報, PPC Rules Art. 8(2)
    "notify_individuals": "notice",  # 本人通知, APPI Art. 26(2)
}


@dataclass(frozen=True)
class Duties:
    """The assessment's answers: ``True`` required, ``False`` not, ``None`` not known yet."""

    report: bool | None
    notice: bool | None

    def ended(self, later: Duties) -> set[str]:
        """The duties this says may be due and ``later`` says are not (known to be not)."""
        return {name for name in ("report", "notice")
                if getattr(self, name) is not False and getattr(later, name) is False}

    def resumed_since(self, earlier: Duties) -> set[str]:
        """The duties ``earlier`` said were not due and this says may be."""
        return {name for name in ("report", "notice")
                if getattr(earlier, name) is False and getattr(self, name) is not False}


@dataclass(frozen=True)
class TemplateRef:
    """A task of a playbook, as far as the choice needs it."""

    kind: str
    key: str
    title: str
    title_en: str = ""


@dataclass(frozen=True)
class TaskRef:
    """An open task of the incident."""

    task_id: int
    key: str
    playbook_kind: str
    title: str
    title_en: str = ""


def proposals(wanted: Sequence[TemplateRef], have_keys: Iterable[str],
              duties: Duties) -> list[TemplateRef]:
    """The tasks of the playbooks the facts point to (``wanted``, in order) the incident has no
    task for yet (any status: a task marked 不要 is a decision, not a gap), without those for a
    duty known not to apply. Each key once."""
    seen = set(have_keys)
    out = []
    for template in wanted:
        if template.key in seen:
            continue
        duty = DUTY_OF_KEY.get(template.key)
        if duty is not None and getattr(duties, duty) is False:
            continue
        seen.add(template.key)
        out.append(template)
    return out


PLAYBOOK, REPORT, NOTICE = "playbook", "report", "notice"


@dataclass(frozen=True)
class NoLongerApplies:
    """An open task the new facts make unnecessary, and why (``PLAYBOOK``, ``REPORT`` or
    ``NOTICE``; ``playbooks`` names the playbooks the facts point to now, ``(ja, en)``)."""

    task: TaskRef
    reason: str
    playbooks: tuple[str, str] = ("", "")

    def reason_text(self, lang: str) -> str:
        ja_names, en_names = self.playbooks
        if self.reason == PLAYBOOK:
            return (f"事実の変更により、該当する対応手順（{ja_names}）に含まれないタスクになったため"
                    if lang == "ja" else
                    f"after the change of facts the matching playbook ({en_names}) has no "
                    "such task")
        if self.reason == REPORT:
            return ("個人情報保護委員会への報告が不要と判定されたため（法26条1項）" if lang == "ja"
                    else "the report to the PPC is no longer required (APPI Art. 26(1))")
        return ("本人への通知が不要と判定されたため（法26条2項）" if lang == "ja"
                else "the notice to the individuals is no longer required (APPI Art. 26(2))")

    def text(self, lang: str) -> str:
        if lang == "ja":
            return f"タスク「{self.task.title}」を不要にしました: {self.reason_text('ja')}"
        title = self.task.title_en or self.task.title
        return f"Task “{title}” marked not needed: {self.reason_text('en')}"

    def to_dict(self) -> dict:
        """In the shape of the timeline's messages (``DutyChange.to_dict``)."""
        return {"code": "task_not_needed", "ja": self.text("ja"), "en": self.text("en"),
                "task_id": self.task.task_id}


def no_longer_apply(open_tasks: Sequence[TaskRef], *, old_kinds: Sequence[str],
                    new_kinds: Sequence[str], new_keys: Iterable[str],
                    duties_before: Duties | None, duties_after: Duties,
                    playbooks: tuple[str, str] = ("", "")) -> list[NoLongerApplies]:
    """The open tasks that no longer apply after a facts change, in the given order.

    - from a playbook the facts pointed to (``old_kinds``) and no longer do, whose key none of
      the playbooks they point to now has (``new_keys``): a task shared by both stays;
    - serving a duty that was (or may have been) required and now is not.

    Tasks entered by hand (no key) and tasks from a playbook someone added on purpose (not
    among ``old_kinds``) are left alone. No previous assessment: nothing ends.
    """
    dropped = set(old_kinds) - set(new_kinds)
    keys = set(new_keys)
    ended = duties_before.ended(duties_after) if duties_before is not None else set()
    out = []
    for task in open_tasks:
        if not task.key:
            continue
        if task.playbook_kind in dropped and task.key not in keys:
            out.append(NoLongerApplies(task, PLAYBOOK, playbooks))
        elif DUTY_OF_KEY.get(task.key) in ended:
            out.append(NoLongerApplies(task, REPORT if DUTY_OF_KEY[task.key] == "report"
                                       else NOTICE))
    return out


@dataclass(frozen=True)
class SetAsideRef:
    """A task rouei marked 不要 (``code``: ``PLAYBOOK``, ``REPORT`` or ``NOTICE``), still so."""

    task_id: int
    key: str
    code: str
    title: str
    title_en: str = ""


@dataclass(frozen=True)
class AppliesAgain:
    """A task rouei set aside that the new facts make necessary again."""

    task: SetAsideRef

    def text(self, lang: str) -> str:
        if lang == "ja":
            return f"タスク「{self.task.title}」を再開しました: 事実の変更により再び該当するため"
        title = self.task.title_en or self.task.title
        return f"Task “{title}” reopened: after the change of facts it applies again"

    def to_dict(self) -> dict:
        return {"code": "task_reopened", "ja": self.text("ja"), "en": self.text("en"),
                "task_id": self.task.task_id}


def apply_again(set_aside: Sequence[SetAsideRef], *, new_keys: Iterable[str],
                duties_after: Duties) -> list[AppliesAgain]:
    """The tasks rouei set aside that apply again: set aside for the playbook, and a playbook
    the facts point to now has the task; set aside for a duty that may be due again. (Tasks a
    person marked 不要 have no code and stay as they are.)"""
    keys = set(new_keys)
    out = []
    for task in set_aside:
        playbook_again = task.code == PLAYBOOK and task.key in keys
        duty_again = (task.code in (REPORT, NOTICE)
                      and getattr(duties_after, task.code) is not False)
        if playbook_again or duty_again:
            out.append(AppliesAgain(task))
    return out


@dataclass(frozen=True)
class Proposed:
    """The timeline line saying which tasks are proposed (added by a member, not by rouei)."""

    templates: tuple[TemplateRef, ...]

    def text(self, lang: str) -> str:
        if lang == "ja":
            titles = "".join(f"「{t.title}」" for t in self.templates)
            return f"新しい事実に合うタスクの追加を提案します（タスクの画面で追加できます）: {titles}"
        titles = ", ".join(f"“{t.title_en or t.title}”" for t in self.templates)
        return f"Tasks proposed for the new facts (add them on the tasks page): {titles}"

    def to_dict(self) -> dict:
        return {"code": "tasks_proposed", "ja": self.text("ja"), "en": self.text("en"),
                "keys": [t.key for t in self.templates]}
