"""The playbooks, the deadline dashboard and the calendar feed (``/playbooks/…``), and each
incident's tasks (``/incidents/<incident_id>/tasks/…``); mounted by ``rouei.config.urls``."""

from django.urls import path, re_path

from rouei.playbooks import views

urlpatterns = [
    path("", views.playbook_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]+)\.ics$", views.calendar_feed, name="calendar"),
    path("<slug:kind>/edit/", views.playbook_edit, name="edit"),
]

incident_urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("from-playbook/", views.task_add_from_playbook, name="tasks_from_playbook"),
    path("proposed/", views.task_add_proposed, name="tasks_add_proposed"),
    path("<id:task_pk>/", views.task_edit, name="task_edit"),
    path("<id:task_pk>/complete/", views.task_complete, name="task_complete"),
]
