"""URLs: login/logout, the assessment page, the incidents, the language switch; / goes to the
assessment."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from rouei.accounts.views import LoginView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="assessments:assess", permanent=False)),
    # The password step; with an authenticator app it continues at accounts:verify.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("assess/", include("rouei.assessments.urls")),
    path("incidents/", include("rouei.incidents.urls")),
    path("accounts/", include("rouei.accounts.urls")),
    path("playbooks/", include("rouei.playbooks.urls")),
    path("evidence/", include("rouei.evidence.urls")),
    path("api/", include("rouei.api.urls")),
    path("scans/", include("rouei.scans.urls")),
    path("signals/", include("rouei.signals.urls")),
    path("estimates/", include("rouei.estimates.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
