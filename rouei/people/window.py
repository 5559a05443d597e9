"""The contact window's talk script and FAQ for one incident, from its facts (generated; an
editable, versioned script is still to come)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def window_script(incident) -> list[tuple[str, str]]:
    """(question, answer) pairs covering the questions callers ask (notices-and-victims.md §4)."""
    return [
        (_("Is my data included?"),
         _("Confirm identity first: the reference number on the letter with the birth date or "
           "a phone on record, or the name with a phone, e-mail or birth date. Only then say "
           "whether and which of the caller's items are included. Never read out a stored "
           "value the caller has not given.")),
        (_("What exactly leaked — my address too?"),
         _("Tell only the caller's own items, as shown here, and whether they are confirmed "
           "or only possibly affected.")),
        (_("Why did I get no letter?"),
         _("Letters go to the name and address on record at contract time (a former name or "
           "address is common). Check the notice status shown here.")),
        (_("Should I cancel my card? Who pays for reissue?"),
         _("Reissue is free if the caller wants it; it is not required. Only the cardholder "
           "can deal with the card company; we cannot see transactions.")),
        (_("I received a suspicious call, mail or SMS."),
         _("We will never ask for a card number, a PIN or a password by phone, mail or SMS. "
           "Do not answer; tell us and, for cards, the card company.")),
        (_("Is there compensation?"),
         _("Say only what the incident's compensation policy says; never promise an amount.")),
        (_("I want my data deleted or disclosed."),
         _("Record a request (disclosure, correction, stop of use, deletion, stop of provision "
           "to third parties; APPI Art. 33–35): it needs a written request with an identity "
           "document and has a due date.")),
        (_("A relative is calling for someone."),
         _("Give only general information; the person concerned must call or send a request "
           "with a proxy's authority.")),
    ]
