"""A form error that names its fields and brings the first into view.

``{% form_error_summary form %}`` lists the fields with errors by their labels, each a link to
its field; ``{{ field|focus_if_first_error:form }}`` renders the first field with an error with
``autofocus``, so that the browser scrolls to it when the page loads (no script: the pages run
under a strict Content-Security-Policy)."""

from __future__ import annotations

from django import template

register = template.Library()


def _fields_with_errors(form) -> list:
    return [form[name] for name in form.fields if name in form.errors]


@register.inclusion_tag("ui/_form_error_summary.html")
def form_error_summary(form):
    return {"fields": _fields_with_errors(form) if form is not None and form.is_bound else [],
            "non_field": bool(form is not None and form.is_bound and form.non_field_errors())}


@register.filter
def focus_if_first_error(field, form):
    wrong = _fields_with_errors(form) if form.is_bound else []
    if wrong and wrong[0].name == field.name:
        return field.as_widget(attrs={"autofocus": True})
    return field
