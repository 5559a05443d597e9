"""The client's address behind a reverse proxy: X-Forwarded-For is believed only from the
proxies named in ROUEI_TRUSTED_PROXIES, read from the right; the lockout and the audit trail
both use it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from rouei.accounts.client import client_address
from rouei.core.models import AuditEvent
from tests.accounts.conftest import LOGIN
from tests.conftest import PASSWORD

LOCKED = "しばらく待ってから"
ATTACKER, OTHER = "203.0.113.5", "198.51.100.7"


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_address_without_trusted_proxies_ignores_the_header(settings):
    settings.ROUEI_TRUSTED_PROXIES = []
    assert client_address(_request("127.0.0.1", "198.51.100.7")) == "127.0.0.1"


def test_client_address_header_from_an_untrusted_peer_is_ignored(settings):
    settings.ROUEI_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request(ATTACKER, "198.51.100.7")) == ATTACKER


@pytest.mark.parametrize("forwarded, expected", [
    (ATTACKER, ATTACKER),
    # The client wrote the left part itself; only what the proxy appended counts.
    (f"1.2.3.4, {ATTACKER}", ATTACKER),
    # Two proxies of ours (nginx on 127.0.0.1 behind a balancer in 10.0.0.0/8).
    (f"1.2.3.4, {ATTACKER}, 10.1.2.3", ATTACKER),
    (f"{ATTACKER}:51234", ATTACKER),
    ("", "127.0.0.1"),
    ("not-an-address", "127.0.0.1"),
    (f"{ATTACKER}, garbage", "127.0.0.1"),
])
def test_client_address_behind_trusted_proxies_reads_from_the_right(settings, forwarded,
                                                                   expected):
    settings.ROUEI_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_address(_request("127.0.0.1", forwarded)) == expected


def test_client_address_ipv6_and_mapped_ipv4(settings):
    settings.ROUEI_TRUSTED_PROXIES = ["::1"]
    assert client_address(_request("::1", "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_address(_request("::ffff:192.0.2.9")) == "192.0.2.9"


def test_client_address_bad_setting_is_a_configuration_error(settings):
    settings.ROUEI_TRUSTED_PROXIES = ["127.0.0.1", "nginx"]
    with pytest.raises(ImproperlyConfigured):
        client_address(_request("127.0.0.1"))


# --- the lockout by address ---------------------------------------------------------------

def _attempt(client, username, forwarded, password="not-the-password"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


def _spray(client, forwarded_for):
    """30 wrong passwords, each for another (unknown) name: the per-address limit."""
    for i in range(30):
        _attempt(client, f"guess{i}", forwarded_for(i))


@pytest.mark.django_db
def test_behind_proxy_the_sprayer_is_locked_out_and_another_client_is_not(client, settings,
                                                                          user, clock):
    settings.ROUEI_TRUSTED_PROXIES = ["127.0.0.1"]
    _spray(client, lambda i: ATTACKER)
    assert LOCKED in _attempt(client, "tanaka", ATTACKER, PASSWORD).content.decode()
    response = _attempt(client, "tanaka", OTHER, PASSWORD)
    assert response.status_code == 302  # signed in
    lock = AuditEvent.objects.get(action="auth.lockout", details__scope="ip")
    assert lock.details["ip"] == ATTACKER
    assert AuditEvent.objects.filter(action="auth.login_failed",
                                     details__ip=ATTACKER).count() == 30
    assert AuditEvent.objects.get(action="auth.login").details["ip"] == OTHER


@pytest.mark.django_db
def test_without_proxy_setting_a_spoofed_header_does_not_dodge_the_lock(client, settings, user,
                                                                        clock):
    settings.ROUEI_TRUSTED_PROXIES = []
    _spray(client, lambda i: f"198.51.100.{i}")  # a new "address" each time
    assert LOCKED in _attempt(client, "tanaka", OTHER, PASSWORD).content.decode()
    assert set(AuditEvent.objects.filter(action="auth.login_failed")
               .values_list("details__ip", flat=True)) == {"127.0.0.1"}
