"""Django's Redis cache with one client object per connection pool,
publish/subscribe for announcing a new content generation (articles/cache.py),
and a site that keeps working when Redis does not.

When Redis cannot be reached, reads miss and writes are dropped (logged), so
pages are rendered afresh: slower, never wrong. What must know that Redis
failed (the health check, the content generation) uses the *_or_raise calls.

Django builds a new redis.Redis client for every cache call, and that
constructor costs about as much as the round trip to Redis (it fills a table
of several hundred response callbacks). The clients are thread-safe and share
their pool, so one per pool is enough.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
FAILURES = (RedisError, OSError)
# After a failure, Redis is left alone this long (seconds).
RETRY_AFTER = 2


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.down_until = 0.0

    def guarded(self, call, *args):
        """Make a call on Redis; while Redis is known to be down, fail at
        once rather than wait for a timeout on every cache call of a page."""
        if time.monotonic() < self.down_until:
            raise RedisConnectionError(f"Redis failed less than {RETRY_AFTER} s ago")
        try:
            return call(*args)
        except FAILURES:
            self.down_until = time.monotonic() + RETRY_AFTER
            raise

    def tolerant(self, call, default, *args):
        try:
            return self.guarded(call, *args)
        except FAILURES as error:
            logger.warning("Redis is unavailable, rendering without the cache: %r", error)
            return default

    def get(self, key, default=None, version=None):
        return self.tolerant(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self.tolerant(super().get_many, {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.tolerant(super().set, None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.tolerant(super().add, False, key, value, timeout, version)

    def delete(self, key, version=None):
        return self.tolerant(super().delete, False, key, version)

    def get_or_raise(self, key):
        return self.guarded(super().get, key)

    def set_or_raise(self, key, value, timeout=DEFAULT_TIMEOUT):
        self.guarded(super().set, key, value, timeout)

    def ping(self):
        return self.guarded(self._cache.get_client(write=True).ping)

    def publish(self, channel):
        """Tell every subscriber that something changed (no payload)."""
        self.guarded(self._cache.get_client(write=True).publish, self.make_key(channel), b"")

    def subscribe(self, channel):
        """A subscription to `channel` on its own connection: poll it with
        get_message(timeout=0), which never waits for Redis."""
        subscription = self._cache.get_client().pubsub()
        self.guarded(subscription.subscribe, self.make_key(channel))
        return subscription
