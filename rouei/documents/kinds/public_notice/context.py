"""The public notice's content (公表: 「…に関するお詫びとお知らせ」), drafted from the incident in
the skeleton real notices follow (notices-and-victims.md §3): the lead (what, when, how many,
the apology, how people are contacted), then 経緯・概要 (dated), 漏えい（の可能性がある）情報
(confirmed and possible kept apart, with the number of people), 原因, 対応状況, お客様へのお願い
(and what we never ask for), 再発防止策, お問い合わせ窓口 (number and hours); for a card leak an
optional 公表までに時間を要した理由 in the words the user entered.

Sources: the latest facts version, the timeline, the playbook tasks, the filed reports, the
people app's notice settings (the window, the cause and the secondary damage in the company's
words) and the registry's counts where the incident has one. Sections a person rewrote in the
draft (``NoticeDraft``) replace the drafted text; the others follow the facts as they change.

The returned mapping is the JSON export and, once published, the frozen content of a version:
``notice`` (title, version, date, organisation), ``sections`` (key, number, heading, text),
``figures`` (the numbers a reader compares between versions) and ``missing``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from rouei.documents.kinds.ppc_report.context import (
    JST,
    OTHER_TASKS,
    PUBLICATION_TASKS,
    REPORT_TASKS,
    RESPONSE_TASKS,
    STAGE_LABELS,
)
from rouei.domain.facts import Cause, Facts
from rouei.domain.jdates import format_date

SECTION_KEYS = ("lead", "history", "delay_reason", "information", "cause", "response",
                "requests", "prevention", "contact")
HEADINGS = {
    "lead": "",
    "history": "経緯・概要",
    "delay_reason": "公表までに時間を要した理由",
    "information": "漏えい（の可能性がある）情報",
    "cause": "原因",
    "response": "対応状況",
    "requests": "お客様へのお願い",
    "prevention": "再発防止策",
    "contact": "お問い合わせ窓口",
}
# The sections a person may rewrite (the optional delay reason is entered on its own).
EDITABLE = tuple(k for k in SECTION_KEYS if k != "delay_reason")

CARD_ITEMS = frozenset({"credit_card", "card_expiry", "card_security_code"})
ACCOUNT_ITEMS = frozenset({"password", "login_id", "online_banking_credentials",
                           "payment_service_credentials"})
CONTACT_ITEMS = frozenset({"email", "phone", "mobile_phone", "address"})
# Containment steps a notice reports under 対応状況 rather than as prevention.
CONTAINMENT_TASKS = ("isolate_systems", "block_intrusion", "preserve_evidence", "remote_wipe",
                     "suspend_insider_access", "restore_backups", "sending_scope",
                     "monitor_misuse")
# The title's words for what happened, by cause (「不正アクセスによる個人情報漏えい」).
TITLE_CAUSES = {
    Cause.MISDELIVERY: "誤送付", Cause.LOST_DEVICE: "紛失", Cause.THEFT: "盗難",
    Cause.UNAUTHORIZED_ACCESS: "不正アクセス", Cause.MALWARE: "マルウェア感染",
    Cause.RANSOMWARE: "ランサムウェア被害", Cause.INSIDER_THEFT: "不正な持ち出し",
    Cause.MISCONFIGURATION: "設定の誤り", Cause.VENDOR: "委託先における事故",
}
NEVER_ASK = ("弊社から、お電話・メール・SMS 等で、クレジットカード番号、暗証番号、パスワード等を"
             "お尋ねすることは一切ございません。弊社を名乗る不審な連絡にはご注意ください。")
UNSET = "【未設定：{}】"
KANJI_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """1 → 一, 12 → 十二, 22 → 二十二 (as 第二報, 第十二報 are written); 100 and over in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else KANJI_DIGITS[tens]) + ("十" if tens else "")
            + (KANJI_DIGITS[ones] if ones else ""))


def version_label(number: int, is_final: bool = False) -> str:
    """第一報, 第二報 …; the last one is the 最終報 (also named by its number)."""
    return f"第{kanji_number(number)}報" + ("（最終報）" if is_final else "")


def _day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(JST).date()
    return format_date(value)


def _people(n: int) -> str:
    return f"{n:,}名"


def _lines(lines: list[str]) -> str:
    return "\n".join(f"・{line}" for line in lines)


