"""Bearer-token authentication for the API (``Authorization: Bearer rouei_…``).

The request then acts as the token's user: ``request.auth`` is the user (the actor of every
audited action), ``request.api_token`` the token. Missing, unknown, revoked and expired tokens
and disabled users all get the same 401. Nothing of the header is ever logged.
"""

from __future__ import annotations

from ninja.security import HttpBearer

from rouei.api import actions


class TokenAuth(HttpBearer):
    def __call__(self, request):
        # HttpBearer's own __call__ logs an unexpected header in DEBUG; ours logs nothing.
        scheme, _, raw = (request.headers.get(self.header) or "").strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token: str):
        found = actions.authenticate(token)
        if found is None:
            return None
        request.user = found.user  # so anything reading request.user sees the token's user
        request.api_token = found
        return found.user
