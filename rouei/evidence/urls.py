"""The evidence register and the notes, per incident: /evidence/incidents/<pk>/…"""

from django.urls import path

from rouei.evidence import views

app_name = "evidence"
urlpatterns = [
    path("incidents/<int:pk>/", views.evidence_list, name="list"),
    path("incidents/<int:pk>/upload/", views.evidence_upload, name="upload"),
    path("incidents/<int:pk>/items/<int:item_pk>/", views.evidence_item, name="item"),
    path("incidents/<int:pk>/items/<int:item_pk>/download/", views.evidence_download,
         name="download"),
    path("incidents/<int:pk>/items/<int:item_pk>/custody/", views.custody_add, name="custody"),
    path("incidents/<int:pk>/items/<int:item_pk>/verify/", views.evidence_verify,
         name="verify"),
    path("incidents/<int:pk>/notes/", views.notes, name="notes"),
    path("incidents/<int:pk>/notes/<int:note_pk>/edit/", views.note_edit, name="note_edit"),
]
