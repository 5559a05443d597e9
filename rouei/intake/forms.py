"""Forms of the signal pages; the data items are the catalogue's (``assessments.forms``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rouei.assessments.forms import GroupedCheckboxes, item_choices
from rouei.core.access import role_allows
from rouei.core.dates import NotInFuture
from rouei.incidents.forms import DATETIME_FORMATS, DATETIME_INPUT
from rouei.intake.choices import MANUAL_STATUSES, Channel, SignalKind, SignalStatus

TEXTAREA = {"rows": 3}


class SignalForm(forms.Form):
    """The hearing items of response-practice.md §9, in the order a call goes."""

    kind = forms.ChoiceField(label=_("Kind of signal"), choices=SignalKind.choices)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME_INPUT,
                                      input_formats=DATETIME_FORMATS,
                                      validators=[NotInFuture(_("Received at"))])
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    subject = forms.CharField(
        label=_("Subject"), max_length=200,
        help_text=_("A short line the team will recognise, without the complainant's personal "
                    "data (e.g. “Direct mail from an unknown company”)."))
    complainant_name = forms.CharField(label=_("Complainant's name"), required=False,
                                       max_length=200)
    complainant_contact = forms.CharField(label=_("Complainant's contact (phone or e-mail)"),
                                          required=False, max_length=200)
    suspicion_reason = forms.CharField(
        label=_("Why a leak is suspected"), required=False, max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("E.g. a direct mail from a company the customer never dealt with."))
    origin_reason = forms.CharField(
        label=_("Why they think it came from us"), required=False, max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("E.g. data registered only with us: a unique spelling of the name, an "
                    "address or e-mail address used nowhere else."))
    sender_name = forms.CharField(
        label=_("Sender's name"), required=False, max_length=200,
        help_text=_("The company or person that sent the mail or made contact."))
    sender_contact = forms.CharField(label=_("Sender's contact"), required=False,
                                     max_length=200)
    items = forms.MultipleChoiceField(
        label=_("Data items involved"), required=False, choices=item_choices,
        widget=GroupedCheckboxes,
        help_text=_("What the mail or alert shows: name, address, birth date, account, "
                    "card …"))
    reference = forms.CharField(label=_("Reference (alert or ticket id)"), required=False,
                                max_length=200)
    notes = forms.CharField(label=_("Hearing notes"), required=False, max_length=10_000,
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "received_at" not in self.initial:
            self.initial["received_at"] = timezone.localtime().replace(second=0,
                                                                       microsecond=0)

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        if not subject:
            raise forms.ValidationError(_("Give the signal a subject."), code="empty_subject")
        return subject

    @classmethod
    def for_signal(cls, signal, **kwargs) -> SignalForm:
        initial = {name: getattr(signal, name) for name in cls.base_fields}
        initial["received_at"] = timezone.localtime(signal.received_at)
        return cls(initial=initial, **kwargs)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New signal status"),
                               choices=[(s.value, s.label) for s in MANUAL_STATUSES])
    reason = forms.CharField(label=_("Reason (required for “No action needed”)"),
                             required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("status") == SignalStatus.DISMISSED and not (data.get("reason") or
                                                                  "").strip():
            self.add_error("reason", forms.ValidationError(
                _("Give the reason no action is needed."), code="reason_required"))
        return data


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Signal status"), required=False,
                               choices=[("", _("All")), ("open", _("Not yet handled")),
                                        *SignalStatus.choices])


class JoinIncidentForm(forms.Form):
    """The incidents the user may edit; the view checks the one posted with
    ``access_incident`` (404 for a non-member), not with this list."""

    incident = forms.TypedChoiceField(label=_("Incident"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from rouei.incidents.models import Membership

        rows = (Membership.objects.filter(user=user).select_related("incident")
                .order_by("-incident__created_at"))
        self.fields["incident"].choices = [
            (m.incident_id, m.incident.title) for m in rows if role_allows(m.role, "edit")]
