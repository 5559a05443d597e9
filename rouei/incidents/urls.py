from django.urls import path

from rouei.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/edit/", views.incident_edit, name="edit"),
    path("<int:pk>/facts/", views.facts_edit, name="facts"),
    path("<int:pk>/facts/knew-date/", views.knew_date_accept, name="knew_date_accept"),
    path("<int:pk>/timeline/add/", views.timeline_add, name="timeline_add"),
    path("<int:pk>/timeline/<int:entry_pk>/edit/", views.timeline_edit, name="timeline_edit"),
    path("<int:pk>/status/", views.status_change, name="status"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/role/", views.member_role, name="member_role"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove,
         name="member_remove"),
    path("<int:pk>/audit/", views.audit, name="audit"),
]
