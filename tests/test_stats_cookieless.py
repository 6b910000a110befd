"""The cookieless views cap holds across worker processes and servers without a shared cache.

Views that come without the visitor cookie count at most STATS_COOKIELESS_PER_MINUTE a minute per client
address per article. With the local-memory cache (no REDIS_URL) each worker's cache lets that many
through; the batch statement (stats/buffer.py) then counts them in PostgreSQL, so the cap is the cap
in total, not per worker or per server.
"""

import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stats import buffer
from stats.days import local_day
from stats.models import CookielessMinute, VisitorDay
from stats.services import article_views, rollup
from tests import subprocesses

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BROWSER = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
SCRIPT = "a" * 64  # a client address hash (core.clientip): the script's
OTHER = "b" * 64


def cookieless(held, article, moment, client=SCRIPT):
    return held.add_view(article.pk, uuid.uuid4(), moment, local_day(moment), 0, client)


@pytest.mark.django_db
def test_two_workers_each_letting_the_cap_through_count_the_cap_once(article, settings):
    """Each worker's own cache lets 3 through (the limit); the database counts 3 in all."""
    assert settings.STATS_COOKIELESS_PER_MINUTE == 3
    first, second = buffer.ViewBuffer(), buffer.ViewBuffer()
    now = datetime(2026, 12, 3, 9, 0, 5, tzinfo=VN)
    for held in (first, second):
        for n in range(3):
            cookieless(held, article, now + timedelta(seconds=n))
    first.flush()
    second.flush()
    assert article_views(article.pk) == 3
    # The refused views' visitors (cookies nobody sent back) are not noted as visits either.
    assert VisitorDay.objects.count() == 3


@pytest.mark.django_db
def test_the_cap_is_per_minute_per_address_per_article(article, make_article):
    other_article = make_article("Bài khác")
    held = buffer.ViewBuffer()
    now = datetime(2026, 12, 3, 9, 0, 5, tzinfo=VN)
    for _ in range(5):
        cookieless(held, article, now)
        cookieless(held, article, now, client=OTHER)
        held.add_view(other_article.pk, uuid.uuid4(), now, local_day(now), 0, SCRIPT)
    held.flush()
    assert (article_views(article.pk), article_views(other_article.pk)) == (6, 3)
    for _ in range(5):  # the next minute: three more
        cookieless(held, article, now + timedelta(minutes=1))
    held.flush()
    assert article_views(article.pk) == 9


@pytest.mark.django_db
def test_readers_with_the_cookie_in_the_same_batch_all_count(article):
    held = buffer.ViewBuffer()
    now = datetime(2026, 12, 3, 9, 0, 5, tzinfo=VN)
    for _ in range(10):
        cookieless(held, article, now)
        held.add_view(article.pk, uuid.uuid4(), now, local_day(now))  # a reader who kept the cookie
    held.flush()
    assert article_views(article.pk) == 3 + 10


@pytest.mark.django_db
def test_old_minutes_are_swept(article):
    held = buffer.ViewBuffer()
    then = datetime(2026, 12, 3, 9, 0, 5, tzinfo=VN)
    cookieless(held, article, then)
    held.flush()
    assert CookielessMinute.objects.count() == 1
    rollup(now=then + timedelta(minutes=3))
    assert CookielessMinute.objects.count() == 0


def get_without_cookie(url):
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        assert response.status == 200
        assert "vid=" in response.headers.get("Set-Cookie", "")


def minute_now():
    return int(time.time() // 60)


def test_cookieless_cap_across_two_gunicorn_workers(transactional_db, article):
    """Two real worker processes, each with its own local-memory cache, get 40 cookieless requests from
    one address for one article: the count rises by the cap (3) per minute in total, not 3 per worker."""
    while time.time() % 60 > 40:  # start early in a minute, so the run seldom spans two
        time.sleep(0.5)
    env = subprocesses.environment(
        DJANGO_SETTINGS_MODULE="portal.settings_test", DEBUG="1", STATS_FLUSH_THREAD="1", REDIS_URL=None
    )
    # Sync workers, one request at a time each: with 8 requests in flight both workers take some.
    args = ["--workers", "2", "--worker-class", "sync", "--log-level", "warning"]
    with subprocesses.running_gunicorn(*args, env=env) as (url, server):
        workers = _children(server.process.pid)
        assert len(workers) == 2
        before = _cpu_ticks(workers)
        first_minute = minute_now()
        start = threading.Event()

        def one(_):
            start.wait(timeout=30)
            get_without_cookie(url + article.get_absolute_url())

        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(one, n) for n in range(40)]
            time.sleep(0.2)
            start.set()
            for future in futures:
                future.result()
        minutes = minute_now() - first_minute + 1
        busy = sum(_cpu_ticks(workers)[w] > before[w] for w in workers)
        time.sleep(1.5)  # the workers' batches (every STATS_FLUSH_SECONDS) are written
        counted = article_views(article.pk)
    assert busy == 2, "both workers should have served requests"
    assert 1 <= counted <= 3 * minutes, f"{counted} views counted in {minutes} minute(s)"


def _children(pid):
    from pathlib import Path

    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.add(int(status.parent.name))
    return found


def _cpu_ticks(pids):
    """Each process's CPU time (utime + stime, in clock ticks): a worker that serves requests uses some."""
    from pathlib import Path

    ticks = {}
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks
