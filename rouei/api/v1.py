"""The REST API, version 1 (``/api/v1/``): the NinjaAPI, its error bodies and its limits.

- Every endpoint needs ``Authorization: Bearer <token>`` (``rouei.api.auth``); the OpenAPI
  document (``/api/v1/openapi.json``) and its docs page (``/api/v1/docs``, Swagger UI served from
  rouei's own static files, no CDN, under the same strict CSP as every page) do not.
- Errors are JSON ``{"detail", "code"}``; validation errors add ``errors`` with each field's
  location and code (``ValidationErrorOut``), also for bad facts (the domain's field and code).
- Bodies over ``MAX_BODY_BYTES`` are refused (413) before they are read; unknown fields are 422.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from rouei.api import incidents, reports, tasks
from rouei.api.auth import TokenAuth
from rouei.api.common import (
    MAX_BODY_BYTES,
    error,
    facts_error,
    pydantic_errors,
    to_json,
    validation_error,
)
from rouei.core.errors import ActionError
from rouei.domain.facts import FactsError


class Utf8JSONRenderer(JSONRenderer):
    """Japanese as UTF-8 text, not \\u escapes."""

    def render(self, request, data, *, response_status):
        return to_json(data, self.encoder_class)


api = NinjaAPI(
    title="rouei API",
    version="1",
    description=(
        "The incident workspace of rouei (漏えい対応): open incidents, read and update their "
        "facts, read the assessment and deadlines under the APPI, list and update tasks, "
        "change the status (a close with open duties is refused), record filed reports. "
        "Authenticate with `Authorization: Bearer <token>`; create a token at /api/tokens/ or "
        "with `rouei token create USER --name NAME`. A request acts as the token's user, with "
        "exactly that user's incident memberships."),
    urls_namespace="api:v1",
    auth=TokenAuth(),
    # ninja is in INSTALLED_APPS, so Swagger UI comes from its bundled static files (no CDN);
    # it works under the strict Content-Security-Policy of every other page.
    docs=Swagger(),
    renderer=Utf8JSONRenderer(),
)


def _limit_body(run):
    """Refuse a body over MAX_BODY_BYTES (413) before anything reads it."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return error(413, "too_large", _("The request body is too large (at most %(n)s "
                                             "bytes).") % {"n": MAX_BODY_BYTES})
        return run(request, *args, **kwargs)

    return wrapper


api.add_decorator(_limit_body, mode="view")


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = error(401, "unauthorized", _("A valid API token is required "
                                            "(Authorization: Bearer <token>)."))
    response["WWW-Authenticate"] = 'Bearer realm="rouei"'
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    # The same body for a missing incident and one the user is not a member of.
    return error(404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error(403, "forbidden", str(exc) or _("You may not do this."))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return validation_error(pydantic_errors(exc.errors))


@api.exception_handler(FactsError)
def _bad_facts(request, exc):
    return validation_error([facts_error(exc)])


@api.exception_handler(ActionError)
def _refused(request, exc):
    # Every refused action, from every app: its status (400, or 409 for a conflict), its code,
    # the field when a person can mend it, and the values it adds (versions, etags).
    extra = {"field": exc.field} if exc.field else {}
    return error(exc.status, exc.code, exc.message, **extra, **exc.extra)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return error(413, "too_large", _("The request body is too large."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # ninja's own (e.g. an unparsable JSON body): a message of ninja's, never the input.
    code = "bad_request" if exc.status_code == 400 else f"http_{exc.status_code}"
    return error(exc.status_code, code, exc.message)


api.add_router("", incidents.router)
api.add_router("", tasks.router)
api.add_router("", reports.router)
api.add_router("", "rouei.api.intake.router")
api.add_router("", "rouei.api.people.router")
api.add_router("", "rouei.api.estimates.router")
# The notices' literal path (…/documents/notices) before the documents' …/documents/{kind}.
api.add_router("", "rouei.api.notices.router")
api.add_router("", "rouei.api.documents.router")
