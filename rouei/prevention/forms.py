"""The measure form and the progress form. The owner is chosen among the incident's members."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rouei.core.access import membership_model
from rouei.prevention.choices import MeasureGroup, MeasureStatus


class DateInput(forms.DateInput):
    input_type = "date"


def member_choices(incident) -> list[tuple[str, str]]:
    members = (membership_model().objects.filter(incident=incident).select_related("user")
               .order_by("user__username"))
    return [("", _("— nobody yet —"))] + [
        (str(m.user_id), m.user.get_full_name() or m.user.get_username()) for m in members]


class MeasureForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=MeasureGroup.choices)
    title = forms.CharField(label=_("Measure"), max_length=200,
                            help_text=_("What will be done, concretely (e.g. MFA for every "
                                        "administrator account)."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    kpi = forms.CharField(label=_("KPI"), max_length=300, required=False,
                          help_text=_("How completion or success is measured (e.g. 100% of "
                                      "administrator accounts with MFA)."))
    status = forms.ChoiceField(label=pgettext_lazy("measure", "Status"),
                               choices=MeasureStatus.choices)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput,
                              help_text=_("For a measure done: the day (today if empty)."))
    drop_reason = forms.CharField(label=_("Why it is dropped"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Required when the status is Dropped."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = member_choices(incident)
        self.incident = incident

    @staticmethod
    def initial_for(measure) -> dict:
        return {"group": measure.group, "title": measure.title,
                "description": measure.description, "owner": measure.owner_id or "",
                "due_date": measure.due_date, "kpi": measure.kpi, "status": measure.status,
                "done_on": measure.done_on, "drop_reason": measure.drop_reason,
                "expected_version": measure.version}

    def values(self) -> dict:
        """The cleaned values as the actions take them (the owner as a user)."""
        data = dict(self.cleaned_data)
        data.pop("expected_version", None)
        owner = data.pop("owner")
        data["owner"] = (membership_model().objects.get(incident=self.incident,
                                                        user_id=int(owner)).user
                         if owner else None)
        return data


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    note = forms.CharField(label=_("What was done"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status afterwards"), choices=MeasureStatus.choices)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @staticmethod
    def initial_for(measure) -> dict:
        return {"on": timezone.localdate(), "status": measure.status,
                "expected_version": measure.version}
