"""The sign-in forms: password (with the lockout), code, enrolment, password confirmation."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rouei.accounts import throttle
from rouei.accounts.client import client_address


class LoginForm(AuthenticationForm):
    """Django's password form, refusing locked names and addresses before the password is
    checked, and counting every failure."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        address = client_address(self.request)
        if throttle.is_locked(username, address):
            raise ValidationError(throttle.locked_message(), code="locked")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if throttle.record_failure(username, address):
                raise ValidationError(throttle.locked_message(), code="locked")
            raise ValidationError(throttle.invalid_login_message(), code="invalid_login")
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your "
                    "recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "none", "spellcheck": "false"}))


class EnrolForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this authenticator"), max_length=64, initial=_("Authenticator app"),
        help_text=_("For telling your devices apart, e.g. “work phone”."))
    code = forms.CharField(
        label=_("Code shown by the app"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "none"}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class PasswordConfirmForm(forms.Form):
    """Asked again before a change to how this account signs in."""

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."), code="password_incorrect")
        return password


class AccountAuditFilterForm(forms.Form):
    """The filters of the staff page /accounts/audit/ (a GET form)."""

    action = forms.ChoiceField(label=_("Event"), required=False)
    username = forms.CharField(label=_("User name"), max_length=150, required=False)
    address = forms.GenericIPAddressField(label=_("Address"), required=False, unpack_ipv4=True)
    since = forms.DateField(label=_("From date"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To date"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from rouei.accounts.audit import ACCOUNT_ACTIONS

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *ACCOUNT_ACTIONS.items()]
