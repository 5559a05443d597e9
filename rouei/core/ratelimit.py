"""A fixed-window counter in the shared cache, for the pages anyone can reach without signing in
(the public claim form, the public notice page): ``over_rate(key, limit)`` counts one request
and says whether the window's limit is passed. Keys name the client by ``address_key`` (a hash:
the cache holds no address)."""

from __future__ import annotations

import hashlib
import itertools

from django.core.cache.backends.filebased import FileBasedCache

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


class CounterFileCache(FileBasedCache):
    """The file cache for counters written on every request (the API's throttles): Django's
    file cache lists its whole directory on every ``set`` to see whether to cull, the largest
    part of a throttled request's counting. Here the listing is made on one ``set`` in
    ``CULL_EVERY`` per process: the directory can pass ``MAX_ENTRIES`` by that many files at
    most (one file per token or client counted), and is culled as before."""

    CULL_EVERY = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sets = itertools.count()

    def _cull(self):
        if next(self._sets) % self.CULL_EVERY == 0:
            super()._cull()
