"""Forms of the incident pages. The facts form is the assessment page's ``FactsForm``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from rouei.assessments.forms import BOOLEAN_CHOICES, FactsForm
from rouei.core.access import Role
from rouei.core.dates import NotInFuture
from rouei.incidents.choices import MANUAL_TIMELINE_KINDS, ReportChannel, ReportKind, Status

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
TIMELINE_TIME = _("The time of the timeline entry")  # names the field in a refusal


class IncidentCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("A short name the team will recognise, without "
                                        "personal data."))
    summary = forms.CharField(label=_("Summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    organisation = forms.CharField(label=_("Responsible organisation"), max_length=200,
                                   required=False)
    vendor_involved = forms.TypedChoiceField(
        label=_("Did it happen at a processor (vendor)?"), choices=BOOLEAN_CHOICES,
        coerce=lambda v: v == "true", empty_value=None, required=False)


class FactsEditForm(FactsForm):
    """``FactsForm`` plus the incident version the form was loaded at."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TimelineEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"),
                             choices=[(k.value, k.label) for k in MANUAL_TIMELINE_KINDS])
    at = forms.DateTimeField(label=_("When"), widget=DATETIME_INPUT,
                             input_formats=DATETIME_FORMATS,
                             validators=[NotInFuture(TIMELINE_TIME)])
    text = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=4000)


class TimelineEditForm(TimelineEventForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500,
                           widget=forms.TextInput(attrs={"placeholder": _("Note (optional)")}))


class CloseForm(forms.Form):
    """Closing over open duties: one box per duty and the reason (issue 11, guard rail 1)."""

    status = forms.CharField(widget=forms.HiddenInput, initial=Status.CLOSED)
    acknowledged_duties = forms.MultipleChoiceField(
        label=_("Open duties I close over"), required=False,
        widget=forms.CheckboxSelectMultiple)
    close_reason = forms.CharField(
        label=_("Reason for closing with these duties open"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, *args, duties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledged_duties"].choices = [(d.code, d.label) for d in duties]


class FiledReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    filed_at = forms.DateTimeField(label=_("Filed at"), widget=DATETIME_INPUT,
                                   input_formats=DATETIME_FORMATS,
                                   validators=[NotInFuture(_("Filed at"))])
    channel = forms.ChoiceField(label=_("Channel"), choices=ReportChannel.choices)
    receipt_number = forms.CharField(
        label=_("Receipt number (受付番号)"), max_length=100, required=False,
        help_text=_("The number the PPC's form or reply gave, if any."))
    filed_by = forms.ChoiceField(label=_("Filed by"))
    note = forms.CharField(label=_("Note"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.user_id): m.user for m in members}
        self.fields["filed_by"].choices = [
            (str(m.user_id), f"{m.user.get_username()} ({m.get_role_display()})")
            for m in members]

    def clean_filed_by(self):
        return self.members[self.cleaned_data["filed_by"]]


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user with this user name."),
                                        code="unknown_user")
        self.user = user
        return username


class IncidentEditForm(IncidentCreateForm):
    """The particulars after creation, with the ``incident_etag`` the form was loaded with."""

    etag = forms.CharField(widget=forms.HiddenInput, max_length=64)

    @classmethod
    def for_incident(cls, incident, etag: str) -> IncidentEditForm:
        vendor = {True: "true", False: "false"}.get(incident.vendor_involved, "")
        return cls(initial={"title": incident.title, "summary": incident.summary,
                            "organisation": incident.organisation, "vendor_involved": vendor,
                            "etag": etag})

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "etag"}


class KnewDateAcceptForm(forms.Form):
    """The one-click acceptance of a 判明 entry's day as the facts' 知った日."""

    day = forms.DateField(widget=forms.HiddenInput)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