class _Sources:
    """What the incident holds now, read once."""

    def __init__(self, incident):
        from rouei.people.notices import settings_of

        self.incident = incident
        version = incident.latest_facts()
        self.facts: Facts = version.as_facts() if version else Facts()
        self.timeline = list(incident.timeline.filter(
            kind__in=("occurred", "detected", "knew", "report_filed")).order_by("at", "id"))
        self.tasks = [t for t in incident.tasks.all() if t.status != "not_needed"]
        self.filed = list(incident.filed_reports.filter(
            kind__in=("preliminary", "final", "supplement")).order_by("filed_at", "id"))
        self.settings = settings_of(incident)
        self.registry = _registry_counts(incident)
        self.draft = _draft(incident)

    def task(self, key: str):
        return next((t for t in self.tasks if t.key == key), None)

    def done(self, keys) -> list:
        return sorted((t for t in self.tasks if t.key in keys and t.status == "done"),
                      key=lambda t: (t.completed_at or timezone.now(), t.order))

    def open(self, keys) -> list:
        return [t for t in self.tasks if t.key in keys and t.status != "done"]

    @property
    def card_leak(self) -> bool:
        return bool(self.facts.item_set & CARD_ITEMS)


def _draft(incident):
    from rouei.documents.models import NoticeDraft

    return NoticeDraft.objects.filter(incident=incident).first()


def _registry_counts(incident) -> dict | None:
    from rouei.people.services import registry_counts

    counts = registry_counts(incident)
    return counts if counts["total"] else None


# --- the numbers a reader compares between versions -----------------------------------------

def _figures(src: _Sources) -> list[dict[str, str]]:
    facts = src.facts
    out = []

    def add(key, label, value):
        if value:
            out.append({"key": key, "label": label, "value": value})

    possible_only = bool(facts.possibility_only)
    if facts.people_confirmed is not None:
        label = "漏えいの可能性がある方の人数" if possible_only else "漏えいを確認した方の人数"
        add("people_confirmed", label, _people(facts.people_confirmed))
    if facts.people_estimated is not None:
        bound = "最大" if facts.people_is_upper_bound else "約"
        add("people_total", "影響人数（可能性がある方を含む）",
            f"{bound}{_people(facts.people_estimated)}")
    add("items", "対象となる情報の項目", "、".join(_item_labels(facts.items or ())))
    add("period", "対象期間", _period(src))
    if src.registry:
        add("registry_identified", "特定できたお客様の人数", _people(src.registry["total"]))
    return out


def _item_labels(items) -> list[str]:
    from rouei.people.registry import item_labels

    return item_labels(items)


def _period(src: _Sources) -> str:
    start = src.facts.occurred_at
    if start is None:
        return ""
    ended = src.done(("isolate_systems",))
    end = ended[0].completed_at if ended else src.facts.detected_at
    return f"{_day(start)}～{_day(end)}" if end else f"{_day(start)}～"


# --- the sections, drafted --------------------------------------------------------------------

def _leak_words(facts: Facts) -> str:
    return "漏えいした可能性がある" if facts.possibility_only else "漏えいした"


def _title(src: _Sources) -> str:
    cause = TITLE_CAUSES.get(src.facts.cause) if src.facts.cause else None
    what = "個人情報漏えいのおそれ" if src.facts.possibility_only else "個人情報漏えい"
    return f"{cause}による{what}に関するお詫びとお知らせ" if cause else \
        f"{what}に関するお詫びとお知らせ"


def _count_sentence(facts: Facts) -> str:
    if facts.people_confirmed is not None and facts.people_estimated is not None \
            and facts.people_estimated > facts.people_confirmed:
        bound = "最大" if facts.people_is_upper_bound else "約"
        return (f"現時点で、{_people(facts.people_confirmed)}のお客様の情報について"
                f"{'漏えいの可能性' if facts.possibility_only else '漏えい'}を確認しており、"
                f"その可能性がある方を含めると{bound}{_people(facts.people_estimated)}と"
                "なる見込みです。")
    n = facts.people_confirmed if facts.people_confirmed is not None else facts.people_estimated
    if n is None:
        return "対象となるお客様の人数は、現在確認を進めております。"
    return f"対象となるお客様は{_people(n)}です。"


def _lead(src: _Sources, is_final: bool) -> str:
    facts, incident = src.facts, src.incident
    cause = TITLE_CAUSES.get(facts.cause) if facts.cause else None
    how = f"{cause}により、" if cause else ""
    parts = [f"このたび、弊社において、{how}お客様の個人情報が{_leak_words(facts)}ことが"
             "判明いたしました。"]
    if incident.summary:
        parts.append(incident.summary.strip())
    parts.append(_count_sentence(facts))
    parts.append("お客様をはじめ関係者の皆様に多大なるご迷惑とご心配をおかけしておりますことを、"
                 "深くお詫び申し上げます。")
    notify = src.task("notify_individuals")
    if facts.notified_principal or (notify and notify.status == "done"):
        parts.append("対象となるお客様には、個別にご連絡を差し上げております。")
    elif notify is not None:
        parts.append("対象となるお客様には、順次、個別にご連絡いたします。")
    parts.append("本件の調査結果と対応につきまして、下記のとおりご報告いたします。" if is_final
                 else "本件について、現時点で判明している内容を下記のとおりご報告いたします。")
    return "\n".join(parts)


