"""Compensation paid with the notice (policy "automatic": a voucher or e-money code enclosed in
the letter or the e-mail, notices-and-victims.md §5): each eligible person is paid once, when a
notice reaches them, and the payout is recorded like an accepted claim — a court treated a
voucher as part payment of damages, so every payout is kept (``Claim``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from rouei.people.compensation import amount_for
from rouei.people.models import (
    Claim,
    ClaimChannel,
    CompensationMode,
    CompensationPolicy,
    EventKind,
    PersonEvent,
)


def automatic_policy(incident) -> CompensationPolicy | None:
    """The incident's policy when it pays with the notice, else ``None``."""
    return CompensationPolicy.objects.filter(incident=incident,
                                             mode=CompensationMode.AUTOMATIC).first()


def pay_with_notice(person, policy: CompensationPolicy | None, *, actor=None,
                    channel: str) -> int:
    """The person's payout recorded (their amount under ``policy``; 0 and nothing recorded
    when not eligible or already paid). Call inside the transaction that records the notice."""
    if policy is None:
        return 0
    amount = amount_for(confirmed=person.confirmed, items=person.items,
                        amount_confirmed=policy.amount_confirmed,
                        amount_possible=policy.amount_possible,
                        item_amounts=policy.item_amounts or {})
    if amount <= 0:
        return 0
    try:
        with transaction.atomic():  # a savepoint: the database refuses a second payout
            Claim.objects.create(incident_id=person.incident_id, person=person,
                                 channel=ClaimChannel.AUTOMATIC, accepted=True,
                                 code="automatic", amount=amount, form=policy.form)
            PersonEvent.objects.create(person=person, kind=EventKind.CLAIM, actor=actor,
                                       details={"accepted": True, "code": "automatic",
                                                "channel": channel})
    except IntegrityError:
        return 0
    return amount
