from django import template

from rouei.evidence.choices import can_handle_evidence
from rouei.scans.models import EvidenceScan

register = template.Library()


@register.simple_tag
def recent_scans(incident, limit: int = 5):
    return list(EvidenceScan.objects.filter(incident=incident)[:limit])


@register.simple_tag
def may_scan(incident) -> bool:
    """A scan opens the evidence files: the roles that may (``do_start_scan`` checks the same)."""
    return can_handle_evidence(getattr(incident, "member_role", None))


@register.simple_tag
def zip_password_fields(count: int = 3):
    """Numbers of the password fields the scan form offers (one ZIP per password at most)."""
    return range(1, count + 1)


@register.filter
def grouped(value):
    """1234567 → "1,234,567" (how counts are written in Japanese reports); other values as
    they are."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
