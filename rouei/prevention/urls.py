"""The prevention plan under ``/incidents/<incident_id>/prevention/…``."""

from django.urls import path

from rouei.prevention import views

incident_urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("summary/", views.summary, name="summary"),
    path("<str:measure_id>/", views.measure_page, name="measure"),
    path("<str:measure_id>/edit/", views.edit, name="edit"),
]
