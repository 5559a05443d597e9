"""The registry's forms: the upload of a people list and the contact window's look-up."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from rouei.people.models import CompensationPolicy, Inquiry, PersonRequest, RequestKind
from rouei.people.uploads import SUFFIXES, max_bytes


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("People list (CSV in UTF-8 or Shift_JIS, or XLSX)"))
    on_error = forms.ChoiceField(
        label=_("On a bad row"), initial="stop",
        choices=[("stop", _("Stop: import nothing")), ("skip", _("Skip the row and go on"))])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(_("The file is too large."))
        name = upload.name.lower()
        if not name.endswith(SUFFIXES):
            raise forms.ValidationError(_("Only CSV, TSV or XLSX files can be imported."))
        return upload


class WindowForm(forms.Form):
    """What the caller says; the operator types it as heard (any width, hyphens, kana)."""

    ref = forms.CharField(label=_("Reference number (from the letter)"), required=False,
                          max_length=40)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=200)
    name = forms.CharField(label=_("Name (kanji or kana)"), required=False, max_length=100)
    birth_date = forms.CharField(label=_("Birth date"), required=False, max_length=40,
                                 help_text=_("e.g. 1985-04-01, 昭和60年4月1日, S60.4.1"))
    address = forms.CharField(label=_("Address (with the name)"), required=False,
                              max_length=200,
                              help_text=_("As the caller says it: 3丁目2番1号 or 3-2-1, with "
                                          "or without the prefecture and postal code"))

    def facts(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}


class InquiryForm(forms.ModelForm):
    """The call just answered, logged by the operator; with ``request_kind`` the caller's
    request (開示・消去 …) is recorded at the same time."""

    request_kind = forms.ChoiceField(
        label=_("The caller makes a request"), required=False,
        choices=[("", _("No request")), *RequestKind.choices])

    class Meta:
        model = Inquiry
        fields = ("category", "answer", "escalated", "callback_due")
        widgets: ClassVar[dict] = {"answer": forms.Textarea(attrs={"rows": 3}),
                   "callback_due": forms.DateInput(attrs={"type": "date"})}


class NoticeSettingsForm(forms.ModelForm):
    """What every notice of the incident says beside the person's own items (規則10条)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        from rouei.people.models import NoticeSettings

        model = NoticeSettings
        fields = ("sender_name", "from_address", "subject", "window_name", "window_phone",
                  "window_hours", "what_happened", "cause", "secondary_damage",
                  "secondary_damage_text", "measures", "compensation")
        widgets: ClassVar[dict] = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("what_happened", "cause", "secondary_damage_text", "measures",
                                "compensation")}
        help_texts: ClassVar[dict] = {
            "subject": _("Empty: 「お客様の個人情報の漏えいに関するお詫びとお知らせ」."),
            "what_happened": _("Empty: the incident's summary, else its title with the day it "
                               "became known."),
            "cause": _("May be summarised (規則10条). Empty: one sentence from the cause in the "
                       "facts."),
            "secondary_damage": _("Keep \"none confirmed so far\" apart from \"not known yet\"."),
            "window_hours": _("e.g. 毎日 9:00〜18:00（土日祝日も受付）"),
        }


class ItemAmountsField(forms.CharField):
    """Amounts by class of data, one per line: 「クレジットカード番号=1000」 (label or id)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value) -> dict[str, int]:
        from rouei.domain import items as catalogue

        by_name = {i.label_ja: i.id for i in catalogue.CATALOGUE}
        by_name.update({i.id: i.id for i in catalogue.CATALOGUE})
        amounts: dict[str, int] = {}
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, amount = line.replace("＝", "=").partition("=")
            item = by_name.get(name.strip())
            digits = amount.strip().replace(",", "").replace("円", "")
            if item is None or not digits.isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write an item of the catalogue, =, and an amount in yen."),
                    params={"n": number})
            amounts[item] = int(digits)
        return amounts

    def prepare_value(self, value):
        from rouei.domain import items as catalogue

        if isinstance(value, dict):
            return "\n".join(f"{catalogue.get(k).label_ja}={v}" for k, v in value.items())
        return value


class CompensationPolicyForm(forms.ModelForm):
    item_amounts = ItemAmountsField(label=_("Amounts by class of data"), required=False,
                                    help_text=_("One per line, e.g. クレジットカード番号=1000: "
                                                "a person gets the largest amount that applies."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        model = CompensationPolicy
        fields = ("mode", "amount_confirmed", "amount_possible", "item_amounts", "form",
                  "non_monetary", "claim_deadline")
        widgets: ClassVar[dict] = {"non_monetary": forms.Textarea(attrs={"rows": 2}),
                                   "claim_deadline": forms.DateInput(attrs={"type": "date"})}


class ClaimForm(forms.Form):
    """The public claim form: what the letter gave the person, and their birth date."""

    ref = forms.CharField(label=_("Reference number (from the letter)"), max_length=40)
    birth_date = forms.CharField(label=_("Birth date"), max_length=40,
                                 help_text=_("e.g. 1985-04-01, 昭和60年4月1日, S60.4.1"))
    name = forms.CharField(label=_("Name"), max_length=100)


class RequestForm(forms.ModelForm):
    """A request received in writing (or completed after the call)."""

    class Meta:
        model = PersonRequest
        fields = ("kind", "channel", "received_on", "details")
        widgets: ClassVar[dict] = {"received_on": forms.DateInput(attrs={"type": "date"}),
                                   "details": forms.Textarea(attrs={"rows": 2})}


class RequestUpdateForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = PersonRequest
        fields = ("status", "identity_method", "outcome", "replied_on")
        widgets: ClassVar[dict] = {"replied_on": forms.DateInput(attrs={"type": "date"}),
                                   "outcome": forms.Textarea(attrs={"rows": 2})}


class ScriptEntryForm(forms.Form):
    """One question of the window's talk script and what the operator answers."""

    q = forms.CharField(label=_("Question"), required=False, max_length=300)
    a = forms.CharField(label=_("Answer"), required=False, max_length=3000,
                        widget=forms.Textarea(attrs={"rows": 3}))


# Two blank rows under the script for new questions; a row left empty is dropped on save.
ScriptFormSet = forms.formset_factory(ScriptEntryForm, extra=2, max_num=60, absolute_max=60)


class ScriptSaveForm(forms.Form):
    expected_number = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("What changed (for the version history)"), required=False,
                           max_length=300)
