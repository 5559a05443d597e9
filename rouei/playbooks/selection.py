"""Which playbook fits an incident: pure Python, from the facts' cause (原因) and vendor flag.

The cause names the kind of incident; when it says nothing specific (other, misconfiguration,
unknown), an incident at a vendor (委託先) gets the vendor playbook, anything else the general
one. A lead can add the tasks of any other playbook too (a vendor hit by ransomware needs both).
"""

from __future__ import annotations

CAUSE_KINDS: dict[str, str] = {
    "misdelivery": "misdelivery",
    "unauthorized_access": "unauthorized_access",
    "malware": "unauthorized_access",
    "lost_device": "device",
    "theft": "device",
    "ransomware": "ransomware",
    "insider_theft": "insider",
    "vendor": "vendor",
}
GENERAL = "general"
VENDOR = "vendor"


def playbook_kind(cause: str | None, vendor_involved: bool | None = None) -> str:
    """The playbook kind (``PlaybookKind`` value) for a cause (``Cause`` value or ``None``)."""
    if cause in CAUSE_KINDS:
        return CAUSE_KINDS[cause]
    if vendor_involved:
        return VENDOR
    return GENERAL


def kind_for_facts(facts: dict | None) -> str:
    """The same, from stored facts (``Facts.to_dict()``)."""
    facts = facts or {}
    return playbook_kind(facts.get("cause"), facts.get("vendor_involved"))


CARD = "card"
# The catalogue's card number (rouei.domain.items); expiry or security code alone is not a card.
CARD_ITEM = "credit_card"


def kinds_for_facts(facts: dict | None) -> tuple[str, ...]:
    """Every playbook the facts point to: the cause's, then the card steps when the items
    include a card number."""
    facts = facts or {}
    kinds = [kind_for_facts(facts)]
    if CARD_ITEM in (facts.get("items") or ()):
        kinds.append(CARD)
    return tuple(kinds)
