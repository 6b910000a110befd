"""Django's PostgreSQL backend with a cheaper check of pooled connections and a back-off after a
failed connection.

Pooled connections: with health checks on, Django has psycopg_pool check every connection it hands
out with a round trip to the server (an empty query): one more round trip on every request that
touches the database. This backend checks a pooled connection only when it has been idle in the pool
for longer than `OPTIONS["pool_check_idle"]` seconds (default 1). A connection used a moment ago is
alive unless the server went away in between; then that request fails (the 503 page), Django discards
the broken connection and the next requests get checked or new ones. Set it to 0 to check every time.

Back-off (`ConnectionBackOff`, the one place this per-process state lives): when opening a connection
fails (refused, timed out, pool exhausted waiting), no thread of this process tries that database again
for DB_BACKOFF_SECONDS (default 5). Every request inside the back-off fails at once with
`DatabaseBackingOff` (an OperationalError): readers get the 503 page or a cached page, /healthz its 503,
counted views stay in memory (stats/buffer.py). Without it, each request of an outage waited for the
pool's timeout, several times over (page cache version, view counts, the page itself). When the back-off
ends, one request tries again (the others keep failing fast until it knows): success ends the back-off,
failure starts another.
"""

import threading
import time

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseBackingOff(psycopg.OperationalError):
    """Not tried: a connection to this database failed a moment ago (Django raises it as OperationalError)."""


class ConnectionBackOff:
    """Per process, per database alias: when the last connection attempt failed and who may try next."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.until = {}  # alias -> clock time before which nobody tries
        self.probing = set()  # aliases a thread is trying after their back-off ended

    def enter(self, alias):
        """Return if this thread may try to connect; raise DatabaseBackingOff if not."""
        with self.lock:
            until = self.until.get(alias)
            if until is None:
                return
            left = until - self.clock()
            if left > 0 or alias in self.probing:
                raise DatabaseBackingOff(
                    f"database {alias!r} unavailable: not tried for {max(left, 0):.1f} s more after a failed connection"
                )
            self.probing.add(alias)

    def failed(self, alias, seconds):
        with self.lock:
            self.until[alias] = self.clock() + seconds
            self.probing.discard(alias)

    def succeeded(self, alias):
        with self.lock:
            self.until.pop(alias, None)
            self.probing.discard(alias)

    def backing_off(self, alias):
        with self.lock:
            return alias in self.until

    def reset(self):
        """Forget every failure (tests)."""
        with self.lock:
            self.until.clear()
            self.probing.clear()


BACKOFF = ConnectionBackOff()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("pool_check_idle", None)  # ours, not a libpq parameter
        return params

    @property
    def pool_check_idle(self):
        return float(self.settings_dict["OPTIONS"].get("pool_check_idle", 1.0))

    def get_new_connection(self, conn_params):
        connection = self._connect(conn_params)
        pool = self.pool
        if pool is None:
            return connection
        for _attempt in range(pool.max_size):
            if time.monotonic() - getattr(connection, "portal_returned_at", 0.0) < self.pool_check_idle:
                return connection
            try:
                connection.execute("")  # psycopg_pool's own check: an empty query
                return connection
            except psycopg.Error:
                pool.putconn(connection)  # broken: the pool closes it and opens another
                connection = self._connect(conn_params)
        return connection

    def _connect(self, conn_params):
        """Django's connect (or the pool's getconn), inside the back-off."""
        BACKOFF.enter(self.alias)
        try:
            connection = super().get_new_connection(conn_params)
        except BaseException:
            BACKOFF.failed(self.alias, float(getattr(settings, "DB_BACKOFF_SECONDS", 5)))
            raise
        BACKOFF.succeeded(self.alias)
        return connection

    def _close(self):
        if self.connection is not None and self.pool:
            self.connection.portal_returned_at = time.monotonic()
        return super()._close()
