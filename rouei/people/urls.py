"""The registry of affected people under ``/incidents/<incident_id>/people/…``."""

from django.urls import path

from rouei.people import views

incident_urlpatterns = [
    path("", views.registry, name="registry"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/scan/", views.import_scan, name="import_scan"),
    path("import/<id:import_id>/", views.import_detail, name="import_detail"),
    path("window/", views.window, name="window"),
    path("window/script/", views.script, name="script"),
    path("compensation/", views.compensation, name="compensation"),
    path("requests/", views.requests, name="requests"),
    path("notices/", views.notices, name="notices"),
]

# The public claim form, without sign-in, at /claims/<token>/ (the token names no incident).
urlpatterns = [
    path("<slug:token>/", views.claim, name="claim"),
]
