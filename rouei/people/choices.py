"""This app's audit action codes (English keys; Japanese labels in locale/ja)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "people.import": _("Affected people imported into the registry"),
    "people.import_preview.view": _("Import preview of a people list viewed"),
    "people.lookup.view": _("Registry searched"),
    "people.window_lookup.view": _("Caller looked up at the contact window"),
    "people.claims": _("Compensation claims checked"),
    "people.claim_form": _("Claim through the public form"),
    "people.compensation_policy": _("Compensation policy changed"),
    "people.inquiry": _("Call logged at the contact window"),
    "people.request": _("Request from an individual received"),
    "people.request_update": _("Request from an individual updated"),
    "people.requests.view": _("Requests from individuals viewed"),
    "people.print_data": _("Print-vendor data exported"),
    "people.reindex": _("Registry look-up indexes rebuilt"),
    "people.registry.view": _("Registry overview viewed"),
    "people.notice_settings": _("Notice settings changed"),
    "people.notice_preview.view": _("Notice preview of a person viewed (masked)"),
    "people.notices_emailed": _("Notice e-mails sent (one send run)"),
    "people.bounces": _("Bounced notice e-mails recorded"),
    "people.script": _("Contact window's talk script saved (new version)"),
    "people.letters_pdf": _("Notice letters printed as PDF"),
    "people.letters_sent": _("Letters recorded as sent"),
    "people.letters_returned": _("Returned letters recorded"),
    "people.unreachable": _("People no channel reached listed"),
    "people.print_template": _("Print-vendor letter template exported"),
}
