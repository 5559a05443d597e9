"""A fixed-window counter in the shared cache, for the pages anyone can reach without signing in
(the public claim form, the public notice page): ``over_rate(key, limit)`` counts one request
and says whether the window's limit is passed. Keys name the client by ``address_key`` (a hash:
the cache holds no address)."""

from __future__ import annotations

import hashlib

RATE_WINDOW = 3600  # seconds


def address_key(address: str) -> str:
    return hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def over_rate(key: str, limit: int, window: int = RATE_WINDOW) -> bool:
    from django.core.cache import cache

    cache.add(key, 0, window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return False
