"""The account pages under /accounts/ (the password step itself is ``login`` in the root urls)."""

from django.urls import path

from rouei.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/verify/", views.verify, name="verify"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/setup/qr.svg", views.mfa_qr, name="mfa_qr"),
    path("mfa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/", views.security, name="security"),
    path("security/devices/<id:pk>/remove/", views.device_remove, name="device_remove"),
    path("security/recovery-codes/", views.recovery_regenerate, name="recovery_regenerate"),
    path("security/password/", views.password_change, name="password_change"),
    path("audit/", views.audit, name="audit"),
]
