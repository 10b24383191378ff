"""Django's Redis cache with one client object per connection pool, and
publish/subscribe for announcing a new content generation (articles/cache.py).

Django builds a new redis.Redis client for every cache call, and that
constructor costs about as much as the round trip to Redis (it fills a table
of several hundred response callbacks). The clients are thread-safe and share
their pool, so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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

    def publish(self, channel):
        """Tell every subscriber that something changed (no payload)."""
        self._cache.get_client(write=True).publish(channel, b"")

    def subscribe(self, channel):
        """A subscription to `channel` on its own connection: poll it with
        get_message(timeout=0), which never waits for Redis."""
        subscription = self._cache.get_client().pubsub()
        subscription.subscribe(channel)
        return subscription
