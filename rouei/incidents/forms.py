"""Forms of the incident pages. The facts form is the assessment page's ``FactsForm``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from rouei.assessments.forms import BOOLEAN_CHOICES, FactsForm
from rouei.core.access import Role
from rouei.core.dates import NotInFuture
from rouei.incidents.choices import MANUAL_TIMELINE_KINDS, Status

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
