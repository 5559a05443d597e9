"""A bearer token for ``user`` (tanaka, the lead of ``incident``) and a client that sends it."""

from __future__ import annotations

import json

import pytest

from rouei.api import actions
from tests.incidents.conftest import (  # noqa: F401 — fixtures shared with the incident tests
    FACTS_900,
    incident,
    outsider,
)

BASE = "/api/v1"


class ApiClient:
    """Django's test client speaking JSON to /api/v1 with a bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def as_(self, token: str | None) -> ApiClient:
        return ApiClient(self.client, token)

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get(f"{BASE}{path}", params, headers=self._headers())

    def _send(self, method: str, path: str, body):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return getattr(self.client, method)(f"{BASE}{path}", data=data,
                                            content_type="application/json",
                                            headers=self._headers())

    def post(self, path: str, body):
        return self._send("post", path, body)

    def put(self, path: str, body):
        return self._send("put", path, body)

    def patch(self, path: str, body):
        return self._send("patch", path, body)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 (rouei's hasher) takes most of a test's time when every test creates users; the
    # API tests never check passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def token_for():
    def make(user, **kwargs) -> str:
        return actions.do_create_api_token(user, name="test", actor=user, **kwargs).secret
    return make


@pytest.fixture
def api(client, user, token_for):
    """Acting as ``user`` (tanaka)."""
    return ApiClient(client, token_for(user))
