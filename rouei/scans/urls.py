from django.urls import path

from rouei.scans import views

app_name = "scans"
urlpatterns = [
    path("incidents/<int:pk>/start/", views.start, name="start"),
    path("<int:scan_id>/", views.detail, name="detail"),
    path("<int:scan_id>/accept/", views.accept, name="accept"),
    path("<int:scan_id>/columns.csv", views.columns_csv, name="columns_csv"),
]
