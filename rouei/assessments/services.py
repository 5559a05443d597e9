"""Facts in, everything a person handling the leak needs to read out: ``evaluate(facts)``.

The domain decides (assessment, damage estimate, exposure); this module only calls it and puts
the answers into the shape the page shows (dates in Japanese with weekday and 和暦, days left,
labels for fields). Pages, the API and the incident app of later issues call the same function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rouei.assessments.choices import ENUM_LABELS, FACT_LABELS, SECTIONS
from rouei.assessments.forms import FACT_TYPES
from rouei.domain.assessment import Assessment, RegimeResult, assess
from rouei.domain.damage import ResponsePrices, estimate
from rouei.domain.facts import JST, Facts
from rouei.domain.items import ITEMS
from rouei.domain.jdates import format_date, wareki
from rouei.domain.penalties import exposure
from rouei.domain.rules.base import Status, Unknown


@dataclass(frozen=True)
class Deadline:
    """A day as the page shows it, with the number of days left from ``today``."""

    day: dt.date
    text: str  # 2026年12月23日（水） / Wed 23 Dec 2026
    wareki: str  # 令和8年12月23日（水）
    days_left: int

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @classmethod
    def of(cls, iso: str | None, lang: str, today: dt.date) -> Deadline | None:
        return cls.on(dt.date.fromisoformat(iso), lang, today) if iso else None

    @classmethod
    def on(cls, day: dt.date | None, lang: str, today: dt.date) -> Deadline | None:
        if day is None:
            return None
        weekday = format_date(day, "ja")[-3:]  # （水）
        return cls(day, format_date(day, lang), f"{wareki(day)}{weekday}", (day - today).days)


@dataclass(frozen=True)
class Evaluation:
    """The domain's answers for one set of facts. ``view(lang)`` is what a page renders."""

    facts: Facts
    assessment: Assessment
    estimate: Any  # rouei.domain.damage's result: ``.to_dict(lang)``
    exposure: Any  # rouei.domain.penalties' result: ``.to_dict(lang)``
    today: dt.date = field(default_factory=timezone.localdate)

    def to_dict(self, lang: str = "ja") -> dict:
        """JSON-ready: the three domain answers as they are (for the API and downloads)."""
        return {
            "facts": self.facts.to_dict(),
            "assessment": self.assessment.to_dict(lang),
            "estimate": self.estimate.to_dict(lang),
            "exposure": self.exposure.to_dict(lang),
        }

    def view(self, lang: str = "ja") -> dict:
        data = self.to_dict(lang)
        return {**view_assessment(self.assessment, lang, self.today),
                "estimate": data["estimate"], "exposure": _exposure_view(data["exposure"])}


def view_assessment(assessment: Assessment, lang: str, today: dt.date) -> dict:
    """An assessment (fresh, or read back from a snapshot) in the shape the result templates
    render, its texts in ``lang`` (no estimate or exposure): the incident app shows its
    snapshots with this."""
    mn = assessment.my_number_act
    return {
        "assessment": _regime_view(assessment.appi, lang, today, assessment.unknowns),
        "my_number_act": _regime_view(mn, lang, today, mn.unknowns) if mn else None,
        "rules_version": assessment.rules_version_in(lang),
        "knew": Deadline.on(assessment.facts.knew_date, lang, today),
        "estimate": None,
        "exposure": None,
    }


def _regime_view(result: RegimeResult, lang: str, today: dt.date,
                 unknowns: tuple[Unknown, ...]) -> dict:
    window = result.preliminary_report_window
    view = result.to_dict(lang)
    view["preliminary_from"] = Deadline.on(window[0], lang, today) if window else None
    view["preliminary_to"] = Deadline.on(window[1], lang, today) if window else None
    view["final_due"] = Deadline.on(result.final_report_due, lang, today)
    view["unknowns"] = [
        {"field": u.field, "text": u.text(lang),
         "label": str(FACT_LABELS[u.field][0]) if u.field in FACT_LABELS else u.field}
        for u in unknowns
    ]
    findings = [f for f in result.findings if f.kind == "trigger"]
    for status in Status:
        view[f"triggers_{status.value}"] = [f.to_dict(lang) for f in findings
                                            if f.status is status]
    return view


EXPOSURE_SECTIONS = ("administrative", "civil", "criminal", "social")


def _exposure_view(exposure: dict) -> dict:
    """The four sections in a fixed order, each entry ranked: highlight, relevant, background."""
    rank = {"highlight": 0, "relevant": 1, "background": 2}
    sections = []
    for key in EXPOSURE_SECTIONS:
        section = exposure.get(key)
        if section:
            entries = sorted(section.get("entries", []),
                             key=lambda e: rank.get(e.get("applies"), 3))
            sections.append({"key": key, "title": section.get("title", key), "entries": entries})
    return {**exposure, "sections": sections}


def evaluate(facts: Facts, *, today: dt.date | None = None,
             prices: ResponsePrices | None = None) -> Evaluation:
    """Assess the duties, estimate the damage and summarise the exposure for ``facts``; the
    response costs use ``prices`` (an incident's own unit prices) or the defaults."""
    today = today or timezone.localdate()
    assessment = assess(facts, today=today)
    return Evaluation(facts, assessment, estimate(facts, prices), exposure(facts, assessment),
                      today)


def describe_value(key: str, value: Any, lang: str) -> str:
    """One fact's value (as ``Facts.to_dict`` writes it) the way a person reads it."""
    if value is None or value == []:
        return str(_("Unknown"))
    if key == "items":
        return ("、" if lang == "ja" else ", ").join(
            ITEMS[i].label(lang) if i in ITEMS else i for i in value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, int):
        return f"{value:,}"
    enum = FACT_TYPES.get(key)
    if isinstance(enum, type) and issubclass(enum, Enum):
        try:
            return str(ENUM_LABELS[enum][enum(value)])
        except ValueError:
            return str(value)
    if key.endswith("_at") and isinstance(value, str):
        moment = dt.datetime.fromisoformat(value).astimezone(JST)
        day = format_date(moment.date(), lang)
        return day if key == "knew_at" and moment.time() == dt.time() else (
            f"{day} {moment:%H:%M}")
    return str(value)


def describe_facts(facts: dict, lang: str) -> list[dict]:
    """The known facts (``Facts.to_dict()``) as [{key, label, value}], in the form's order."""
    order = [key for _title, keys in SECTIONS for key in keys]
    order += [key for key in FACT_LABELS if key not in order]
    return [{"key": key, "label": str(FACT_LABELS[key][0]),
             "value": describe_value(key, facts[key], lang)}
            for key in order if key in facts]
