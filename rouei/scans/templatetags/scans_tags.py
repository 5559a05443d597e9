from django import template

from rouei.scans.models import EvidenceScan

register = template.Library()


@register.simple_tag
def recent_scans(incident, limit: int = 5):
    return list(EvidenceScan.objects.filter(incident=incident)[:limit])
