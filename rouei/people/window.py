"""The contact window's talk script and FAQ for one incident (notices-and-victims.md §4).

``generated_script`` drafts it from what the incident knows — its facts (items, people, the day
the company knew, the cause, whether the data was recovered), its notice settings (the window's
hours) and its compensation policy — covering the questions callers ask in real cases. The
people who publish (lead, legal, PR) adapt it and save it as a version (``ScriptVersion``); the
window shows the newest version, or the draft while none is saved."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.utils.translation import gettext as _

from rouei.domain.jdates import format_date
from rouei.people.registry import item_labels

CARD_ITEMS = frozenset({"credit_card", "card_expiry", "card_security_code"})
# Causes after which card data may have been taken as it was typed (a web skimmer), even where
# the shop stored no card numbers.
SKIMMING_CAUSES = frozenset({"unauthorized_access", "malware"})


def _facts(incident) -> dict:
    latest = incident.latest_facts()
    return dict(latest.facts) if latest else {}


def _day(value) -> str:
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]))
    except (TypeError, ValueError):
        return ""


def _people(facts: dict) -> str:
    count = facts.get("people_confirmed") or facts.get("people_estimated")
    if not count:
        return ""
    if facts.get("people_is_upper_bound") or not facts.get("people_confirmed"):
        return _("up to %(count)s people") % {"count": f"{int(count):,}"}
    return _("%(count)s people") % {"count": f"{int(count):,}"}


def _compensation(policy) -> str:
    from rouei.people.models import CompensationMode

    if policy is None:
        return _("No decision on compensation has been made. Say that we will tell everyone "
                 "concerned if one is made; never promise anything.")
    if policy.mode == CompensationMode.NONE:
        return _("The company does not plan compensation. Apologise, explain what we do for "
                 "the people concerned, and never promise anything beyond that.")
    form = policy.get_form_display()
    if policy.mode == CompensationMode.AUTOMATIC:
        return _("Everyone eligible receives %(form)s with the notice; nothing needs to be "
                 "done. Never state an amount other than the policy's.") % {"form": form}
    deadline = format_date(policy.claim_deadline) if policy.claim_deadline else _("(no deadline "
                                                                                  "set yet)")
    return _("Eligible people receive %(form)s on a claim with the reference number printed "
             "on the letter, until %(deadline)s. Never state an amount other than the "
             "policy's.") % {"form": form, "deadline": deadline}


def _hours(settings_row) -> str:
    hours = settings_row.window_hours.strip() if settings_row else ""
    phone = settings_row.window_phone.strip() if settings_row else ""
    if not hours and not phone:
        return _("The window's phone and hours are not set yet (notice settings).")
    return _("Phone %(phone)s, %(hours)s.") % {"phone": phone or "—", "hours": hours or "—"}


def generated_script(incident) -> list[dict[str, str]]:
    """[{"q", "a"}] for this incident, from its facts, notice settings and policy."""
    from rouei.people.models import CompensationPolicy, NoticeSettings

    facts = _facts(incident)
    items = list(facts.get("items") or ())
    labels = "、".join(item_labels(items)) if items else _("(items not yet established)")
    people = _people(facts)
    knew = _day(facts.get("knew_at"))
    policy = CompensationPolicy.objects.filter(incident=incident).first()
    settings_row = NoticeSettings.objects.filter(incident=incident).first()
    card = bool(CARD_ITEMS & set(items))
    entries = [
        (_("Is my (or my family's) data included?"),
         _("Confirm identity first: the reference number on the letter with the birth date or "
           "a phone on record, or the name with a phone, e-mail or birth date. Only then say "
           "whether and which of the caller's items are included. Never read out a stored "
           "value the caller has not given. Family members: only the person concerned can be "
           "told. The incident concerns %(people)s; the items concerned are: %(items)s.")
         % {"people": people or _("a number of people not yet established"), "items": labels}),
        (_("I got no letter. / I used the service outside the period."),
         _("Letters go to the name and address on record at the time (a former name or address "
           "is common). Look the caller up; if they are not in the registry, say so plainly: "
           "the letter is the answer. Check the notice status shown here.")),
        (_("What exactly leaked — my address too?"),
         _("Tell only the caller's own items, as shown here, and whether they are confirmed "
           "or only possibly affected.")),
    ]
    if card:
        entries.append((
            _("Should I cancel my card? Who pays for reissue?"),
            _("Reissue is free if the caller wants it; it is not required. Only the cardholder "
              "can deal with the card company; we cannot see transactions. Unknown charges: the "
              "card company's number on the back of the card.")))
        if facts.get("cause") in SKIMMING_CAUSES:
            entries.append((
                _("You said you did not store card numbers."),
                _("The card data may have been taken as it was typed on the payment page (an "
                  "attacker's code on the web server), not from stored data. Say what the "
                  "investigation has established and no more.")))
    entries += [
        (_("I received a suspicious call, mail or SMS (someone says my name is on the leaked "
           "list)."),
         _("We will never ask for a card number, a PIN or a password by phone, mail or SMS, "
           "and never freeze an account by phone. Do not answer; tell us and, for cards, the "
           "card company; suspected fraud: the police consultation line #9110.")),
        (_("Was the leaked data recovered or deleted?"), _recovery(facts)),
        (_("Why did it take so long to tell us?"),
         (_("The company learned of it on %(day)s. Facts had to be confirmed and the people "
            "concerned identified before each could be told their own items. Apologise for "
            "the worry; do not guess beyond the published notice.") % {"day": knew})
         if knew else _("Apologise for the worry; the published notice gives the dates. Do not "
                        "guess beyond it.")),
        (_("Is there compensation?"), _compensation(policy)),
        (_("I want my data deleted or disclosed, or to withdraw."),
         _("Record a request (disclosure, correction, stop of use, deletion, stop of provision "
           "to third parties; APPI Art. 33–35): it needs a written request with an identity "
           "document and has a due date.")),
        (_("A relative is calling for someone."),
         _("Give only general information; the person concerned must call or send a request "
           "with a proxy's authority.")),
        (_("When is the window open?"), _hours(settings_row)),
    ]
    return [{"q": q, "a": a} for q, a in entries]


def _recovery(facts: dict) -> str:
    if facts.get("recovered_before_viewed"):
        return _("The data was recovered before anyone could view it, as far as the "
                 "investigation shows.")
    if facts.get("copy_exists_elsewhere"):
        return _("A copy may exist outside the company; it cannot be recalled. Say what we do "
                 "(monitoring, the measures in the notice) and what the caller can do.")
    return _("Not established yet. Say that the investigation continues and the published "
             "notice will be updated; do not guess.")


def digest(entries: list[dict[str, str]]) -> str:
    """SHA-256 of a script version as saved (canonical JSON): what the audit event records."""
    canonical = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
