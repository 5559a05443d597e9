from django.urls import path

from tests.core.sample_app import views

incident_urlpatterns = [path("", views.page, name="page")]
