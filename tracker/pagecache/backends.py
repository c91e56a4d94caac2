"""Django's Redis cache, trimmed of two per-call costs that the cached pages pay hundreds of times a request.

The caseload looks up one data version per patient (versions.py): 500 keys
for a large caseload, on every request. Django's backend spends more on each
key than Redis does: it checks every key for memcached's rules (length,
spaces and control characters, which Redis does not have; the keys here are
made by this package, short and ASCII), and it builds a new redis-py client,
with its table of reply handlers, for every call. This one skips the check
and keeps one client per connection pool.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # A redis-py client holds no connection of its own (the pool does), so one can serve every call.
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def validate_key(self, key: str) -> None:
        """No memcached rules for Redis keys (see the module's docstring)."""
