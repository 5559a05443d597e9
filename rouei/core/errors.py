"""The one error type of actions: a refused action with a code (for tests, the API and other
programs), a message for people, and the field it is about when a person can mend it.

Pages map it once (``rouei.core.views.incident_view``: the message on an error page with the
error's HTTP status, unless the view handled it to re-show its form), and the API maps it once
(``rouei.api.v1``: ``{"detail", "code", "field"}`` with the same status). Never a 500.
"""

from __future__ import annotations


class ActionError(Exception):
    """A refused action. ``status`` is the HTTP status pages and the API answer with: 400 for
    a request that cannot be done as asked, 409 for one that conflicts with the current state
    (someone saved first, open duties). ``extra`` holds values the API adds to its body (codes,
    versions, ids; never personal data)."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None,
                 status: int | None = None, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        self.extra = extra


class Conflict(ActionError):
    """The action conflicts with the current state of the case (HTTP 409)."""

    status = 409
