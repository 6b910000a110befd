"""Django's PostgreSQL backend with a cheaper check of pooled connections.

With health checks on, Django has psycopg_pool check every connection it hands out with a round trip
to the server (an empty query): one more round trip on every request that touches the database.
This backend checks a pooled connection only when it has been idle in the pool for longer than
`OPTIONS["pool_check_idle"]` seconds (default 1). A connection used a moment ago is alive unless the
server went away in between; then that request fails (the 503 page), Django discards the broken
connection and the next requests get checked or new ones. Set it to 0 to check every time.
"""

import time

import psycopg
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("pool_check_idle", None)  # ours, not a libpq parameter
        return params

    @property
    def pool_check_idle(self):
        return float(self.settings_dict["OPTIONS"].get("pool_check_idle", 1.0))

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
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
                connection = super().get_new_connection(conn_params)
        return connection

    def _close(self):
        if self.connection is not None and self.pool:
            self.connection.portal_returned_at = time.monotonic()
        return super()._close()
