"""The documents of an incident, under ``/incidents/<incident_id>/documents/…``: the list, and
for each kind found by folder its page (``documents:<slug>``) and its downloads
(``documents:<slug>-download``), written out per kind so that any other address is 404."""

from django.urls import path

from rouei.documents import views
from rouei.documents.kinds import all_kinds

incident_urlpatterns = [
    path("", views.index, name="index"),
    path("check/reason/", views.check_reason, name="check-reason"),
    path("notices/", views.notices, name="notices"),
    path("notices/publish/", views.notice_publish, name="notice-publish"),
]
for _kind in all_kinds():
    incident_urlpatterns += [
        path(f"{_kind.slug}/", views.kind_page, {"kind": _kind.slug}, name=_kind.slug),
        path(f"{_kind.slug}/download/", views.download, {"kind": _kind.slug},
             name=f"{_kind.slug}-download"),
    ]

# The public notice, without sign-in, at /notices/<token>/ (the token names no incident).
urlpatterns = [
    path("<slug:token>/", views.public_notice, name="public"),
    path("<slug:token>/<id:number>.json", views.public_notice_json, name="public-json"),
]
