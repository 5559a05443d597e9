"""An incident's evidence register and notes, under ``/incidents/<incident_id>/evidence/…``
(mounted by ``rouei.config.urls``)."""

from django.urls import path

from rouei.evidence import views

incident_urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("upload/", views.evidence_upload, name="upload"),
    path("items/<id:item_pk>/", views.evidence_item, name="item"),
    path("items/<id:item_pk>/download/", views.evidence_download, name="download"),
    path("items/<id:item_pk>/custody/", views.custody_add, name="custody"),
    path("items/<id:item_pk>/verify/", views.evidence_verify, name="verify"),
    path("notes/", views.notes, name="notes"),
    path("notes/<id:note_pk>/edit/", views.note_edit, name="note_edit"),
]
