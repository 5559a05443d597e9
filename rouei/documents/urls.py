"""The documents of an incident, under ``/incidents/<incident_id>/documents/…``: the list, and
for each kind found by folder its page (``documents:<slug>``) and its downloads
(``documents:<slug>-download``), written out per kind so that any other address is 404."""

from django.urls import path

from rouei.documents import views
from rouei.documents.kinds import all_kinds

incident_urlpatterns = [
    path("", views.index, name="index"),
    path("check/reason/", views.check_reason, name="check-reason"),
]
for _kind in all_kinds():
    incident_urlpatterns += [
        path(f"{_kind.slug}/", views.kind_page, {"kind": _kind.slug}, name=_kind.slug),
        path(f"{_kind.slug}/download/", views.download, {"kind": _kind.slug},
             name=f"{_kind.slug}-download"),
    ]
