"""Exact counts under parallel load: Django's threaded live server, and gunicorn with several workers."""

import contextlib
import re
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from stats.models import VisitorDay
from stats.services import article_views, traffic
from tests import subprocesses

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# Parallel requests in flight: each server thread holds a database connection, and other test runs
# share the server's connection limit.
PARALLEL = 32
SHOWN = re.compile(r"Lượt xem: ([\d.]+)")


def get(url, cookie=None):
    headers = {"User-Agent": BROWSER}
    if cookie:
        headers["Cookie"] = f"vid={cookie}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:  # noqa: S310
        assert response.status == 200
        return response.read().decode()


def in_parallel(url, cookies):
    """GET url once per cookie (None: a newcomer), PARALLEL at a time, released together; the counts shown."""
    start = threading.Event()

    def one(cookie):
        start.wait(timeout=30)
        return int(SHOWN.search(get(url, cookie)).group(1).replace(".", ""))

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        futures = [pool.submit(one, cookie) for cookie in cookies]
        time.sleep(0.2)  # let the workers reach the gate
        start.set()
        return [future.result() for future in futures]


def newcomers(n):
    """n distinct readers, each with a cookie of its own, as bench's visitors.lua sends them: these tests test
    the cookie-keeping rule (requests without a cookie count only a few a minute per address: that rule is
    tested in tests/test_stats_counting.py)."""
    return [uuid.uuid4().hex for _ in range(n)]


def count(article):
    return article_views(article.pk)


def settled_count(article, expected, seconds=15):
    """The count once the workers' batches are written (a batch every STATS_FLUSH_SECONDS): wait
    until it reaches `expected`, then a little longer, so a count past it would show too."""
    deadline = time.monotonic() + seconds
    while count(article) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)
    return count(article)


@pytest.fixture
def flusher(settings):
    """Batches written by the background thread, as in production (not after each request)."""
    settings.STATS_FLUSH_THREAD = True


def includes_own_view(shown, total):
    """Each reader's number counts their own view and no view that was never made."""
    return all(1 <= n <= total for n in shown)


@pytest.mark.django_db(transaction=True)
def test_200_distinct_visitors_at_once_count_200(live_server, flusher, article):
    shown = in_parallel(live_server.url + article.get_absolute_url(), newcomers(200))
    assert settled_count(article, 200) == 200
    assert includes_own_view(shown, 200)
    assert list(traffic().values()) == [(200, 200)]  # one day: 200 visits, 200 views
    assert VisitorDay.objects.count() == 200


@pytest.mark.django_db(transaction=True)
def test_200_at_once_count_200_also_written_one_by_one(live_server, settings, article):
    settings.STATS_FLUSH_SECONDS = 0  # each view written in its own request
    shown = in_parallel(live_server.url + article.get_absolute_url(), newcomers(200))
    assert count(article) == 200  # nothing held: written before each page was sent
    assert includes_own_view(shown, 200)
    assert list(traffic().values()) == [(200, 200)]


@pytest.mark.django_db(transaction=True)
def test_one_visitor_in_parallel_counts_once(live_server, flusher, article):
    visitor = uuid.uuid4().hex
    shown = in_parallel(live_server.url + article.get_absolute_url(), [visitor] * 40)
    assert settled_count(article, 1) == 1
    assert set(shown) == {1}  # one server process: every one of them sees the one view
    assert list(traffic().values()) == [(1, 1)]


@pytest.mark.django_db(transaction=True)
def test_many_visitors_many_articles_in_parallel(live_server, flusher, make_article):
    articles = [make_article(f"Bài số {n}") for n in range(4)]
    visitors = [uuid.uuid4().hex for _ in range(30)]
    jobs = [(a, v) for a in articles for v in visitors] * 2  # everyone reads everything twice

    def one(job):
        article, visitor = job
        get(live_server.url + article.get_absolute_url(), visitor)

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        list(pool.map(one, jobs))
    assert [settled_count(a, 30) for a in articles] == [30, 30, 30, 30]
    assert list(traffic().values()) == [(30, 120)]


@pytest.mark.django_db(transaction=True)
def test_rollup_folding_shards_while_readers_count_loses_nothing(live_server, flusher, article):
    """stats_rollup deletes shard rows and adds them to shard 0 while views keep landing in them."""
    from django.db import connections

    from stats.models import ArticleViews
    from stats.services import rollup

    stop = threading.Event()
    folds = []

    def fold_again_and_again():
        try:
            while not stop.is_set():
                done = rollup()
                if done:
                    folds.append(done["articleviews_folded"])
        finally:
            connections.close_all()

    def folded_more_than(n):
        deadline = time.monotonic() + 30
        while sum(map(bool, folds)) <= n and time.monotonic() < deadline:
            time.sleep(0.02)
        return sum(map(bool, folds)) > n

    folder = threading.Thread(target=fold_again_and_again)
    folder.start()
    shown = []
    try:
        # Four waves: each starts only once the folder has folded the rows of the one before, so views
        # land while it folds, however fast or slow the machine (one wave of 200 could end before a fold).
        for wave in range(4):
            shown += in_parallel(live_server.url + article.get_absolute_url(), newcomers(50))
            assert folded_more_than(wave), f"no fold after wave {wave + 1}"
        assert settled_count(article, 200) == 200
    finally:
        stop.set()
        folder.join(timeout=60)
    assert count(article) == 200
    assert includes_own_view(shown, 200)
    rollup()
    assert list(ArticleViews.objects.filter(article_id=article.pk).values_list("shard", "views")) == [(0, 200)]


@contextlib.contextmanager
def running_gunicorn(**settings):
    """The portal under gunicorn, 3 worker processes × 4 threads, on the test database; `settings` are
    environment variables. Yields (url, process)."""
    env = subprocesses.environment(
        DJANGO_SETTINGS_MODULE="portal.settings_test", DEBUG="1", STATS_FLUSH_THREAD="1", **settings
    )
    args = ["--workers", "3", "--threads", "4", "--log-level", "warning"]
    with subprocesses.running_gunicorn(*args, env=env) as (url, server):
        yield url, server.process


@pytest.fixture
def gunicorn(transactional_db):
    with running_gunicorn() as (url, _process):
        yield url


def test_200_distinct_visitors_across_gunicorn_workers_count_200(gunicorn, article):
    shown = in_parallel(gunicorn + article.get_absolute_url(), newcomers(200))
    assert settled_count(article, 200) == 200
    assert includes_own_view(shown, 200)
    assert list(traffic().values()) == [(200, 200)]


def test_one_visitor_across_gunicorn_workers_counts_once(gunicorn, article):
    in_parallel(gunicorn + article.get_absolute_url(), [uuid.uuid4().hex] * 30)
    assert settled_count(article, 1) == 1


@pytest.mark.django_db(transaction=True)
def test_workers_that_stop_write_the_views_they_hold(article):
    """Batches every hour: the views wait in the workers, which write them when gunicorn stops them."""
    with running_gunicorn(STATS_FLUSH_SECONDS="3600") as (url, process):
        in_parallel(url + article.get_absolute_url(), newcomers(60))
        time.sleep(1)
        assert count(article) < 60  # held (a worker writes its batch only to build the visitor box)
        process.terminate()
        process.wait(timeout=30)
    assert count(article) == 60
    assert list(traffic().values()) == [(60, 60)]
