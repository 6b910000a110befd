"""Programs the tests start (gunicorn, manage.py, pg_dump, psql): one way to give them the test database,
and waits that always end.

The private PostgreSQL of `make test` listens only on a Unix socket in its data folder, so a program
started by a test must get the test database's *real* connection parameters (host may be a socket
folder), never an address typed by hand.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def database_url(dbname=None, alias="default"):
    """A URL for the database the tests use (or `dbname` on the same server), readable by libpq
    (pg_dump, psql) and by dj-database-url (manage.py, gunicorn). A socket folder goes in the host
    part, percent-encoded, as libpq documents."""
    from django.db import connections

    params = connections[alias].get_connection_params()
    user = quote(params.get("user") or "postgres", safe="")
    password = params.get("password")
    auth = user + (":" + quote(password, safe="") if password else "")
    host = params.get("host") or ""
    if not host:
        raise RuntimeError("The test database has no host: set DATABASE_URL or run through scripts/withdb.py.")
    port = params.get("port")
    netloc = quote(host, safe="") + (f":{port}" if port else "")
    return f"postgresql://{auth}@{netloc}/{quote(dbname or params['dbname'], safe='')}"


def environment(dbname=None, **overrides):
    """os.environ for a child process, with DATABASE_URL pointing at the test database."""
    env = dict(os.environ, DATABASE_URL=database_url(dbname))
    env.update({key: str(value) for key, value in overrides.items()})
    return {key: value for key, value in env.items() if value is not None}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, env, timeout=300, **kwargs):
    """subprocess.run with a timeout (a stuck child fails the test instead of hanging it)."""
    kwargs.setdefault("cwd", BASE_DIR)
    return subprocess.run(args, env=env, timeout=timeout, **kwargs)


def manage(*args, env, timeout=300, **kwargs):
    return run([sys.executable, "manage.py", *args], env=env, timeout=timeout, **kwargs)


def get(url, timeout=10, headers=None):
    """(status, body) of a GET; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 test", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Server:
    """A server process whose output goes to a file: reading it never blocks, even while it runs."""

    def __init__(self, args, env, cwd=BASE_DIR):
        self.log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(args, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self, last=4000):
        return Path(self.log.name).read_text(errors="replace")[-last:]

    def wait_until_up(self, url, timeout=60):
        """Poll `url` until it answers (any status); fail with the server's output if it exits or times out."""
        import pytest

        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                if self.process.poll() is not None:
                    pytest.fail(f"{self.process.args[0]} exited ({self.process.returncode}):\n{self.output()}")
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"{self.process.args[0]} did not answer in {timeout} s:\n{self.output()}")
                time.sleep(0.2)

    def stop(self, timeout=30):
        """SIGTERM, then SIGKILL if it has not ended within `timeout` seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)


@contextlib.contextmanager
def running_gunicorn(*args, env, port=None, health="/healthz", timeout=60):
    """The portal under gunicorn on 127.0.0.1:`port` with `env`; yields (url, Server)."""
    port = port or free_port()
    server = Server(
        [str(BIN / "gunicorn"), *args, "--bind", f"127.0.0.1:{port}", "portal.wsgi:application"],
        env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        server.wait_until_up(url + health, timeout=timeout)
        yield url, server
    finally:
        server.stop()
