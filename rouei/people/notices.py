"""The notice to each affected person (法26条2項, 規則10条; GL 3-5-4): what it says and how it is
rendered.

Every notice tells the person exactly *their* items (GL 3-5-4-3: only the items that concern
them) and whether the leak of them is confirmed or possible, with the elements of 規則10条 —
what happened (概要), the cause (summarised), the secondary damage so far, and what the person
can do (その他参考となる事項) — plus what we will never ask for, the contact window and the
reference number (受付番号) that lets the window find the person without asking for more.

The words are Django templates in ``notice_templates/`` (plain text, Japanese, in the register
real letters use: 「…に関するお詫びとお知らせ」). An administrator adapts them by putting files
of the same name in ``ROUEI_NOTICE_TEMPLATES_DIR``; a file found there wins, the others are
the shipped ones. ``email.txt`` is the e-mail, ``letter.txt`` the letter (the PDF letters and the
print vendor's template are rendered from it), ``_body.txt`` what both say.

The incident-wide texts come from ``NoticeSettings`` and, where a text is left empty, from the
incident (its summary or title, and the cause and event of its facts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings as django_settings
from django.template import Context, Engine
from django.utils import timezone

from rouei.domain.jdates import format_date
from rouei.people.models import NoticeSettings, SecondaryDamage
from rouei.people.registry import item_labels

DEFAULT_DIR = Path(__file__).resolve().parent / "notice_templates"
EMAIL_TEMPLATE = "email.txt"
LETTER_TEMPLATE = "letter.txt"

# Items after whose leak the person should watch their card statements (GL 3-5-4: what the
# person can do), and those after which a password should be changed.
CARD_ITEMS = frozenset({"credit_card", "card_expiry", "card_security_code"})
ACCOUNT_ITEMS = frozenset({"password", "login_id", "online_banking_credentials",
                           "payment_service_credentials"})

CERTAINTY = {
    True: "次のお客様の情報について、漏えいを確認しております。",
    False: "次のお客様の情報が漏えいした可能性がございます（現在、確認を進めております）。",
}
CARD_ADVICE = ("・クレジットカードのご利用明細に身に覚えのない請求がないか、ご確認ください。"
               "不審な請求がございましたら、カード裏面に記載のカード会社へお問い合わせください。")
ACCOUNT_ADVICE = ("・同じパスワードを他のサービスでもお使いの場合は、そのサービスのパスワードの"
                  "変更をお願いいたします。")

# 規則10条 allows the cause to be summarised: one sentence per cause of the facts.
CAUSES = {
    "misdelivery": "郵便・電子メール・FAX の宛先を誤って送付したことによるものです。",
    "lost_device": "お客様の情報を含む機器または書類を紛失したことによるものです。",
    "theft": "お客様の情報を含む機器または書類が盗難に遭ったことによるものです。",
    "unauthorized_access": "第三者による弊社システムへの不正アクセスによるものです。",
    "malware": "弊社の端末がマルウェア（コンピュータウイルス）に感染したことによるものです。",
    "ransomware": "弊社システムがランサムウェアによる攻撃を受けたことによるものです。",
    "insider_theft": "弊社の関係者が情報を不正に持ち出したことによるものです。",
    "misconfiguration": ("システムの設定に誤りがあり、外部から閲覧できる状態になっていたことに"
                         "よるものです。"),
    "vendor": "弊社が業務を委託している事業者において発生した事故によるものです。",
}
CAUSE_UNKNOWN = "原因については現在調査を進めており、判明しましたら改めてお知らせいたします。"

SECONDARY_DAMAGE = {
    SecondaryDamage.UNKNOWN: ("二次被害の有無については、現在調査を進めております。"
                              "判明しましたら改めてお知らせいたします。"),
    SecondaryDamage.NONE_CONFIRMED: "現時点で、本件に起因する二次被害は確認されておりません。",
    SecondaryDamage.OCCURRED: "本件に起因するとみられる被害が確認されております。",
}

# What a notice cannot go out without: the sender, the address it is sent from, the window.
REQUIRED = ("sender_name", "from_address", "window_phone", "window_hours")
UNSET = "【未設定：{}】"
UNSET_LABELS = {"sender_name": "差出人（会社名）", "from_address": "送信元アドレス",
                "window_phone": "窓口の電話番号", "window_hours": "窓口の受付時間"}

# The print vendor's template: the letter with these placeholders, each the name of a column
# of the print data (``rouei people print-data``). 《》 exist in CP932; «» do not.
PLACEHOLDER = "《{}》"


def settings_of(incident) -> NoticeSettings:
    """The incident's notice settings (unsaved defaults when none were saved yet)."""
    found = NoticeSettings.objects.filter(incident=incident).first()
    return found or NoticeSettings(incident=incident)


def missing_settings(notice_settings: NoticeSettings) -> list[str]:
    """The required settings left empty (field names): no e-mail goes out while any is."""
    return [name for name in REQUIRED if not getattr(notice_settings, name).strip()]


@lru_cache(maxsize=8)
def _engine(dirs: tuple[str, ...]) -> Engine:
    return Engine(dirs=list(dirs), autoescape=False, debug=False)


