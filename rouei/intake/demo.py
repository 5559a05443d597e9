"""The demo's complaints (`rouei demo`): three customers report direct mail from the same unknown
company, written three ways, so the signals page shows the warning and the one-step button.
Recorded through the audited actions like any other; the people and numbers are made up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from rouei.intake import actions
from rouei.intake.choices import Channel, SignalKind
from rouei.intake.models import Signal
from rouei.intake.permissions import ensure_intake_group

SUBJECT = "見知らぬ会社からのダイレクトメール"
COMPLAINTS = (
    {"days_ago": 9, "channel": Channel.PHONE, "sender_name": "株式会社〇〇ライフサービス",
     "sender_contact": "0120-000-000（DM記載の番号）",
     "items": ["person_name", "address", "birth_date"],
     "complainant_name": "佐藤 花子", "complainant_contact": "090-0000-1234",
     "suspicion_reason": "取引のない株式会社〇〇ライフサービスから、生年月日入りの宛名でDMが届いた。",
     "origin_reason": "旧姓の「佐籐」（籐の字）で登録しているのは御社だけ。DMの宛名も同じ字だった。",
     "notes": "DMの現物は保管している。必要なら送付可。"},
    {"days_ago": 6, "channel": Channel.WEB_FORM, "sender_name": "(株)〇〇ライフサービス",
     "sender_contact": "",
     "items": ["person_name", "address", "phone"],
     "complainant_name": "鈴木 一郎", "complainant_contact": "ichiro.suzuki@example.jp",
     "suspicion_reason": "「〇〇ライフサービス」から保険の案内が届いた。心当たりがない。",
     "origin_reason": "マンション名の表記を御社への登録時だけ略して書いており、DMも同じ略し方だった。",
     "notes": ""},
    {"days_ago": 2, "channel": Channel.EMAIL, "sender_name": "〇〇ライフサービス 株式会社",
     "sender_contact": "info@example.com",
     "items": ["person_name", "address", "birth_date", "email"],
     "complainant_name": "高橋 美咲", "complainant_contact": "03-0000-5678",
     "suspicion_reason": "DMとメールの両方が届いた。誕生月に合わせた案内だった。",
     "origin_reason": "このメールアドレスは御社の会員登録にしか使っていない。",
     "notes": "他社にも問い合わせ中とのこと。"},
)


def load_demo_signals(actor) -> list[Signal]:
    """Record the three complaints (once: nothing is added when they exist) and put ``actor``
    in the 受付窓口 / intake group so the demo user sees them."""
    ensure_intake_group().user_set.add(actor)
    if hasattr(actor, "_perm_cache"):
        del actor._perm_cache
    if hasattr(actor, "_group_perm_cache"):
        del actor._group_perm_cache
    existing = list(Signal.objects.filter(subject=SUBJECT, created_by=actor)
                    .order_by("received_at", "pk"))
    if existing:
        return existing
    now = timezone.now()
    with transaction.atomic():
        return [
            actions.do_record_signal(
                subject=SUBJECT, kind=SignalKind.COMPLAINT, channel=spec["channel"],
                received_at=now - dt.timedelta(days=spec["days_ago"]),
                **{k: v for k, v in spec.items() if k not in ("days_ago", "channel")},
                actor=actor)
            for spec in COMPLAINTS
        ]
