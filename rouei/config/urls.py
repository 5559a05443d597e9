"""URLs: sign-in, the assessment page, the API, the language switch, and every registered
app's pages (``rouei.core.incident_apps``): its own under ``/<prefix>/`` and an incident's under
``/incidents/<incident_id>/<slug>/``; / goes to the assessment."""

from importlib import import_module

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from rouei.accounts.views import LoginView
from rouei.core import incident_apps


def _registered_app_urls() -> list:
    patterns = []
    for app in incident_apps.registered():
        if not app.urls:
            continue
        module = import_module(app.urls)
        own = []
        if getattr(module, "urlpatterns", None):
            own.append(path(f"{app.prefix or app.slug}/", include(module.urlpatterns)))
        if getattr(module, "incident_urlpatterns", None):
            scoped = f"incidents/<id:incident_id>/{app.slug}/" if app.slug else \
                "incidents/<id:incident_id>/"
            own.append(path(scoped, include(module.incident_urlpatterns)))
        patterns.append(path("", include((own, app.namespace))))
    return patterns


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="assessments:assess", permanent=False)),
    # The password step; with an authenticator app it continues at accounts:verify.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("assess/", include("rouei.assessments.urls")),
    path("accounts/", include("rouei.accounts.urls")),
    path("api/", include("rouei.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *_registered_app_urls(),
]