def engine() -> Engine:
    """The notice templates: the administrator's folder first, then the shipped one."""
    override = getattr(django_settings, "ROUEI_NOTICE_TEMPLATES_DIR", None)
    dirs = ((str(Path(override).expanduser()),) if override else ()) + (str(DEFAULT_DIR),)
    return _engine(dirs)


@dataclass(frozen=True)
class IncidentTexts:
    """What every notice of the incident says (computed once per run)."""

    sender_name: str
    subject: str
    what_happened: str
    cause: str
    secondary_damage: str
    measures: str
    compensation: str
    window_name: str
    window_phone: str
    window_hours: str
    date: str

    @classmethod
    def build(cls, incident, notice_settings: NoticeSettings | None = None, *,
              today: dt.date | None = None) -> IncidentTexts:
        s = notice_settings or settings_of(incident)
        facts = _facts(incident)
        possible = bool(facts.get("possibility_only"))
        today = today or timezone.localdate()
        damage = SECONDARY_DAMAGE[SecondaryDamage(s.secondary_damage)]
        if s.secondary_damage_text.strip():
            damage = f"{damage}\n{s.secondary_damage_text.strip()}"
        return cls(
            sender_name=s.sender_name.strip() or UNSET.format(UNSET_LABELS["sender_name"]),
            subject=s.subject.strip() or default_subject(possible),
            what_happened=s.what_happened.strip() or _what_happened(incident, facts),
            cause=s.cause.strip() or CAUSES.get(facts.get("cause") or "", CAUSE_UNKNOWN),
            secondary_damage=damage,
            measures=s.measures.strip(),
            compensation=s.compensation.strip(),
            window_name=s.window_name.strip() or "個人情報に関するお問い合わせ窓口",
            window_phone=s.window_phone.strip() or UNSET.format(UNSET_LABELS["window_phone"]),
            window_hours=s.window_hours.strip() or UNSET.format(UNSET_LABELS["window_hours"]),
            date=format_date(today),
        )


def default_subject(possible: bool) -> str:
    if possible:
        return "お客様の個人情報が漏えいした可能性に関するお詫びとお知らせ"
    return "お客様の個人情報の漏えいに関するお詫びとお知らせ"


def _facts(incident) -> dict:
    latest = incident.latest_facts()
    return dict(latest.facts) if latest else {}


def _what_happened(incident, facts: dict) -> str:
    """The incident's summary, else its title with the day the company knew."""
    if incident.summary.strip():
        return incident.summary.strip()
    knew = facts.get("knew_at")
    day = ""
    if knew:
        try:
            day = format_date(dt.date.fromisoformat(str(knew)[:10])) + "、"
        except ValueError:
            day = ""
    return f"{day}{incident.title}が判明いたしました。"


def certainty(confirmed: bool) -> str:
    return CERTAINTY[bool(confirmed)]


def personal_advice(item_ids) -> str:
    """What this person can do because of *their* items (card statements, passwords)."""
    ids = set(item_ids)
    lines = []
    if ids & CARD_ITEMS:
        lines.append(CARD_ADVICE)
    if ids & ACCOUNT_ITEMS:
        lines.append(ACCOUNT_ADVICE)
    return "\n".join(lines)


@dataclass(frozen=True)
class Addressee:
    """One person as the notice names them (values, masked values or placeholders)."""

    ref: str
    name: str
    postal_code: str
    address: str
    items: list[str] = field(default_factory=list)  # Japanese labels
    certainty: str = ""
    personal_advice: str = ""

    @classmethod
    def of(cls, person, record=None, *, masked: bool = False) -> Addressee:
        record = record or person.record()
        view = record.masked() if masked else None
        ref = record.ref if not masked else f"{record.ref[:4]}-****-****"
        postal = record.postal_code
        return cls(ref=ref,
                   name=(view["name"] if view else record.name) or "お客",
                   postal_code=(view["postal_code"] if view else _postal(postal)),
                   address=view["address"] if view else record.address,
                   items=item_labels(person.items), certainty=certainty(person.confirmed),
                   personal_advice=personal_advice(person.items))

    @classmethod
    def placeholders(cls, columns: dict[str, str]) -> Addressee:
        """The print vendor's placeholders (``columns``: role → the print data's column)."""
        p = {role: PLACEHOLDER.format(column) for role, column in columns.items()}
        return cls(ref=p["ref"], name=p["name"], postal_code=p["postal_code"],
                   address=p["address"], items=[p["items"]], certainty=p["certainty"],
                   personal_advice=p["personal_advice"])


def _postal(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == 7 else code


def render(template: str, texts: IncidentTexts, addressee: Addressee) -> str:
    """One notice as text: ``template`` (``email.txt`` or ``letter.txt``) for one addressee."""
    context = Context({"incident": texts, "person": addressee})
    text = engine().get_template(template).render(context)
    return tidy(text)


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n"


def body_digest(body: str) -> str:
    """SHA-256 of a notice's body as sent (UTF-8, LF line ends; SMTP carries them as CRLF):
    what the person's history records."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
