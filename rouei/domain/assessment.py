"""``assess(facts)``: the duties a leak creates under the APPI and, separately, the My Number Act.

Decision procedure: appi.md §0. Each trigger and exception is a rule module in rules/; this module
only combines their findings:
- a trigger counts unless an exception that applies takes it away;
- any trigger that counts → the duty exists (True);
- none counts, but one depends on an unknown fact → undecidable (None): prepare as if required;
- otherwise → no duty (False).
An exception whose facts are unknown is not applied (the cautious answer), and the missing fact
is listed as 要確認.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rouei.domain import deadlines
from rouei.domain.facts import JST, Facts, Role, parse_facts
from rouei.domain.rules import engine
from rouei.domain.rules.base import Finding, Status, Unknown
from rouei.domain.text import Text

RECORD_FORMAT = 1  # the shape of Assessment.to_record(); a change is a new number and a migration

RULES_VERSION = {
    "id": "appi-2022.04",
    "label_ja": "個人情報保護法（令和2年改正、2022年4月1日施行）・同施行規則7条（2024年4月1日改正を含む）・番号法29条の4",
    "label_en": "APPI as amended in 2020 (in force 2022-04-01), PPC Rules Art. 7 (incl. the "
                "2024-04-01 change) and My Number Act Art. 29-4",
    "note_ja": "2026年に公布された改正法（主要部分は公布後2年以内に施行）は未施行のため反映していません",
    "note_en": "The amendment promulgated in 2026 is not yet in force and is not applied",
}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: Text
    citation: str

    def to_dict(self, lang: str = "ja") -> dict:
        return {"code": self.code, "text": self.text(lang), "citation": self.citation}

    def to_record(self) -> dict:
        return {"code": self.code, "text": self.text.to_dict(), "citation": self.citation}

    @classmethod
    def from_record(cls, data: dict) -> Reason:
        return cls(data["code"], Text.from_dict(data["text"]), data["citation"])


@dataclass(frozen=True)
class RegimeResult:
    """The answer under one law: APPI Art. 26, or My Number Act Art. 29-4."""

    regime: str
    report_required: bool | None
    notify_required: bool | None
    findings: tuple[Finding, ...]
    triggers: tuple[str, ...]  # apply and are not taken away by an exception
    possible_triggers: tuple[str, ...]  # depend on an unknown fact (要確認)
    exceptions: tuple[str, ...]  # apply
    preliminary_report_window: tuple[dt.date, dt.date] | None
    final_report_days: int | None
    final_report_due: dt.date | None
    reasons: tuple[Reason, ...]
    unknowns: tuple[Unknown, ...]

    def to_dict(self, lang: str = "ja") -> dict:
        window = self.preliminary_report_window
        return {
            "report_required": self.report_required,
            "notify_required": self.notify_required,
            "triggers": list(self.triggers),
            "possible_triggers": list(self.possible_triggers),
            "exceptions": list(self.exceptions),
            "trigger_details": [f.to_dict(lang) for f in self.findings if f.kind == "trigger"],
            "exception_details": [f.to_dict(lang) for f in self.findings
                                  if f.kind == "exception"],
            "preliminary_report_window": [d.isoformat() for d in window] if window else None,
            "final_report_days": self.final_report_days,
            "final_report_due": self.final_report_due.isoformat()
            if self.final_report_due else None,
            "reasons": [r.to_dict(lang) for r in self.reasons],
            "unknowns": [{"field": u.field, "text": u.text(lang)} for u in self.unknowns],
        }

    def to_record(self) -> dict:
        """Language-neutral and JSON-ready (see ``Assessment.to_record``)."""
        window = self.preliminary_report_window
        return {
            "regime": self.regime,
            "report_required": self.report_required,
            "notify_required": self.notify_required,
            "findings": [f.to_record() for f in self.findings],
            "triggers": list(self.triggers),
            "possible_triggers": list(self.possible_triggers),
            "exceptions": list(self.exceptions),
            "preliminary_report_window": [d.isoformat() for d in window] if window else None,
            "final_report_days": self.final_report_days,
            "final_report_due": _iso(self.final_report_due),
            "reasons": [r.to_record() for r in self.reasons],
            "unknowns": [u.to_record() for u in self.unknowns],
        }

    @classmethod
    def from_record(cls, data: dict) -> RegimeResult:
        window = data.get("preliminary_report_window")
        return cls(
            data["regime"], data["report_required"], data["notify_required"],
            tuple(Finding.from_record(f) for f in data["findings"]),
            tuple(data["triggers"]), tuple(data["possible_triggers"]), tuple(data["exceptions"]),
            (_day(window[0]), _day(window[1])) if window else None,
            data.get("final_report_days"), _day(data.get("final_report_due")),
            tuple(Reason.from_record(r) for r in data["reasons"]),
            tuple(Unknown.from_record(u) for u in data["unknowns"]))


@dataclass(frozen=True)
class Assessment:
    facts: Facts
    reference_date: dt.date  # the rules in force on this day were applied
    appi: RegimeResult
    my_number_act: RegimeResult | None
    rules_version: dict = field(default_factory=lambda: dict(RULES_VERSION))

    # The APPI answer is the main one; these let callers write ``assessment.report_required``.
    @property
    def report_required(self) -> bool | None:
        return self.appi.report_required

    @property
    def notify_required(self) -> bool | None:
        return self.appi.notify_required

    @property
    def triggers(self) -> tuple[str, ...]:
        return self.appi.triggers

    @property
    def final_report_due(self) -> dt.date | None:
        return self.appi.final_report_due

    @property
    def preliminary_report_window(self) -> tuple[dt.date, dt.date] | None:
        return self.appi.preliminary_report_window

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        seen: dict[str, Unknown] = {u.field: u for u in self.appi.unknowns}
        if self.my_number_act:
            for u in self.my_number_act.unknowns:
                seen.setdefault(u.field, u)
        return tuple(seen.values())

    def to_dict(self, lang: str = "ja") -> dict:
        out = self.appi.to_dict(lang)
        out["unknowns"] = [{"field": u.field, "text": u.text(lang)} for u in self.unknowns]
        knew = self.facts.knew_date
        out.update({
            "knew_date": knew.isoformat() if knew else None,
            "reference_date": self.reference_date.isoformat(),
            "my_number_act": self.my_number_act.to_dict(lang) if self.my_number_act else None,
            "rules_version": self.rules_version_in(lang),
        })
        return out

    def rules_version_in(self, lang: str = "ja") -> dict:
        """The rules applied: their id, and their name and note in ``lang``."""
        suffix = "ja" if lang == "ja" else "en"
        return {"id": self.rules_version["id"], "label": self.rules_version[f"label_{suffix}"],
                "note": self.rules_version[f"note_{suffix}"]}

    def to_record(self) -> dict:
        """The assessment as stored: one language-neutral, JSON-ready record (ids, booleans,
        ISO dates, codes and citations as data; each text the domain wrote in both
        languages). ``from_record`` reads it back as an ``Assessment``; a page renders it in
        its language with ``to_dict(lang)`` when it shows it."""
        return {
            "format": RECORD_FORMAT,
            "facts": self.facts.to_dict(),
            "reference_date": self.reference_date.isoformat(),
            "appi": self.appi.to_record(),
            "my_number_act": self.my_number_act.to_record() if self.my_number_act else None,
            "rules_version": dict(self.rules_version),
        }

    @classmethod
    def from_record(cls, data: dict) -> Assessment:
        if data.get("format") != RECORD_FORMAT:
            raise ValueError(f"not an assessment record of format {RECORD_FORMAT}")
        my_number = data.get("my_number_act")
        return cls(parse_facts(dict(data["facts"]), check_consistency=False),
                   dt.date.fromisoformat(data["reference_date"]),
                   RegimeResult.from_record(data["appi"]),
                   RegimeResult.from_record(my_number) if my_number else None,
                   dict(data["rules_version"]))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def assess(facts: Facts, *, today: dt.date | None = None) -> Assessment:
    """Decide the duties for ``facts``. ``today`` (JST) is the day used when ``knew_at`` is
    unknown, to choose the rules in force."""
    reference = facts.knew_date or today or dt.datetime.now(JST).date()
    appi = _decide("appi", facts, reference)
    my_number = None
    if "my_number" in facts.item_set or facts.my_number_violation:
        my_number = _decide("my_number", facts, reference)
    return Assessment(facts, reference, appi, my_number)


def _decide(regime: str, facts: Facts, day: dt.date) -> RegimeResult:
    # Every trigger the engine finds takes part, in the law's order (Rule.order).
    rules = engine.rules_of(regime, day)
    findings = engine.run(regime, facts, day)
    triggers = sorted((f for f in findings if f.kind == "trigger"),
                      key=lambda f: (rules[f.id].order, f.id))
    exceptions = [f for f in findings if f.kind == "exception"]
    applied = [e for e in exceptions if e.status is Status.YES]

    def exempted(trigger: Finding) -> bool:
        return any(not e.exempts or trigger.id in e.exempts for e in applied)

    counting = [t for t in triggers if not exempted(t)]
    yes = tuple(t.id for t in counting if t.status is Status.YES)
    maybe = tuple(t.id for t in counting if t.status is Status.UNKNOWN)
    if not triggers:
        required = None  # no rule in force on that day (before 2022-04-01)
    else:
        required = True if yes else (None if maybe else False)

    unknowns: dict[str, Unknown] = {}
    for f in [*counting, *exceptions] if required is not False else applied:
        for u in f.unknowns:
            unknowns.setdefault(u.field, u)

    window = due = days = None
    # Triggers with a longer final-report period (規則8条2項: 60 days for 不正の目的).
    longer = [t for t in counting if rules[t.id].final_report_days]
    longer_days = [rules[t.id].final_report_days for t in longer if t.status is Status.YES]
    longer_unknown = not longer_days and any(t.status is Status.UNKNOWN for t in longer)
    if required is not False:
        if facts.knew_date is None:
            unknowns.setdefault("knew_at", Unknown("knew_at", Text(
                "事態を知った日時（いずれかの部署が知った時点）。期限はこの日を1日目として数えます",
                "when the company (any department) knew; deadlines count it as day 1")))
        else:
            days = max(longer_days, default=deadlines.FINAL_REPORT_DAYS)
            window = deadlines.preliminary_window(facts.knew_date)
            due = deadlines.due_date(facts.knew_date, days)

    reasons = _reasons(regime, facts, required, counting, applied, yes, days, due,
                       longer_unknown, triggers)
    ordered = (*triggers, *(f for f in findings if f.kind != "trigger"))
    return RegimeResult(regime, required, required, ordered, yes, maybe,
                        tuple(e.id for e in applied), window, days, due, tuple(reasons),
                        tuple(unknowns.values()))


def _reasons(regime, facts, required, counting, applied, yes, days, due, malice_unknown,
             triggers) -> list[Reason]:
    appi = regime == "appi"
    law = "個人情報保護法26条1項・2項" if appi else "番号法29条の4第1項・2項"
    reasons: list[Reason] = []
    if not triggers:
        reasons.append(Reason("not_in_force", Text(
            "2022年4月1日より前に知った事態には、現行の報告義務規定は適用されません（旧制度では努力義務）",
            "Events known before 2022-04-01 fall outside the current reporting duty"), law))
        return reasons
    if required is True:
        reasons.append(Reason("duty", Text(
            "報告対象の事態に該当するため、個人情報保護委員会への報告（速報・確報）と本人への通知が必要です",
            "A reportable event: report to the PPC (preliminary and final) and notify the "
            "individuals"), law))
    elif required is None:
        reasons.append(Reason("undecided", Text(
            "要確認の事実によっては報告対象になります。判明するまで、報告が必要なものとして準備してください",
            "Depending on the facts still unknown the event may be reportable: prepare as if "
            "it is"), law))
    else:
        reasons.append(Reason("no_duty", Text(
            "報告対象の事態に該当しません。任意の報告は可能で、二次被害防止のため公表が望ましい場合があります"
            if appi else
            "報告義務の対象ではありませんが、高度な暗号化の場合を除き、報告するよう努めることとされています（努力義務）",
            "Not reportable; a voluntary report is possible and publication may still help"
            if appi else
            "Not reportable, but businesses should still try to report (except with advanced "
            "encryption)"), "GL 3-5-3-1 ※1" if appi else "事業者編ガイドライン別添2"))
    for t in counting:
        if t.id in yes:
            reasons.append(Reason(t.id, t.text, t.citation))
    for e in applied:
        reasons.append(Reason(e.id, e.text, e.citation))
    if required is not False and facts.possibility_only:
        reasons.append(Reason("possibility", Text(
            "漏えい等が確定していなくても、発生した「おそれ」がある段階で報告・通知の対象です",
            "A possible leak (おそれ) is reportable before it is confirmed"), "GL 3-5-3-1 ※2"))
    if due is not None:
        knew = facts.knew_date
        nth = deadlines.nth_day(knew, days)
        moved = ""
        moved_en = ""
        if nth != due:
            moved = f"。{days}日目の{nth.isoformat()}は{deadlines.holiday_name(nth)}のため翌開庁日に延びます"
            moved_en = f"; day {days} ({nth.isoformat()}) is a closed day, so it moves to {due}"
        why = "（不正の目的によるおそれがあるため60日）" if days == 60 else ""
        reasons.append(Reason("final_deadline", Text(
            f"確報は知った日（{knew.isoformat()}）を1日目として{days}日以内{why}: {due.isoformat()}{moved}",
            f"Final report within {days} days counting the day of knowing ({knew}) as day 1: "
            f"{due}{moved_en}"), "規則8条2項; GL 3-5-3-4; 行政機関の休日に関する法律2条"))
        reasons.append(Reason("preliminary_deadline", Text(
            "速報は「速やかに」。委員会の目安は知った時点から概ね3〜5日以内です（個別の事案によります）",
            "Preliminary report promptly; the PPC's guide is about 3–5 days from knowing"),
            "規則8条1項; GL 3-5-3-3"))
        if malice_unknown:
            reasons.append(Reason("deadline_if_malicious", Text(
                "不正の目的によるおそれがあると判明した場合、確報期限は60日になります（それまでは30日で管理）",
                "If an unlawful purpose turns out possible, the final report is due in 60 days"),
                "規則8条2項"))
    if required is not False:
        reasons.append(Reason("notice", Text(
            "本人への通知は状況に応じて速やかに、概要・項目・原因・二次被害・その他参考事項を通知します。"
            "連絡先不明等で通知が困難な場合は、公表や問合せ窓口の設置等の代替措置をとります",
            "Notify each person promptly as the situation allows (overview, items, cause, "
            "secondary damage, other useful facts); where that is impossible, publish the event "
            "or open an inquiry desk instead"), "法26条2項; 規則10条; GL 3-5-4"))
    released = {"processor_notified", "mn_processor_notified"} & {e.id for e in applied}
    if facts.role is Role.PROCESSOR and not released:
        reasons.append(Reason("processor", Text(
            "委託先は、委託元に速やかに（目安3〜5日）報告事項を通知すれば、自らの報告・本人通知義務を免れます",
            "A processor is released once it promptly (about 3–5 days) notifies its controller"),
            "法26条1項ただし書; 規則9条"))
    if facts.vendor_involved and facts.role is not Role.PROCESSOR and required is not False:
        reasons.append(Reason("vendor", Text(
            "委託先で発生した事態でも、委託元は報告・本人通知の義務を負います（委託先と連名での報告も可）。"
            "委託元は遅くとも委託先から通知を受けた時点で「知った」ことになります",
            "A leak at a processor still obliges the controller (a joint report is possible); "
            "the controller knows at the latest when the processor tells it"), "GL 3-5-3-2"))
    return reasons
