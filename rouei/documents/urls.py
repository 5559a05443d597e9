"""The documents of an incident, under ``/incidents/<incident_id>/documents/…``."""

from django.urls import path

from rouei.documents import views

incident_urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/", views.kind_page, name="kind"),
    path("<slug:kind>/download/", views.download, name="download"),
]
