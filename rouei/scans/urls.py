"""An incident's scans of its evidence, under ``/incidents/<incident_id>/scans/…`` (mounted by
``rouei.config.urls``)."""

from django.urls import path

from rouei.scans import views

incident_urlpatterns = [
    path("start/", views.start, name="start"),
    path("<id:scan_id>/", views.detail, name="detail"),
    path("<id:scan_id>/accept/", views.accept, name="accept"),
    path("<id:scan_id>/cancel/", views.cancel, name="cancel"),
    path("<id:scan_id>/columns.csv", views.columns_csv, name="columns_csv"),
]
