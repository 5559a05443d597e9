"""The API tokens page (``/api/tokens/``): the logged-in user's own tokens, create and revoke.

A new token is shown once, on the page that answers the POST (never stored, never redirected
through a URL, never cached); afterwards only its prefix is shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rouei.api import actions
from rouei.api.forms import TokenCreateForm
from rouei.api.models import ApiToken


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = actions.do_create_api_token(
            request.user, name=form.cleaned_data["name"], expires_at=form.expires_at(),
            actor=request.user)
        form = TokenCreateForm()
    return render(request, "api/tokens.html", {
        "form": form,
        "created": created,
        "tokens": ApiToken.objects.filter(user=request.user),
    })


@never_cache
@login_required
@require_POST
def revoke(request, pk):
    # Another user's token is "not found", as a missing one.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if not token.revoked:
        actions.do_revoke_api_token(token, actor=request.user)
        messages.success(request, _("The token %(prefix)s… was revoked.")
                         % {"prefix": token.prefix})
    return redirect("api:tokens")
