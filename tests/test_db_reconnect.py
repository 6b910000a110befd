"""A pooled worker is back within seconds of the database, however long the outage (portal/settings.py
DB_POOL_RECONNECT_TIMEOUT). psycopg_pool retries a lost connection after 1, 2, 4, 8, 16… s; before the
cap, `make chaos` saw a worker serve the 503 page for 28.8 s after a 30 s outage had ended."""

import contextlib
import copy
import os
import socket
import threading
import time

import pytest
from django.db import OperationalError, connections

from portal.db import base


class SwitchableProxy:
    """127.0.0.1:<port> forwarding to the test database; down(): connections refused and the open ones cut."""

    def __init__(self, target):
        self.target = target  # (host, port), or the path of a Unix socket
        self.lock = threading.Lock()
        self.listener = None
        self.sockets = []
        self.port = None
        self.up()

    def up(self):
        self.open = True
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port or 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        with self.lock:
            self.open = False
            self.listener.close()
            cut, self.sockets = self.sockets, []
        for sock in cut:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if isinstance(self.target, str):  # a Unix socket: make test's private server listens on no port
                server = socket.socket(socket.AF_UNIX)
                server.connect(self.target)
            else:
                server = socket.create_connection(self.target)
            with self.lock:
                if not self.open:  # accepted just before the switch: cut too
                    client.close()
                    server.close()
                    return
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def database_target(settings_dict):
    """Where the test database listens: (host, port), or the Unix socket of a socket-only server (make
    test's private PostgreSQL: its URL names the socket folder in OPTIONS["host"], with no port)."""
    options = settings_dict["OPTIONS"]
    host = options.get("host") or settings_dict["HOST"] or "127.0.0.1"
    port = int(options.get("port") or settings_dict["PORT"] or 5432)
    if host.startswith("/"):
        return os.path.join(host, f".s.PGSQL.{port}")
    return (host, port)


def answers(wrapper):
    try:
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except OperationalError:
        return False
    finally:
        wrapper.close()  # back to the pool, as at the end of a request


@pytest.mark.django_db(transaction=True)
def test_a_pooled_worker_answers_within_seconds_after_a_long_outage(settings):
    settings.DB_BACKOFF_SECONDS = 0.5
    base.BACKOFF.reset()
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    proxy = SwitchableProxy(database_target(settings_dict))
    settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    settings_dict["OPTIONS"].pop("host", None)
    settings_dict["OPTIONS"].pop("port", None)
    settings_dict["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": 2,
        "timeout": 0.5,
        "reconnect_timeout": settings.DB_POOL_RECONNECT_TIMEOUT,  # what production uses
    }
    settings_dict["OPTIONS"]["pool_check_idle"] = 0
    # The default alias (django.contrib.postgres looks it up), but a pool of its own: Django keeps pools in
    # one dict per class, by alias, so the suite's own pool is set aside and put back after.
    pools = base.DatabaseWrapper._connection_pools
    suites_pool = pools.pop("default", None)
    wrapper = base.DatabaseWrapper(settings_dict)
    try:
        assert answers(wrapper)
        proxy.down()
        # Readers keep coming through a 20 s outage (uncapped, the pool's retries fall at about 1, 3, 7 and
        # 15 s, and the next one only at about 31 s).
        outage_ends = time.monotonic() + 20
        while time.monotonic() < outage_ends:
            assert not answers(wrapper)
            time.sleep(0.25)
        proxy.up()
        back = time.monotonic()
        while not answers(wrapper) and time.monotonic() - back < 30:
            time.sleep(0.25)
        waited = time.monotonic() - back
        assert waited < 8, f"the first answer came {waited:.1f} s after the database was back"
    finally:
        wrapper.close_pool()
        if suites_pool is not None:
            pools["default"] = suites_pool
        proxy.down()
        base.BACKOFF.reset()
