"""Forms of the evidence register and the notes."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from rouei.core.dates import NotInFuture
from rouei.evidence.choices import MANUAL_CUSTODY_KINDS
from rouei.incidents.forms import DATETIME_FORMATS, DATETIME_INPUT


def oversize_message(limit: int) -> str:
    return str(_("The file is larger than the limit of %(limit)s (%(bytes)s bytes). Split it "
                 "(for example a split disk image), or ask the administrator to raise "
                 "ROUEI_EVIDENCE_MAX_BYTES.")
               % {"limit": filesizeformat(limit), "bytes": f"{limit:,}"})


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True,
                           help_text=_("Any type. Stored unchanged under its SHA-256."))
    description = forms.CharField(label=_("What is it?"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    collected_from = forms.CharField(
        label=_("Collected from (system, host or place)"), max_length=300,
        help_text=_("For example: web server web01 /var/log/nginx, the CEO's laptop, the "
                    "customer's letter."))
    collected_at = forms.DateTimeField(label=_("Collected at"), widget=DATETIME_INPUT,
                                       input_formats=DATETIME_FORMATS,
                                       validators=[NotInFuture(_("Collected at"))])
    collected_by_user = forms.ChoiceField(label=_("Collected by (member)"), required=False)
    collected_by_name = forms.CharField(
        label=_("Collected by (someone else)"), max_length=200, required=False,
        help_text=_("For example the outside forensic examiner: name and company."))
    purpose = forms.CharField(label=_("Purpose of collection"), max_length=500, required=False)

    def __init__(self, *args, members=(), limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.user_id): m.user for m in members}
        self.fields["collected_by_user"].choices = [("", "—")] + [
            (str(m.user_id), f"{m.user.get_username()} ({m.get_role_display()})")
            for m in members]
        if limit:
            self.fields["file"].widget.attrs["data-max-bytes"] = str(limit)

    def clean(self):
        data = super().clean()
        if not data.get("collected_by_user") and not (data.get("collected_by_name") or "").strip():
            self.add_error("collected_by_name", forms.ValidationError(
                _("Say who collected it: a member, a name, or both."),
                code="collector_required"))
        data["collected_by_user"] = self.members.get(data.get("collected_by_user") or "")
        return data


class CustodyEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was done"),
                             choices=[(k.value, k.label) for k in MANUAL_CUSTODY_KINDS])
    at = forms.DateTimeField(label=_("When"), widget=DATETIME_INPUT,
                             input_formats=DATETIME_FORMATS)
    from_person = forms.CharField(label=_("From (who handed it over)"), max_length=200,
                                  required=False)
    to_person = forms.CharField(label=_("To (who received it)"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DownloadForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of access"), max_length=500,
                              widget=forms.TextInput(
                                  attrs={"placeholder": _("e.g. analysis by the examiner")}))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note (Markdown)"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Markdown: **bold**, lists, tables, links. HTML is shown "
                                       "as text; images are not shown."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
