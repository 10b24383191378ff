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

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
FAILURES = (RedisError, OSError)


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

    def report(self, error):
        logger.warning("Redis is unavailable, rendering without the cache: %r", error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except FAILURES as error:
            self.report(error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except FAILURES as error:
            self.report(error)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except FAILURES as error:
            self.report(error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except FAILURES as error:
            self.report(error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except FAILURES as error:
            self.report(error)
            return False

    def get_or_raise(self, key):
        return super().get(key)

    def set_or_raise(self, key, value, timeout=DEFAULT_TIMEOUT):
        super().set(key, value, timeout)

    def ping(self):
        return self._cache.get_client(write=True).ping()

    def publish(self, channel):
        """Tell every subscriber that something changed (no payload)."""
        self._cache.get_client(write=True).publish(channel, b"")

    def subscribe(self, channel):
        """A subscription to `channel` on its own connection: poll it with
        get_message(timeout=0), which never waits for Redis."""
        subscription = self._cache.get_client().pubsub()
        subscription.subscribe(channel)
        return subscription