def _history(src: _Sources) -> str:
    lines: list[tuple[dt.datetime, str]] = []
    detected_day = None
    for entry in src.timeline:
        if entry.kind == "detected":
            detected_day = entry.at.astimezone(JST).date()
        if entry.kind == "knew" and entry.at.astimezone(JST).date() == detected_day:
            continue  # the same day as the discovery: one line says it
        if entry.kind == "report_filed":
            continue  # the filed reports below, in the notice's words
        text = entry.text.strip().rstrip("。")
        lines.append((entry.at, f"{_day(entry.at)}　{text}"))
    for report in src.filed:
        label = STAGE_LABELS.get(report.kind, report.kind)
        lines.append((report.filed_at,
                      f"{_day(report.filed_at)}　個人情報保護委員会へ報告（{label}）"))
    lines.sort(key=lambda line: line[0])
    return "\n".join(text for _, text in lines) or "経緯については、現在確認を進めております。"


def _information(src: _Sources) -> str:
    from rouei.people.models import SecondaryDamage
    from rouei.people.notices import SECONDARY_DAMAGE

    facts = src.facts
    labels = "、".join(_item_labels(facts.items or ())) or "現在確認中"
    period = _period(src)
    blocks = []
    confirmed, total = facts.people_confirmed, facts.people_estimated
    if facts.possibility_only:
        n = total if total is not None else confirmed
        blocks.append("（1）漏えいの可能性がある情報\n"
                      f"　対象：{_people(n) if n is not None else '現在確認中'}のお客様の情報\n"
                      f"　項目：{labels}")
    else:
        blocks.append("（1）漏えいを確認した情報\n"
                      f"　対象：{_people(confirmed) if confirmed is not None else '現在確認中'}"
                      "のお客様の情報\n"
                      f"　項目：{labels}")
        if total is not None and (confirmed is None or total > confirmed):
            rest = total - (confirmed or 0)
            bound = "最大" if facts.people_is_upper_bound else "約"
            blocks.append("（2）漏えいの可能性がある情報\n"
                          f"　対象：上記のほか{bound}{_people(rest)}のお客様の情報\n"
                          f"　項目：{labels}")
    text = "\n".join(blocks)
    if period:
        text += f"\n対象期間：{period}"
    if src.registry:
        r = src.registry
        text += (f"\nこのうち、弊社で特定できたお客様は{_people(r['total'])}"
                 f"（漏えいを確認した方{_people(r['confirmed'])}、可能性がある方"
                 f"{_people(r['possible'])}）です。")
    damage = SECONDARY_DAMAGE[SecondaryDamage(src.settings.secondary_damage)]
    return f"{text}\n{damage}"


def _cause(src: _Sources) -> str:
    from rouei.people.notices import CAUSE_UNKNOWN, CAUSES

    written = src.settings.cause.strip()
    if written:
        return written
    cause = src.facts.cause
    text = CAUSES.get(cause.value, CAUSE_UNKNOWN) if cause else CAUSE_UNKNOWN
    if src.task("start_forensics") or src.task("pfi_investigation"):
        text += ("\n詳細な原因については、外部の専門調査機関による調査を進めており、判明し"
                 "ましたら改めてお知らせいたします。")
    return text


def _task_line(task) -> str:
    when = _day(task.completed_at) if task.completed_at else ""
    return f"{task.title}（{when}）" if when else task.title


def _response(src: _Sources) -> str:
    # What the public is told was done; counsel and evidence handling stay internal.
    keys = (set(CONTAINMENT_TASKS) | set(RESPONSE_TASKS) | set(PUBLICATION_TASKS)
            | set(OTHER_TASKS)) - {"consult_counsel", "preserve_evidence"}
    done = [_task_line(t) for t in src.done(keys)]
    done += [f"個人情報保護委員会への報告（{STAGE_LABELS.get(r.kind, r.kind)}、{_day(r.filed_at)}）"
             for r in src.filed]
    # The notice itself is not announced as a task to come.
    planned = [t.title for t in src.open((keys | set(REPORT_TASKS)) - set(PUBLICATION_TASKS))]
    parts = []
    if done:
        parts.append("弊社は、本件の判明後、以下の対応を行いました。\n" + _lines(done))
    if planned:
        parts.append("今後、以下の対応を進めてまいります。\n" + _lines(planned))
    return "\n".join(parts) or "対応状況については、判明次第お知らせいたします。"


def _requests(src: _Sources) -> str:
    items = src.facts.item_set
    lines = []
    if items & CARD_ITEMS:
        lines.append("クレジットカードのご利用明細に身に覚えのない請求がないか、ご確認をお願い"
                     "いたします。不審な請求がございましたら、お手数ですがカード裏面に記載の"
                     "カード会社へお問い合わせください。")
    if items & ACCOUNT_ITEMS:
        lines.append("同じパスワードを他のサービスでもお使いの場合は、そのサービスのパスワードの"
                     "変更をお願いいたします。")
    if items & CONTACT_ITEMS or not lines:
        lines.append("弊社や関係機関を装った不審なメール・SMS・電話・郵便物にご注意ください。")
    return _lines(lines) + "\n" + NEVER_ASK


