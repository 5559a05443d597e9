"""The unit-prices form: one field per price of the response-cost model, labelled in the
reader's language with its unit (フォレンジック調査（円／式）)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rouei.domain.damage import PRICE_INFO, PricesError, ResponsePrices
from rouei.estimates.services import DEFAULT_PRICES, PRICE_KEYS
from rouei.ui.lang import current_lang

# Shares, not money: their upper bound (the domain refuses more).
SHARE_CEILINGS = {"letter_share_percent": 100, "call_rate_permille": 1_000}
MAX_YEN = 10**12  # a sanity bound for a typing slip, far above any response cost


def _label(key: str, lang: str) -> str:
    info = PRICE_INFO[key]
    label, unit = info.label(lang), info.unit(lang)
    if key in SHARE_CEILINGS:
        if "（" in unit:  # ‰（千人あたりの件数）: the words alone, not brackets in brackets
            unit = unit[unit.index("（") + 1:].rstrip("）")
        return _("%(label)s (%(unit)s)") % {"label": label, "unit": unit}
    if key == "goodwill_options":
        return _("%(label)s (yen, comma-separated)") % {"label": label}
    return _("%(label)s (yen per %(unit)s)") % {"label": label, "unit": unit}


class UnitPricesForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_lang()
        for key in PRICE_KEYS:
            info = PRICE_INFO[key]
            default = getattr(DEFAULT_PRICES, key)
            shown = (", ".join(f"{v:,}" for v in default) if isinstance(default, tuple)
                     else f"{default:,}")
            help_text = f"{info.basis(lang)} — {_('Default: %(value)s') % {'value': shown}}"
            if key == "goodwill_options":
                field = forms.CharField(max_length=200)
            else:
                field = forms.IntegerField(min_value=0,
                                           max_value=SHARE_CEILINGS.get(key, MAX_YEN))
            field.label = _label(key, lang)
            field.help_text = help_text
            self.fields[key] = field

    @classmethod
    def initial_for(cls, prices: ResponsePrices, version: int) -> dict:
        initial = {key: getattr(prices, key) for key in PRICE_KEYS}
        initial["goodwill_options"] = ", ".join(str(v) for v in prices.goodwill_options)
        initial["expected_version"] = version
        return initial

    def clean_goodwill_options(self) -> list[int]:
        parts = [p for p in re.split(r"[,、，\s]+", self.cleaned_data["goodwill_options"]) if p]
        if not parts or not all(p.isascii() and p.isdigit() for p in parts):
            raise forms.ValidationError(
                gettext_lazy("Enter one or more whole yen amounts, separated by commas."),
                code="not_a_list")
        return [int(p) for p in parts]

    def clean(self):
        """The prices entered, checked by the domain as a prices file would be (``prices``)."""
        cleaned = super().clean()
        if all(key in cleaned for key in PRICE_KEYS):
            try:
                self.prices = ResponsePrices.from_mapping(
                    {key: cleaned[key] for key in PRICE_KEYS})
            except PricesError as exc:
                text = exc.message_ja if current_lang() == "ja" else exc.message_en
                self.add_error(exc.field if exc.field in self.fields else None, text)
        return cleaned


class SpendForm(forms.Form):
    """One spend record: the day, the category (the estimate's lines, goodwill, other), the
    amount in yen and a note (encrypted: it may name a payee)."""

    spent_on = forms.DateField(label=gettext_lazy("Date"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    amount = forms.IntegerField(label=gettext_lazy("Amount (yen)"), min_value=1,
                                max_value=MAX_YEN)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=gettext_lazy("What was paid for (invoice, vendor). "
                                                  "Stored encrypted."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        from rouei.estimates.choices import SPEND_CATEGORIES

        super().__init__(*args, **kwargs)
        lang = current_lang()
        self.fields["category"].choices = [(key, label(lang))
                                           for key, label in SPEND_CATEGORIES.items()]

    @classmethod
    def initial_for(cls, row) -> dict:
        return {"spent_on": row.spent_on, "category": row.category, "amount": row.amount,
                "note": row.note, "expected_version": row.version}
