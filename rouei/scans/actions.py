"""Scanning an incident's evidence, and taking what the scan found into the incident's facts.

The scan itself is ``rouei.scanning`` (pure Python); this module records who started it and
who accepted its result, each through the audit chain, and reads the evidence files only as
an audited access (a "accessed" link of each item's chain of custody).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event
from rouei.core.errors import ActionError
from rouei.evidence.actions import do_access_evidence
from rouei.evidence.models import EvidenceItem
from rouei.incidents.actions import FactsUpdate, do_update_facts
from rouei.scans.models import EvidenceScan, ScanStatus

MAX_ZIP_PASSWORDS = 5
MAX_ZIP_PASSWORD_CHARS = 256


def do_start_scan(incident, *, actor, zip_passwords: list[str] | tuple[str, ...] = ()
                  ) -> EvidenceScan:
    """Queue a scan of all the incident's evidence files (lead, legal, forensics: the roles
    that may open evidence). Opening each file is recorded on its chain of custody.
    ``zip_passwords`` open encrypted ZIP members (PPAP); they are kept encrypted until the scan
    has run, and the audit trail records only how many were given."""
    require_role(actor, incident, Need.HANDLE_EVIDENCE)
    items = list(EvidenceItem.objects.filter(incident=incident).order_by("pk"))
    if not items:
        raise ActionError("no_evidence", _("There is no evidence to scan. Upload the leaked "
                                         "files to the evidence register first."))
    passwords = list(dict.fromkeys(p for p in zip_passwords if p))
    if len(passwords) > MAX_ZIP_PASSWORDS or any(
            len(p) > MAX_ZIP_PASSWORD_CHARS or "\n" in p or "\r" in p for p in passwords):
        raise ActionError("bad_zip_password", _(
            "Give at most %(count)s ZIP passwords of at most %(chars)s characters each, "
            "each on its own field.") % {"count": MAX_ZIP_PASSWORDS,
                                         "chars": MAX_ZIP_PASSWORD_CHARS})
    with transaction.atomic():
        for item in items:
            do_access_evidence(item, purpose=_("Scan for personal data"), actor=actor).file.close()
        scan = EvidenceScan.objects.create(incident=incident, created_by=actor,
                                           bytes_total=sum(i.size for i in items),
                                           zip_passwords="\n".join(passwords))
        scan.items.set(items)
        record_event(actor=actor, action="scan.start", obj=scan, incident_id=incident.pk,
                     details={"items": [i.pk for i in items],
                              "zip_passwords": len(passwords)})
    return scan


@dataclass(frozen=True)
class Proposal:
    """The incident's facts with the scan's findings taken in."""

    facts: dict
    new_items: list[str]
    people_before: int | None
    people_after: int | None

    @property
    def people_changed(self) -> bool:
        return self.people_after != self.people_before

    @property
    def changes_anything(self) -> bool:
        """False when the facts already hold everything found: nothing to take in."""
        return bool(self.new_items) or self.people_changed


def proposal(scan: EvidenceScan) -> Proposal | None:
    """Items found are added to the leaked items (never removed); the people count becomes the
    scan's distinct people when that is larger than the confirmed count so far."""
    if scan.proposed is None:
        return None
    latest = scan.incident.latest_facts()
    facts = dict(latest.facts) if latest else {}
    items = list(facts.get("items") or [])
    new_items = [i for i in scan.proposed.get("items", []) if i not in items]
    people_before = facts.get("people_confirmed")
    people_after = people_before
    found = scan.proposed.get("people_confirmed")
    if found is not None and (people_before is None or found > people_before):
        people_after = found
    if new_items:
        facts["items"] = items + new_items
    if people_after is not None:
        facts["people_confirmed"] = people_after
    return Proposal(facts, new_items, people_before, people_after)


def do_accept_scan(scan: EvidenceScan, *, expected_version: int, actor) -> FactsUpdate:
    """Take the scan's proposal into the facts: a new facts version, a new assessment, and the
    duty changes it causes announced as any facts change is."""
    if scan.status != ScanStatus.DONE or scan.accepted_at is not None:
        raise ActionError("not_acceptable", _("This scan has no result to accept."))
    offer = proposal(scan)
    with transaction.atomic():
        update = do_update_facts(scan.incident, offer.facts, expected_version=expected_version,
                                 actor=actor)
        EvidenceScan.objects.filter(pk=scan.pk).update(accepted_by=actor,
                                                        accepted_at=timezone.now())
        record_event(actor=actor, action="scan.accept", obj=scan,
                     incident_id=scan.incident_id,
                     details={"new_items": offer.new_items,
                              "people": [offer.people_before, offer.people_after]})
    return update


def do_cancel_scan(scan: EvidenceScan, *, actor) -> EvidenceScan:
    """Stop a scan (the roles that may start one; ``actor=None``: ``rouei scan-cancel`` on
    the server, whose user holds the database already). A queued scan ends at once; a running
    one is asked to stop and its worker stops within a second or two, keeping what it found
    (status "cancelled", report partial). Either way the audit trail records who cancelled
    it."""
    if actor is not None:
        require_role(actor, scan.incident, Need.HANDLE_EVIDENCE)
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        was = ScanStatus.QUEUED
        changed = EvidenceScan.objects.filter(pk=scan.pk, status=ScanStatus.QUEUED).update(
            status=ScanStatus.CANCELLED, cancel_requested_at=now, cancelled_by=who,
            stop_reason="cancelled", finished_at=now, zip_passwords="")
        if not changed:  # a worker took it meanwhile, or it was running already
            was = ScanStatus.RUNNING
            changed = EvidenceScan.objects.filter(
                pk=scan.pk, status=ScanStatus.RUNNING, cancel_requested_at__isnull=True,
            ).update(cancel_requested_at=now, cancelled_by=who)
        if not changed:
            raise ActionError("not_cancellable", _("This scan is no longer running."))
        record_event(actor=actor, action="scan.cancel", obj=scan, incident_id=scan.incident_id,
                     details={"was": str(was)})
    scan.refresh_from_db()
    return scan
