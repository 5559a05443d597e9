"""Labels for the facts' fields and enum values (English msgids; Japanese in locale/ja).

The keys themselves come from ``rouei.domain.facts``; a test checks that every fact key and
every enum member has a label here, so a new fact cannot silently go unlabelled.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rouei.domain.facts import (
    Cause,
    Encryption,
    Event,
    MyNumberViolation,
    ResponseQuality,
    Role,
    SocialResponsibility,
)

# key → (label, help text)
FACT_LABELS = {
    "items": (_("Leaked data items"), _("Tick every kind of data that leaked or may have leaked.")),
    "people_confirmed": (_("People confirmed"), _("Individuals whose data is known to be affected.")),
    "people_estimated": (_("People estimated"), _("Your best estimate of all individuals affected.")),
    "people_is_upper_bound": (_("Is the estimate an upper bound?"),
                              _("Yes if the true number cannot be higher.")),
    "possibility_only": (_("Only a possible leak (not confirmed)?"),
                         _("A possible leak (おそれ) is reportable too.")),
    "is_personal_data": (_("Is it personal data (in a database)?"),
                         _("Personal information that makes up a searchable database.")),
    "encryption": (_("Encryption"), _("Advanced means a CRYPTREC / ISO/IEC 18033 algorithm, "
                                      "properly implemented.")),
    "key_leaked": (_("Did the key or password leak too?"), ""),
    "malicious": (_("Possibly done with an unlawful purpose?"),
                  _("Attack, theft or an insider taking data: Rules Art. 7(iii).")),
    "cause": (_("Cause"), ""),
    "vendor_involved": (_("Did it happen at a processor (vendor)?"), ""),
    "knew_at": (_("Date the company knew"),
                _("When any department knew; deadlines count this day as day 1.")),
    "occurred_at": (_("Occurred at"), ""),
    "detected_at": (_("Detected at"), ""),
    "event": (_("Kind of event"), ""),
    "recovered_before_viewed": (_("Recovered before anyone saw it?"), ""),
    "copy_exists_elsewhere": (_("Does an identical copy exist elsewhere?"),
                              _("For loss or damage: a backup means nothing was lost.")),
    "intentional_provision": (_("Intentionally provided to a third party?"), ""),
    "pseudonymized": (_("Pseudonymised data (仮名加工情報)?"), ""),
    "intended_for_database": (_("Being acquired for a database?"),
                              _("For data taken from an input form before it was stored.")),
    "role": (_("Your role"), ""),
    "notified_principal": (_("As a processor, has the controller been notified?"), ""),
    "payment_functions": (_("Does the service have payment or remittance functions?"),
                          _("Decides whether leaked login IDs and passwords can cause "
                            "property damage.")),
    "publicly_viewable": (_("Viewable by an unspecified number of people?"),
                          _("My Number Act: for example published on the internet.")),
    "my_number_violation": (_("My Number: unlawful use or provision"), ""),
    "network_system": (_("My Number: leak from an information network system?"), ""),
    "social_responsibility": (_("Social responsibility (JNSA)"),
                              _("High for public bodies, large or well-known companies.")),
    "response_quality": (_("Quality of the response (JNSA)"), ""),
}

ENUM_LABELS = {
    Encryption: {
        Encryption.NONE: _("Not encrypted"),
        Encryption.WEAK: _("Weak (e.g. a ZIP password)"),
        Encryption.ADVANCED: _("Advanced encryption"),
    },
    Cause: {
        Cause.MISDELIVERY: _("Misdelivery (mail, e-mail, fax)"),
        Cause.LOST_DEVICE: _("Lost device or papers"),
        Cause.THEFT: _("Theft"),
        Cause.UNAUTHORIZED_ACCESS: _("Unauthorised access"),
        Cause.MALWARE: _("Malware"),
        Cause.RANSOMWARE: _("Ransomware"),
        Cause.INSIDER_THEFT: _("Theft by an insider"),
        Cause.MISCONFIGURATION: _("Misconfiguration"),
        Cause.VENDOR: _("At a processor (vendor)"),
        Cause.OTHER: _("Other"),
    },
    Event: {
        Event.LEAK: _("Leak (漏えい)"),
        Event.LOSS: _("Loss (滅失)"),
        Event.DAMAGE: _("Damage (毀損)"),
    },
    Role: {
        Role.CONTROLLER: _("Controller (handles the data for itself)"),
        Role.PROCESSOR: _("Processor (委託先)"),
    },
    MyNumberViolation: {
        MyNumberViolation.UNLAWFUL_USE: _("Unlawful use (Art. 9)"),
        MyNumberViolation.UNLAWFUL_PROVISION: _("Unlawful provision (Art. 19)"),
    },
    SocialResponsibility: {
        SocialResponsibility.ORDINARY: _("Ordinary (1)"),
        SocialResponsibility.HIGH: _("Higher than ordinary (2)"),
    },
    ResponseQuality: {
        ResponseQuality.APPROPRIATE: _("Appropriate (1)"),
        ResponseQuality.INAPPROPRIATE: _("Inappropriate (2)"),
        ResponseQuality.UNKNOWN: _("Unknown or other (1)"),
    },
}

# The form's sections, in the order a person handling an incident meets the questions.
SECTIONS = (
    (_("What leaked"), ("items", "people_confirmed", "people_estimated", "people_is_upper_bound",
                        "payment_functions")),
    (_("What happened"), ("event", "cause", "malicious", "possibility_only", "knew_at",
                          "occurred_at", "detected_at")),
    (_("Exceptions"), ("is_personal_data", "intended_for_database", "encryption", "key_leaked",
                       "recovered_before_viewed", "copy_exists_elsewhere",
                       "intentional_provision", "pseudonymized")),
    (_("Processors"), ("role", "vendor_involved", "notified_principal")),
    (_("My Number"), ("publicly_viewable", "network_system", "my_number_violation")),
    (_("Damage estimate (JNSA)"), ("social_responsibility", "response_quality")),
)
