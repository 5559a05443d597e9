"""/playbooks/: the playbooks, the deadline dashboard, the calendar feed and each incident's
tasks (/playbooks/incidents/<pk>/tasks/)."""

from django.urls import path, re_path

from rouei.playbooks import views

app_name = "playbooks"
urlpatterns = [
    path("", views.playbook_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]+)\.ics$", views.calendar_feed, name="calendar"),
    path("incidents/<int:pk>/tasks/", views.task_list, name="tasks"),
    path("incidents/<int:pk>/tasks/from-playbook/", views.task_add_from_playbook,
         name="tasks_from_playbook"),
    path("incidents/<int:pk>/tasks/<int:task_pk>/", views.task_edit, name="task_edit"),
    path("incidents/<int:pk>/tasks/<int:task_pk>/complete/", views.task_complete,
         name="task_complete"),
    path("<slug:kind>/edit/", views.playbook_edit, name="edit"),
]
