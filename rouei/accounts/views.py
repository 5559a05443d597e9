"""Sign-in and the account's security page.

Sign-in is two steps for anyone with an authenticator app: the password form (``LoginView``)
does not log the user in but remembers who passed it for five minutes in the session; the code
form (``verify``) then logs in and marks the session verified. A signed-in session that is not
verified (signed in before the app was added) uses the same code form. Failed passwords and
failed codes count towards the same lockout (``throttle``).
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from rouei.accounts import actions, mfa, throttle
from rouei.accounts import audit as account_audit
from rouei.accounts.client import client_address
from rouei.accounts.forms import (
    AccountAuditFilterForm,
    CodeForm,
    EnrolForm,
    LoginForm,
    PasswordConfirmForm,
)
from rouei.core import checkpoints

PENDING = "rouei_mfa_pending"  # who passed the password step, for the code step
PENDING_SECONDS = 5 * 60
SETUP_KEY = "rouei_mfa_setup_key"  # the secret being enrolled, until it is confirmed
SHOW_CODES = "rouei_recovery_codes"  # new recovery codes, until shown once
AUDIT_PAGE_SIZE = 50


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str | None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def verified_if_enrolled(view):
    """A user who has an authenticator must have used it in this session (whether or not MFA
    is required): otherwise an old session could add or remove a second factor."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if mfa.has_authenticator(request.user) and not request.user.is_verified():
            return redirect(_with_next("accounts:verify", request.get_full_path()))
        return view(request, *args, **kwargs)
    return wrapper


class LoginView(auth_views.LoginView):
    """Step 1: the password. With an authenticator, go on to the code; without, signed in."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if mfa.has_authenticator(user):
            self.request.session[PENDING] = {"user": user.pk, "backend": user.backend,
                                             "at": time.time(), "next": self.get_success_url()}
            return redirect("accounts:verify")
        throttle.reset(user.get_username())
        actions.do_record_sign_in(user, method="password",
                                  address=client_address(self.request))
        return super().form_valid(form)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending:
        return None, None
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        del request.session[PENDING]
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _locked_out(request):
    request.session.pop(PENDING, None)
    if request.user.is_authenticated:
        auth_logout(request)
    messages.error(request, throttle.locked_message())
    return redirect("login")


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """Step 2: the code from the authenticator app, or a recovery code."""
    user, pending = _pending_user(request)
    if user is None:
        if not request.user.is_authenticated:
            if request.method == "POST":
                messages.error(request, _("The sign-in took too long. Please enter your "
                                          "password again."))
            return redirect("login")
        if request.user.is_verified():
            return redirect(_safe_next(request, request.GET.get("next")))
        user = request.user
    if not mfa.has_authenticator(user):
        request.session.pop(PENDING, None)
        return redirect("login")
    next_url = pending["next"] if pending else _safe_next(request, request.GET.get("next"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if throttle.is_locked(user.get_username(), address):
            return _locked_out(request)
        device = actions.do_verify_second_factor(user, form.cleaned_data["code"], actor=user,
                                                 address=address)
        if device is None:
            if throttle.record_failure(user.get_username(), address, step="code", user=user):
                return _locked_out(request)
            form.add_error("code", _("The code is not correct (or was already used). Enter "
                                     "the code your app shows now."))
        else:
            throttle.reset(user.get_username())
            if pending:
                del request.session[PENDING]
                auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            actions.do_record_sign_in(user, address=address, method=(
                "recovery_code" if isinstance(device, StaticDevice) else "totp"))
            if isinstance(device, StaticDevice):
                left = mfa.recovery_codes_left(user)
                messages.warning(request, _(
                    "You signed in with a recovery code; %(left)d are left. If your phone is "
                    "lost, remove it and add a new one on the security page.") % {"left": left})
            return redirect(_safe_next(request, next_url))
    return render(request, "accounts/verify.html", {"form": form, "pending": bool(pending)})


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Add an authenticator app: scan the QR code (or type the key), confirm with a code."""
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = mfa.new_secret()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = EnrolForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        step = mfa.check_new_code(key, form.cleaned_data["code"])
        if step is None:
            form.add_error("code", _("The code does not match. Check the app's clock and "
                                     "enter the code it shows now."))
        else:
            enrolment = actions.do_enrol_totp(request.user, key=key, last_t=step,
                                              name=form.cleaned_data["name"],
                                              actor=request.user,
                                              address=client_address(request))
            del request.session[SETUP_KEY]
            otp_login(request, enrolment.device)
            messages.success(request, _("Two-factor sign-in is set up. From now on you will "
                                        "be asked for a code after your password."))
            target = _safe_next(request, form.cleaned_data["next"] or None)
            if enrolment.recovery_codes:
                request.session[SHOW_CODES] = {"codes": enrolment.recovery_codes,
                                               "next": target}
                return redirect("accounts:recovery_codes")
            return redirect(target)
    return render(request, "accounts/mfa_setup.html", {
        "form": form, "secret": mfa.secret_for_typing(key),
        "required": mfa.mfa_required() and not mfa.has_authenticator(request.user),
        "first": not mfa.has_authenticator(request.user)})


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "HEAD"])
def mfa_qr(request):
    """The QR code of the key being enrolled, as SVG from this site (the CSP allows 'self')."""
    key = request.session.get(SETUP_KEY)
    if not key:
        raise Http404
    svg = mfa.qr_svg(mfa.provisioning_uri(request.user, key))
    return HttpResponse(svg, content_type="image/svg+xml")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def recovery_codes(request):
    """New recovery codes, shown this once."""
    shown = request.session.pop(SHOW_CODES, None)
    if not shown:
        messages.info(request, _("Recovery codes are shown only once. If you no longer have "
                                 "them, make new ones here."))
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {
        "codes": [mfa.show_recovery_code(c) for c in shown["codes"]],
        "next": _safe_next(request, shown["next"])})


