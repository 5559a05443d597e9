"""``RequireMFAMiddleware``: with ``ROUEI_REQUIRE_MFA`` on, a signed-in user whose session is not
verified by a second factor reaches no page but the sign-in and enrolment ones.

Installed after django-otp's ``OTPMiddleware`` (which gives ``request.user.is_verified()``). A
user with an authenticator app goes to the code form; one without goes to enrolment. Either
way they come back to the page they asked for. Requests that are not signed in (the API's
tokens, static files, the login page) pass untouched.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from rouei.accounts import mfa

# What an unverified session may still open: signing in, out, enrolling, the language switch.
OPEN_VIEWS = frozenset({"login", "logout", "set_language", "accounts:verify",
                        "accounts:mfa_setup", "accounts:mfa_qr", "accounts:recovery_codes"})


# The REST API (rouei/api/v1.py) accepts only Bearer tokens; a browser's session does not
# authenticate there, so its second factor does not matter.
TOKEN_API_PREFIX = "/api/v1/"  # noqa: S105 — a URL prefix, not a password


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not mfa.mfa_required():
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS:
            return None
        if request.path.startswith(TOKEN_API_PREFIX):
            return None  # the API authenticates each request by its token, never the session
        target = reverse("accounts:verify" if mfa.has_authenticator(user)
                         else "accounts:mfa_setup")
        if request.method in ("GET", "HEAD"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
