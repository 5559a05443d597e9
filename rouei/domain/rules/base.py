"""What a rule returns, and the shape every rule module has.

A rule module (one per trigger or exception, in rules/appi/ or rules/my_number/) defines
``RULE = Rule(...)`` and ``evaluate(facts) -> Finding``. ``Rule.in_force_from`` and
``in_force_until`` version it: a change in the law is a new module with a new
``in_force_from``, and the old module gets ``in_force_until``; nothing is edited in place.
Rules collect, not stop: the engine runs all of them and keeps every finding with its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from rouei.domain.text import Text


class Status(str, Enum):
    YES = "yes"  # the trigger applies / the exception applies
    NO = "no"
    UNKNOWN = "unknown"  # depends on a fact that is not known yet: 要確認


@dataclass(frozen=True, slots=True)
class Unknown:
    """A missing fact that could change the answer, and what it decides."""

    field: str
    text: Text

    def to_record(self) -> dict:
        return {"field": self.field, "text": self.text.to_dict()}

    @classmethod
    def from_record(cls, data: dict) -> Unknown:
        return cls(data["field"], Text.from_dict(data["text"]))


@dataclass(frozen=True)
class Finding:
    id: str
    kind: str
    label: Text
    status: Status
    text: Text
    citation: str
    unknowns: tuple[Unknown, ...] = field(default_factory=tuple)
    # For an exception that applies: the triggers it takes away (empty: all of them).
    exempts: frozenset[str] = frozenset()

    def to_dict(self, lang: str = "ja") -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label(lang),
            "status": self.status.value,
            "text": self.text(lang),
            "citation": self.citation,
        }

    def to_record(self) -> dict:
        """Language-neutral and JSON-ready: both languages of each text (``from_record`` reads
        it back)."""
        return {"id": self.id, "kind": self.kind, "label": self.label.to_dict(),
                "status": self.status.value, "text": self.text.to_dict(),
                "citation": self.citation, "unknowns": [u.to_record() for u in self.unknowns],
                "exempts": sorted(self.exempts)}

    @classmethod
    def from_record(cls, data: dict) -> Finding:
        return cls(data["id"], data["kind"], Text.from_dict(data["label"]), Status(data["status"]),
                   Text.from_dict(data["text"]), data["citation"],
                   tuple(Unknown.from_record(u) for u in data.get("unknowns", ())),
                   frozenset(data.get("exempts", ())))


@dataclass(frozen=True)
class Rule:
    id: str  # stable id: ``sensitive``, ``mn_over_100``, ``advanced_encryption`` …
    kind: str  # "trigger" (a reason the duty arises) or "exception" (a reason it does not)
    label: Text
    in_force_from: dt.date
    in_force_until: dt.date | None = None  # last day in force
    # A trigger's place in the law's list (規則7条1号 → 1): the order triggers are shown in.
    order: int = 0
    # A trigger that, when it applies, makes the final report due in this many days instead of
    # 30 (規則8条2項: 60 for 不正の目的).
    final_report_days: int | None = None
    # For messages when a trigger starts to apply: why, as the first half of a sentence
    # (「本人の数が1,000人を超えた」ため、…), and the provision in short (規則7条4号).
    because: Text | None = None
    article: Text | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None
                                              or day <= self.in_force_until)

    def finding(self, status: Status, ja: str, en: str, citation: str,
                *unknowns: Unknown, exempts: frozenset[str] = frozenset()) -> Finding:
        return Finding(self.id, self.kind, self.label, status, Text(ja, en), citation,
                       tuple(unknowns), exempts)


APPI_2022 = dt.date(2022, 4, 1)  # the 2020 amendment's reporting duty came into force
