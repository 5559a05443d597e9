"""The mistake check: rules that warn before a classic mistake of a leak response is made
(silence while "still investigating", a deadline near with the report incomplete, numbers that
change without a word, vague promises …; notices-and-victims.md §1, §3, §5).

Rules are found by folder, like the scanners' detectors: every module here whose name does not
start with "_" declares

- ``CODE``: a stable code (``check.<what>``), printed by ``rouei documents check`` and the API;
- ``TITLE`` and ``TITLE_EN``: the rule in one line, Japanese and English;
- ``check(data: CheckInput) -> list[Finding]``: a pure function over the input snapshot.

The snapshot (``CheckInput``) is built once by ``rouei.documents.services.check_input`` from
the incident; the rules never touch the database, so each can be tested with a hand-made input.
The meta-test ``tests/documents/checks/test_rules.py`` proves every rule module has its code,
both titles and a test file of its own.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from rouei.domain.jdates import format_date

JST = dt.timezone(dt.timedelta(hours=9))  # the company's clock: dates are read in Japan
REQUIRED = ("CODE", "TITLE", "TITLE_EN", "check")
SEVERITIES = ("high", "medium", "low")  # high: act today; medium: act soon; low: look at it


@dataclass(frozen=True)
class Finding:
    """One warning: what is wrong now, in both languages, and where to fix it."""

    code: str
    severity: str
    message: str  # Japanese
    message_en: str
    # Where to fix it: a URL name of the incident's pages (reversed with the incident's id)
    # and an optional fragment; the service turns it into a link.
    fix: str = ""
    fix_anchor: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")


# --- the input snapshot ----------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    """A report deadline not yet met by a filing: ``name`` as the report calls it (速報（目安）,
    確報)."""

    kind: str  # "preliminary" | "final"
    name: str
    name_en: str
    due: dt.date


@dataclass(frozen=True)
class MissingItem:
    """An item of the PPC report that cannot be filled yet, and the deadline it threatens."""

    label: str  # Japanese, as the report names it
    deadline: dt.date | None


@dataclass(frozen=True)
class Numbers:
    """What the report says of the scale: the people and the data items."""

    people_confirmed: int | None = None
    people_estimated: int | None = None
    items: tuple[str, ...] = ()  # the items' Japanese labels


@dataclass(frozen=True)
class Filing:
    """A PPC report recorded as filed, with the numbers as they stood when it was filed."""

    kind: str  # preliminary | final | supplement
    name: str  # 速報 …
    filed_at: dt.datetime
    numbers: Numbers


@dataclass(frozen=True)
class Promise:
    """Something the company tells outsiders it will do: a task the PPC report lists under 6
    (response to the people), 7 (publication) or 8 (prevention), or a measure of the prevention
    plan."""

    title: str
    section: str  # "response" | "publication" | "prevention" | "measure"
    has_owner: bool
    due: dt.date | None


@dataclass(frozen=True)
class Compensation:
    mode: str  # none | automatic | claim (rouei.people CompensationMode)
    has_scope: bool  # an amount for someone, or by class of data
    claim_deadline: dt.date | None


@dataclass(frozen=True)
class PublishedNotice:
    """A public notice version as published (``rouei.documents.models.NoticeVersion``)."""

    published_at: dt.datetime
    label: str = ""  # 第一報, 第二報 …
    # (key, label, value) of the figures the version gave (人数, 項目, 期間 …), as published
    figures: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class PromiseText:
    """A text outsiders read that may promise something (the public notice, the letter to each
    person, the PPC report's planned response), named as the warning names it."""

    source: str  # Japanese: 公表文（第一報） …
    source_en: str
    text: str


@dataclass(frozen=True)
class Carrier:
    """Something that carries a promise: a playbook task open or done (``key`` its playbook
    key, "" for one added by hand) or a prevention measure not dropped."""

    kind: str  # "task" | "measure"
    key: str
    title: str


@dataclass(frozen=True)
class CheckInput:
    today: dt.date  # in JST
    knew_on: dt.date | None  # 知った日 (day 1 of every deadline)
    role: str | None = None  # "controller" | "processor" (the facts' role)
    processor_notified: bool = False  # the 規則9条 notice given (a fact or a filing)
    # Whether a public notice is expected: a publication task is open or done (a task marked
    # 不要 means the company decided not to publish; None: nothing decided).
    publication_expected: bool | None = None
    published_notices: tuple[PublishedNotice, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    report_missing: tuple[MissingItem, ...] = ()
    filings: tuple[Filing, ...] = ()  # oldest first
    current: Numbers = field(default_factory=Numbers)
    compensation: Compensation | None = None
    promises: tuple[Promise, ...] = ()
    promise_texts: tuple[PromiseText, ...] = ()
    carriers: tuple[Carrier, ...] = ()
    # code → when a reason or explanation for that warning was last recorded (the timeline
    # entries written by ``do_record_check_reason``).
    reasons: dict[str, dt.datetime] = field(default_factory=dict)
    near_days: int = 3  # how near a deadline counts as near (ROUEI_CHECK_NEAR_DAYS)

    def days_since_knew(self) -> int | None:
        """Counting the day of knowing as day 1, as the deadlines do (GL 3-5-3-3)."""
        return (self.today - self.knew_on).days + 1 if self.knew_on else None


# --- the rules ---------------------------------------------------------------------------------

@cache
def rule_modules() -> tuple[ModuleType, ...]:
    package = importlib.import_module(__name__)
    modules = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        missing = [name for name in REQUIRED if not hasattr(module, name)]
        if missing:
            raise ImportError(f"check rule {info.name} lacks {', '.join(missing)}")
        modules.append(module)
    return tuple(sorted(modules, key=lambda m: m.CODE))


def run(data: CheckInput) -> list[Finding]:
    """Every rule's findings, the most severe first (then by code, so the order is stable)."""
    found = [f for module in rule_modules() for f in module.check(data)]
    return sorted(found, key=lambda f: (SEVERITIES.index(f.severity), f.code))


def join_ja(words) -> str:
    return "、".join(words)


def join_en(words) -> str:
    return ", ".join(words)


def day_ja(day: dt.date) -> str:
    return format_date(day)
