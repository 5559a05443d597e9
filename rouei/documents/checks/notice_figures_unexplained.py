"""A new version of the public notice gives other figures (the number of people, the items,
the period) than the version before, and no reason is recorded: numbers that change between
versions without a word are one of the classic mistakes (notices-and-victims.md §3: each
version says what is known; a count that grows must say why). The fix is a sentence in the
notice saying what the investigation found, recorded here as the reason."""

from __future__ import annotations

from rouei.documents.checks import CheckInput, Finding

CODE = "check.notice_figures_unexplained"
TITLE = "公表文の版の間で人数・項目が変わり、理由が記録されていない"
TITLE_EN = "A public notice version changed its figures with no reason recorded"
# A recorded reason (``do_record_check_reason``) answers it.
ACCEPTS_REASON = True


def check(data: CheckInput) -> list[Finding]:
    if len(data.published_notices) < 2:
        return []
    before, last = data.published_notices[-2], data.published_notices[-1]
    reason_at = data.reasons.get(CODE)
    if reason_at is not None and reason_at >= last.published_at:
        return []
    old = {key: (label, value) for key, label, value in before.figures}
    changes, keys = [], []
    for key, label, value in last.figures:
        if key in old and old[key][1] != value:
            changes.append(f"{label} {old[key][1]} → {value}")
            keys.append(key)
    for key, (label, value) in old.items():
        if key not in {k for k, _, _ in last.figures}:
            changes.append(f"{label} {value} → 記載なし")
            keys.append(key)
    if not changes:
        return []
    return [Finding(
        code=CODE, severity="medium",
        message=(f"{last.label}で{before.label}から数字が変わっています: {'、'.join(changes)}。"
                 "変わった理由（調査で判明したこと）を公表文に書き、ここに記録してください。"),
        message_en=(f"{last.label} changed figures given in {before.label} "
                    f"({', '.join(keys)}). Say in the notice why (what the investigation "
                    "found) and record the reason here."),
        fix="documents:notices", details={"fields": keys})]
