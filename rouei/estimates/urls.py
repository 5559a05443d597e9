"""An incident's unit prices for the response costs, under
``/incidents/<incident_id>/estimate/…`` (mounted by ``rouei.config.urls``)."""

from django.urls import path

from rouei.estimates import views

incident_urlpatterns = [
    path("prices/", views.unit_prices_edit, name="unit_prices"),
]
