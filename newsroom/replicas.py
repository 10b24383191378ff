"""Read replicas (DATABASE_REPLICA_URL): anonymous readers' pages are read
from the replica, everything else (the admin, previews, saves, conflict
checks, the workers) from the primary.

A page is rendered in a content generation (articles/cache.py), which
records how far the primary's log had gone when it began. A replica that
has not replayed that far yet would render the new generation from old
data, and the copy would be kept as new: the page is read from the primary
instead. So an edit is never stale once committed, whatever the replica's
lag, and a purge needs not wait for replicas.
"""

import threading
import time
from contextvars import ContextVar

from django.db import DatabaseError, connections

REPLICA = "replica"
# A replica that failed is left alone this long before it is tried again.
RETRY_SECONDS = 5

# Whether the request being answered may read from the replica.
reading_replica = ContextVar("reading_replica", default=False)


class ReplicaState:
    """This process's knowledge of the replica: how far it is known to have
    replayed, and until when it is left alone after a failure."""

    def __init__(self):
        self.lock = threading.Lock()
        self.replayed = -1
        self.down_until = 0.0

    def caught_up(self, position):
        """Whether the replica has replayed the primary's log up to `position`."""
        if position is None or time.monotonic() < self.down_until:
            return False
        if self.replayed >= position:
            return True
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(LOG_POSITION.format("pg_last_wal_replay_lsn()"))
                replayed = cursor.fetchone()[0]
        except DatabaseError:
            self.failed()
            return False
        with self.lock:
            self.replayed = max(self.replayed, replayed or -1)
        return self.replayed >= position

    def failed(self):
        self.down_until = time.monotonic() + RETRY_SECONDS
        connections[REPLICA].close()


# A log position as a number (a pg_lsn is "16/B374D848").
LOG_POSITION = "SELECT pg_wal_lsn_diff({}, '0/0')::bigint"
replica = ReplicaState()


def has_replica():
    return REPLICA in connections.settings


def primary_position():
    """How far the primary's log has gone (None without a replica): a
    generation records it when it begins."""
    if not has_replica():
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute(LOG_POSITION.format("pg_current_wal_lsn()"))
        return cursor.fetchone()[0]


def read_from_replica(state):
    """Let this request's reads go to the replica if it has replayed what
    the generation `state` began with."""
    allowed = has_replica() and state is not None and replica.caught_up(state.get("position"))
    reading_replica.set(allowed)
    return allowed


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if reading_replica.get() else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA
