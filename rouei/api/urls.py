"""``/api/v1/`` (the REST API and its OpenAPI document) and ``/api/tokens/`` (the tokens page)."""

from django.urls import path

from rouei.api import views
from rouei.api.v1 import api

app_name = "api"
urlpatterns = [
    path("v1/", api.urls),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<id:pk>/revoke/", views.revoke, name="token_revoke"),
]
