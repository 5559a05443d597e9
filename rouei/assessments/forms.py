"""The facts form: one field per key of ``rouei.domain.facts.FACT_KEYS``.

Field kinds come from the ``Facts`` dataclass's types, the item groups from the catalogue's flags,
so a new fact or data item appears here without retyping it. A blank answer is *unknown* and
stays unknown (the key is left out of the facts), never "no".
"""

from __future__ import annotations

import datetime as dt
import typing
from enum import Enum
from types import UnionType

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rouei.assessments.choices import ENUM_LABELS, FACT_LABELS, SECTIONS
from rouei.domain.facts import FACT_KEYS, JST, Facts, FactsError, parse_facts
from rouei.domain.items import CATALOGUE, DataItem, Financial
from rouei.ui.lang import current_lang

UNKNOWN = ""
BOOLEAN_CHOICES = [(UNKNOWN, _("Unknown")), ("true", _("Yes")), ("false", _("No"))]
DATE_ONLY_KEYS = {"knew_at"}  # the deadlines count days: the day is what the user must give

ITEM_GROUPS = (
    ("sensitive", _("Sensitive personal information (要配慮個人情報)")),
    ("financial", _("Financial (risk of property damage)")),
    ("identifier", _("Identification codes (個人識別符号)")),
    ("basic", _("Basic and other")),
)


def item_group(item: DataItem) -> str:
    if item.sensitive:
        return "sensitive"
    if item.financial is not Financial.NO:
        return "financial"
    if item.identifier_code:
        return "identifier"
    return "basic"


def item_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped checkbox choices, labelled in the active language (evaluated at render time)."""
    lang = current_lang()
    return [(str(label), [(item.id, item.label(lang)) for item in CATALOGUE
                          if item_group(item) == group])
            for group, label in ITEM_GROUPS]


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "assessments/widgets/grouped_checkboxes.html"


def _fact_types() -> dict[str, type]:
    """key → the non-None type of its ``Facts`` field (bool, int, dt.datetime, an Enum, tuple)."""
    out = {}
    for key, hint in typing.get_type_hints(Facts).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)] if isinstance(
            hint, UnionType) else [hint]
        out[key] = typing.get_origin(args[0]) or args[0]
    return out


FACT_TYPES = _fact_types()


def _field_for(key: str, kind: type) -> forms.Field:
    label, help_text = FACT_LABELS[key]
    common = {"label": label, "help_text": help_text, "required": False}
    if key == "items":
        return forms.MultipleChoiceField(choices=item_choices, widget=GroupedCheckboxes, **common)
    if kind is bool:
        return forms.TypedChoiceField(choices=BOOLEAN_CHOICES, coerce=lambda v: v == "true",
                                      empty_value=None, **common)
    if kind is int:
        return forms.IntegerField(min_value=0, widget=forms.NumberInput(attrs={"step": 1}),
                                  **common)
    if kind is dt.datetime and key in DATE_ONLY_KEYS:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               **common)
    if kind is dt.datetime:
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
            **common)
    if isinstance(kind, type) and issubclass(kind, Enum):
        labels = ENUM_LABELS[kind]
        return forms.TypedChoiceField(
            choices=[(UNKNOWN, _("Unknown")), *((m.value, labels[m]) for m in kind)],
            empty_value=None, **common)
    raise TypeError(f"no form field for fact {key!r} of type {kind!r}")  # a new kind of fact


class FactsForm(forms.Form):
    """Incident facts as a person fills them in. ``facts`` is set once ``is_valid()``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in FACT_KEYS:
            self.fields[key] = _field_for(key, FACT_TYPES[key])
        self.facts: Facts | None = None

    @classmethod
    def from_facts(cls, facts: Facts, **kwargs) -> FactsForm:
        """An unbound form showing ``facts`` (unknowns stay blank)."""
        initial = {}
        for key in FACT_KEYS:
            value = getattr(facts, key)
            if value is None:
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, Enum):
                value = value.value
            elif isinstance(value, dt.datetime):
                local = value.astimezone(JST)
                value = local.date() if key in DATE_ONLY_KEYS else local.replace(tzinfo=None)
            elif isinstance(value, tuple):
                value = list(value)
            initial[key] = value
        return cls(initial=initial, **kwargs)

    def sections(self):
        """[(title, [bound fields])] in the order of ``choices.SECTIONS``; leftovers last."""
        placed = {key for _, keys in SECTIONS for key in keys}
        out = [(title, [self[key] for key in keys if key in self.fields])
               for title, keys in SECTIONS]
        rest = [self[key] for key in self.fields
                if key not in placed and not self[key].is_hidden]
        if rest:
            out.append((_("Other"), rest))
        return out

    def facts_mapping(self) -> dict:
        """cleaned_data → the facts mapping ``parse_facts`` reads (unknowns left out)."""
        mapping = {}
        for key in FACT_KEYS:
            value = self.cleaned_data.get(key)
            if value is None or value == [] or value == "":
                continue
            if isinstance(value, dt.datetime):
                value = timezone.localtime(value, JST) if timezone.is_aware(value) else value
            mapping[key] = list(value) if key == "items" else value
        return mapping

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.facts = parse_facts(self.facts_mapping(), now=timezone.now())
        except FactsError as exc:
            lang = current_lang()
            message = exc.message_ja if lang == "ja" else exc.message_en
            field = exc.field if exc.field in self.fields else None
            if field is None and exc.field:
                message = exc.message(lang)
            self.add_error(field, forms.ValidationError(message, code=exc.code))
        return cleaned
