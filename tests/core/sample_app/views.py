from django.http import HttpResponse

from rouei.core.access import Need
from rouei.core.views import READ_WRITE, incident_view


def card(request, incident) -> dict:
    return {"greeting": "見本のカード"}


@incident_view(write=Need.MANAGE, methods=READ_WRITE)
def page(request, incident):
    return HttpResponse(f"見本のページ {incident.pk} {request.method}")