def _security_page(request, *, password_form=None, confirm_form=None, status=200):
    user = request.user
    return render(request, "accounts/security.html", {
        "sign_ins": account_audit.recent_sign_ins(user),
        "devices": list(mfa.authenticators(user)),
        "codes_left": mfa.recovery_codes_left(user),
        "has_authenticator": mfa.has_authenticator(user),
        "required": mfa.mfa_required(),
        "password_form": password_form or PasswordChangeForm(user),
        "confirm_form": confirm_form or PasswordConfirmForm(user),
    }, status=status)


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "HEAD"])
def security(request):
    """The account page: authenticator apps, recovery codes, password."""
    return _security_page(request)


@never_cache
@login_required
@verified_if_enrolled
@require_POST
def device_remove(request, pk):
    device = get_object_or_404(mfa.authenticators(request.user), pk=pk)
    form = PasswordConfirmForm(request.user, request.POST)
    if not form.is_valid():
        return _security_page(request, confirm_form=form, status=400)
    codes_removed = actions.do_remove_totp_device(device, actor=request.user,
                                                  address=client_address(request))
    if codes_removed:
        messages.success(request, _("The authenticator was removed, and with it your recovery "
                                    "codes: sign-in no longer asks for a code."))
    else:
        messages.success(request, _("The authenticator was removed."))
    return redirect("accounts:security")


@never_cache
@login_required
@verified_if_enrolled
@require_POST
def recovery_regenerate(request):
    if not mfa.has_authenticator(request.user):
        return redirect("accounts:security")
    form = PasswordConfirmForm(request.user, request.POST)
    if not form.is_valid():
        return _security_page(request, confirm_form=form, status=400)
    codes = actions.do_regenerate_recovery_codes(request.user, actor=request.user,
                                                 address=client_address(request))
    request.session[SHOW_CODES] = {"codes": codes, "next": reverse("accounts:security")}
    return redirect("accounts:recovery_codes")


@never_cache
@login_required
@verified_if_enrolled
@require_POST
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _security_page(request, password_form=form, status=400)
    actions.do_change_password(request.user, form.cleaned_data["new_password1"],
                               actor=request.user, address=client_address(request))
    update_session_auth_hash(request, request.user)  # this session stays signed in
    messages.success(request, _("Your password was changed."))
    return redirect("accounts:security")


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "HEAD"])
def audit(request):
    """Account events for staff (is_staff): who, when, what, from which address; 404 for
    anyone else, as if the page did not exist."""
    if not request.user.is_staff:
        raise Http404
    form = AccountAuditFilterForm(request.GET or None)
    events = account_audit.account_events()
    if form.is_bound and form.is_valid():
        events = account_audit.filter_events(events, **form.cleaned_data)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = account_audit.describe_page(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit.html", {"form": form, "page": page,
                                                   "query": query.urlencode(),
                                                   "failing_sinks": checkpoints.failing_sinks()})
