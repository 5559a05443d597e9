"""The registry of affected people under ``/incidents/<incident_id>/people/…``."""

from django.urls import path

from rouei.people import views

incident_urlpatterns = [
    path("", views.registry, name="registry"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<id:import_id>/", views.import_detail, name="import_detail"),
    path("window/", views.window, name="window"),
    path("notices/", views.notices, name="notices"),
]
