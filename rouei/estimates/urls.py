"""An incident's unit prices for the response costs and the money spent, under
``/incidents/<incident_id>/estimate/…`` (mounted by ``rouei.config.urls``)."""

from django.urls import path

from rouei.estimates import views

incident_urlpatterns = [
    path("prices/", views.unit_prices_edit, name="unit_prices"),
    path("spend/", views.spend, name="spend"),
    path("spend/<str:spend_id>/", views.spend_edit, name="spend_edit"),
]
