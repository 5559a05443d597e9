"""The incident list (``/incidents/``) and each incident's own pages
(``/incidents/<incident_id>/…``); mounted by ``rouei.config.urls``."""

from django.urls import path

from rouei.incidents import views

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
]

incident_urlpatterns = [
    path("", views.incident_detail, name="detail"),
    path("edit/", views.incident_edit, name="edit"),
    path("facts/", views.facts_edit, name="facts"),
    path("facts/knew-date/", views.knew_date_accept, name="knew_date_accept"),
    path("timeline/add/", views.timeline_add, name="timeline_add"),
    path("timeline/<id:entry_pk>/edit/", views.timeline_edit, name="timeline_edit"),
    path("status/", views.status_change, name="status"),
    path("reports/new/", views.report_add, name="report_add"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<id:member_pk>/role/", views.member_role, name="member_role"),
    path("members/<id:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("audit/", views.audit, name="audit"),
]
