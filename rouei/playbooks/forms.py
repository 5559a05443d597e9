"""Forms of the task and playbook pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rouei.core.access import Role
from rouei.playbooks.choices import DueRule, TaskStatus
from rouei.playbooks.due import MAX_OFFSET_DAYS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEMPLATE_ROLES = [(r.value, r.label) for r in Role if r != Role.VIEWER]


class TaskForm(forms.Form):
    """Status, owner (a member of the incident) and due date of one task."""

    status = forms.ChoiceField(label=_("Task status"), choices=TaskStatus.choices)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, empty_value=None,
                                   required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT,
                               input_formats=["%Y-%m-%d"])
    due_reason = forms.CharField(
        label=_("Reason for changing the due date"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you set a date other than the one the rule gives; the task "
                    "then no longer follows the deadlines."))
    follow_rule = forms.BooleanField(
        label=_("Follow the rule again (the due date moves with the deadlines)"),
        required=False)

    def __init__(self, *args, members=(), task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Not assigned")), *[
            (m.user_id, f"{m.user.get_username()} ({m.get_role_display()})") for m in members]]
        if task is None or not task.due_overridden:
            del self.fields["follow_rule"]


class PlaybookTasksForm(forms.Form):
    """The lead's choice of a playbook whose missing tasks to add."""

    playbook = forms.ChoiceField(label=_("Playbook"))

    def __init__(self, *args, playbooks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["playbook"].choices = [(p.kind, p.display_name) for p in playbooks]


class PlaybookForm(forms.Form):
    name = forms.CharField(label=_("Name (Japanese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description = forms.CharField(label=_("Description (Japanese)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    description_en = forms.CharField(label=_("Description (English)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))


class TaskTemplateForm(forms.Form):
    """One row of the playbook editor (empty extra rows are ignored)."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    key = forms.SlugField(label=_("Key"), max_length=64,
                          help_text=_("Names the task across playbooks (a-z, 0-9, _)."))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=100_000)
    title = forms.CharField(label=_("Title (Japanese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    description = forms.CharField(label=_("Description (Japanese)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    description_en = forms.CharField(label=_("Description (English)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    role = forms.ChoiceField(label=_("Owner role"), choices=TEMPLATE_ROLES)
    due_rule = forms.ChoiceField(label=_("Due rule"), choices=DueRule.choices)
    due_offset_days = forms.IntegerField(label=_("Offset (days)"), initial=0,
                                         min_value=-MAX_OFFSET_DAYS, max_value=MAX_OFFSET_DAYS)

    def row(self) -> dict:
        data = dict(self.cleaned_data)
        data["delete"] = bool(data.pop("DELETE", False))
        return data


TaskTemplateFormSet = forms.formset_factory(TaskTemplateForm, extra=1, can_delete=True,
                                            max_num=200, validate_max=True)
