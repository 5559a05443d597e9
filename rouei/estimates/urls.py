"""/estimates/incidents/<pk>/prices/: an incident's unit prices for the response costs."""

from django.urls import path

from rouei.estimates import views

app_name = "estimates"
urlpatterns = [
    path("incidents/<int:pk>/prices/", views.unit_prices_edit, name="unit_prices"),
]
