from django.urls import path

from rouei.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assess, name="assess"),
]
