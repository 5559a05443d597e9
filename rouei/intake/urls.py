from django.urls import path

from rouei.intake import views

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("new/", views.signal_create, name="create"),
    path("<id:pk>/", views.signal_detail, name="detail"),
    path("<id:pk>/reveal/", views.signal_reveal, name="reveal"),
    path("<id:pk>/edit/", views.signal_edit, name="edit"),
    path("<id:pk>/status/", views.signal_status, name="status"),
    path("<id:pk>/link/", views.signal_link, name="link"),
    path("<id:pk>/open-incident/", views.signal_open_incident, name="open_incident"),
    path("<id:pk>/join-incident/", views.signal_join_incident, name="join_incident"),
]