def _prevention(src: _Sources) -> str:
    taken = set(CONTAINMENT_TASKS) | set(RESPONSE_TASKS) | set(PUBLICATION_TASKS) | \
        set(OTHER_TASKS) | set(REPORT_TASKS)
    done = [_task_line(t) for t in src.done({t.key for t in src.tasks} - taken)]
    planned = [t.title for t in src.open({t.key for t in src.tasks} - taken)]
    parts = []
    if done:
        parts.append("実施した対策\n" + _lines(done))
    if planned:
        parts.append("今後実施する対策\n" + _lines(planned))
    parts.append("今回の事態を重く受け止め、調査結果を踏まえた再発防止策を講じ、個人情報の"
                 "管理の徹底に努めてまいります。")
    return "\n".join(parts)


def _contact(src: _Sources) -> str:
    s = src.settings
    name = s.window_name.strip() or "本件に関するお問い合わせ窓口"
    phone = s.window_phone.strip() or UNSET.format("窓口の電話番号")
    hours = s.window_hours.strip() or UNSET.format("受付時間")
    return f"{name}\n電話番号：{phone}\n受付時間：{hours}"


def _missing(src: _Sources, sections: dict[str, str]) -> list[dict[str, str]]:
    out = []
    facts, s = src.facts, src.settings
    if not facts.items:
        out.append({"field": "information", "label": "漏えい（の可能性がある）情報の項目"})
    if facts.people_confirmed is None and facts.people_estimated is None:
        out.append({"field": "information", "label": "対象となる方の人数"})
    if not s.window_phone.strip() and UNSET.format("窓口の電話番号") in sections["contact"]:
        out.append({"field": "contact", "label": "窓口の電話番号（本人通知の設定）"})
    if not s.window_hours.strip() and UNSET.format("受付時間") in sections["contact"]:
        out.append({"field": "contact", "label": "窓口の受付時間（本人通知の設定）"})
    return out


# --- the notice -------------------------------------------------------------------------------

def drafted_sections(incident, *, is_final: bool | None = None) -> dict[str, str]:
    """Every editable section as rouei drafts it from the incident now (no person's edits);
    ``is_final`` None: as the draft has it."""
    src = _Sources(incident)
    if is_final is None:
        is_final = bool(src.draft and src.draft.is_final)
    return _drafted(src, is_final)


def _drafted(src: _Sources, is_final: bool) -> dict[str, str]:
    return {"lead": _lead(src, is_final), "history": _history(src),
            "information": _information(src), "cause": _cause(src),
            "response": _response(src), "requests": _requests(src),
            "prevention": _prevention(src), "contact": _contact(src)}


def next_number(incident) -> int:
    last = incident.notice_versions.order_by("-number").first()
    return last.number + 1 if last else 1


def default_stage(incident) -> None:
    return None


def build(incident, stage: str | None = None, now: dt.datetime | None = None, *,
          number: int | None = None) -> dict[str, Any]:
    """The notice as it would be published now: the next version's number, the draft's
    rewritten sections over the drafted ones. ``stage`` is unused (a notice has versions, not
    stages)."""
    now = now or timezone.now()
    src = _Sources(incident)
    draft = src.draft
    is_final = bool(draft and draft.is_final)
    number = number or next_number(incident)
    drafted = _drafted(src, is_final)
    edits = (draft.sections if draft else {}) or {}
    texts = {k: (edits[k]["text"] if k in edits else v) for k, v in drafted.items()}
    reason = draft.delay_reason.strip() if draft else ""
    if reason and src.card_leak:
        texts["delay_reason"] = reason
    sections, n = [], 0
    for key in SECTION_KEYS:
        if key not in texts:
            continue
        if HEADINGS[key]:
            n += 1
        # Whether a person rewrote a section stays internal (the draft page shows it).
        sections.append({"key": key, "number": str(n) if HEADINGS[key] else "",
                         "heading": HEADINGS[key], "text": texts[key]})
    today = now.astimezone(JST).date()
    return {
        "notice": {
            "kind": "public-notice",
            "title": _title(src),
            "organisation": (src.settings.sender_name.strip() or incident.organisation
                             or None),
            "version": number,
            "version_label": version_label(number, is_final),
            "is_final": is_final,
            "date": today.isoformat(),
            "date_text": format_date(today),
            "card_leak": src.card_leak,
        },
        "sections": sections,
        "figures": _figures(src),
        "missing": _missing(src, texts),
    }
