from django import template

register = template.Library()


@register.filter
def grouped(value):
    """1234567 → "1,234,567" (how counts are written in Japanese reports); other values as
    they are."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
