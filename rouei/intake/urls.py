from django.urls import path

from rouei.intake import views

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("new/", views.signal_create, name="create"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/reveal/", views.signal_reveal, name="reveal"),
    path("<int:pk>/edit/", views.signal_edit, name="edit"),
    path("<int:pk>/status/", views.signal_status, name="status"),
    path("<int:pk>/link/", views.signal_link, name="link"),
    path("<int:pk>/open-incident/", views.signal_open_incident, name="open_incident"),
    path("<int:pk>/join-incident/", views.signal_join_incident, name="join_incident"),
]
