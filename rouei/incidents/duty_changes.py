"""What changed in the duties between two assessments, said plainly (義務・期限の変化).

Compares two assessments (the domain's ``Assessment``, fresh or read back from a snapshot) and
returns one bilingual message per change of a duty, a trigger or the final-report deadline, e.g.
「本人の数が1,000人を超えたため、規則7条4号に該当し報告が必要になりました」. The facts edit page
shows the messages and ``do_update_facts`` writes them to the timeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rouei.domain.assessment import Assessment, RegimeResult
from rouei.domain.jdates import format_date
from rouei.domain.rules.engine import find_rule


def _phrase(trigger_id: str) -> tuple[str, str, str, str] | None:
    """Why a trigger applies, as the first half of a sentence ("…ため、規則7条4号に該当し…"),
    from the rule itself; ``None``: the rule gives none (it is named by its label)."""
    rule = find_rule(trigger_id)
    if rule is None or rule.because is None or rule.article is None:
        return None
    return rule.because.ja, rule.article.ja, rule.because.en, rule.article.en


@dataclass(frozen=True)
class DutyChange:
    code: str  # report_required · report_not_required · report_undecided · trigger_added ·
    # trigger_removed · final_due_changed · final_due_set · final_due_unknown · my_number
    ja: str
    en: str

    def __call__(self, lang: str = "ja") -> str:
        return self.ja if lang == "ja" else self.en

    def to_dict(self) -> dict:
        return {"code": self.code, "ja": self.ja, "en": self.en}

    @property
    def good_news(self) -> bool:
        """A duty went away: pages show it as relief, not as a danger."""
        return self.code in GOOD_NEWS


GOOD_NEWS = frozenset({"report_not_required"})
# Changes that add work or risk: an entry with any of them is not good news as a whole.
BAD_NEWS = frozenset({"report_required", "report_undecided", "trigger_added",
                      "final_due_changed", "final_due_set", "final_due_unknown"})


def all_good_news(codes: list[str]) -> bool:
    """Whether a set of changes (one timeline entry) is good news as a whole."""
    return bool(GOOD_NEWS & set(codes)) and not BAD_NEWS & set(codes)


def _labels(result: RegimeResult | None, lang: str) -> dict[str, str]:
    if result is None:
        return {}
    return {f.id: f.label(lang) for f in result.findings if f.kind == "trigger"}


def _day(day: dt.date | None, lang: str) -> str:
    return format_date(day, lang) if day else ""


def compare(before: Assessment | None, after: Assessment) -> list[DutyChange]:
    """Changes from ``before`` to ``after`` (``None`` before: nothing to compare, no changes)."""
    if before is None:
        return []
    changes = _regime(before.appi, after.appi, "")
    if after.my_number_act or before.my_number_act:
        changes += _regime(before.my_number_act, after.my_number_act, "my_number")
    return changes


def _regime(b: RegimeResult | None, a: RegimeResult | None, regime: str) -> list[DutyChange]:
    """One law's changes; a law that did not apply (``None``) had no duty."""
    mn = regime == "my_number"
    prefix_ja, prefix_en = ("番号法: ", "My Number Act: ") if mn else ("", "")
    out: list[DutyChange] = []
    was = b.report_required if b else False
    now = a.report_required if a else False
    before_triggers = b.triggers if b else ()
    after_triggers = a.triggers if a else ()
    added = [t for t in after_triggers if t not in before_triggers]
    removed = [t for t in before_triggers if t not in after_triggers]
    labels_ja = {**_labels(b, "ja"), **_labels(a, "ja")}
    labels_en = {**_labels(b, "en"), **_labels(a, "en")}

    def reason(ids: list[str], lang: str) -> str:
        if len(ids) == 1 and _phrase(ids[0]):
            phrase_ja, cite_ja, phrase_en, cite_en = _phrase(ids[0])
            return (f"{phrase_ja}ため、{cite_ja}に該当し" if lang == "ja"
                    else f"{phrase_en[0].upper()}{phrase_en[1:]}, so {cite_en} applies")
        names = (labels_ja if lang == "ja" else labels_en)
        listed = ("、" if lang == "ja" else ", ").join(names.get(t, t) for t in ids)
        return f"「{listed}」に該当し" if lang == "ja" else f"{listed} apply"

    if now is True and was is not True:
        if added:
            out.append(DutyChange("report_required",
                                  f"{prefix_ja}{reason(added, 'ja')}報告が必要になりました",
                                  f"{prefix_en}{reason(added, 'en')}: the report to the PPC "
                                  "and the notice to individuals are now required"))
        else:
            out.append(DutyChange("report_required",
                                  f"{prefix_ja}報告と本人への通知が必要になりました",
                                  f"{prefix_en}the report and the notice to individuals are "
                                  "now required"))
        added = []
    elif now is False and was is True:
        out.append(DutyChange("report_not_required",
                              f"{prefix_ja}報告の対象ではなくなりました（報告・本人通知は不要）",
                              f"{prefix_en}no longer reportable (no report or notice "
                              "required)"))
        added = removed = []
    elif now is False and was is None:
        # It was undecided, never reportable (e.g. the first facts of a new case): "no longer"
        # would be untrue.
        out.append(DutyChange("report_not_required",
                              f"{prefix_ja}報告の対象ではないと判定されました（報告・本人通知は不要）",
                              f"{prefix_en}not reportable (no report or notice required)"))
        added = removed = []
    elif now is None and was is not None:
        out.append(DutyChange("report_undecided",
                              f"{prefix_ja}報告の要否が要確認になりました。判明するまで報告が必要なものとして準備してください",
                              f"{prefix_en}whether the event is reportable is now to be "
                              "confirmed; prepare as if it is"))
    for t in added:
        if _phrase(t):
            phrase_ja, cite_ja, phrase_en, cite_en = _phrase(t)
            ja = f"{phrase_ja}ため、{cite_ja}にも該当するようになりました（報告は引き続き必要です）"
            en = (f"{phrase_en[0].upper()}{phrase_en[1:]}, so {cite_en} applies as well (the "
                  "report is still required)")
        else:
            ja = f"「{labels_ja.get(t, t)}」にも該当するようになりました"
            en = f"{labels_en.get(t, t)} now applies as well"
        out.append(DutyChange("trigger_added", prefix_ja + ja, prefix_en + en))
    if now is not False:
        for t in removed:
            out.append(DutyChange(
                "trigger_removed",
                f"{prefix_ja}「{labels_ja.get(t, t)}」には該当しなくなりました",
                f"{prefix_en}{labels_en.get(t, t)} no longer applies"))
    old_due = b.final_report_due if b else None
    new_due = a.final_report_due if a else None
    if old_due != new_due and now is not False:
        days = a.final_report_days if a else None
        if old_due and new_due:
            out.append(DutyChange(
                "final_due_changed",
                f"{prefix_ja}確報の期限が{_day(old_due, 'ja')}から{_day(new_due, 'ja')}に変わりました"
                f"（{days}日）",
                f"{prefix_en}the final report is now due {_day(new_due, 'en')} (was "
                f"{_day(old_due, 'en')}; {days} days)"))
        elif new_due:
            out.append(DutyChange(
                "final_due_set",
                f"{prefix_ja}確報の期限は{_day(new_due, 'ja')}です（{days}日）",
                f"{prefix_en}the final report is due {_day(new_due, 'en')} ({days} days)"))
        else:
            out.append(DutyChange(
                "final_due_unknown",
                f"{prefix_ja}確報の期限が未確定になりました（知った日が不明です）",
                f"{prefix_en}the final-report deadline is no longer known (the day the "
                "company knew is missing)"))
    return out
