"""portal/dbrouter.py: which database a request reads from, when a replica is configured.

The test settings have no replica (DATABASE_REPLICA_URL unset), so these tests switch the middleware on
and stand in for the replica's health; the real replica is tested by `make cluster-test`
(tests_cluster/): reads on the replica, the replica stopped, lag, failover."""

import pytest
from captcha.models import CaptchaStore
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from core.models import ContentVersion
from feedback.models import Feedback
from news.models import Article, Category
from portal import dbrouter
from stats.models import ArticleViews

router = dbrouter.ReplicaRouter()


@pytest.fixture
def on_replica():
    token = dbrouter._route.set(dbrouter.REPLICA)
    yield
    dbrouter._route.reset(token)


def test_outside_a_chosen_request_every_read_is_on_the_primary():
    assert router.db_for_read(Article) is None  # Django's default: the primary
    assert router.db_for_write(Article) == "default"


def test_published_content_is_read_from_the_replica_counts_and_captchas_never(on_replica):
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_read(Category) == "replica"
    assert router.db_for_read(Feedback) == "replica"  # the public Q&A
    assert router.db_for_read(ArticleViews) == "default"  # counting
    assert router.db_for_read(ContentVersion) == "default"  # the content version
    assert router.db_for_read(CaptchaStore) == "default"  # made and read back within a second
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("replica", "news") is False
    assert router.allow_migrate("default", "news") is True


def test_an_object_read_from_one_database_keeps_reading_there(db, article, on_replica):
    article._state.db = "default"
    assert router.db_for_read(Category, instance=article) == "default"


def test_lag_and_promotion_are_judged():
    assert dbrouter.judge(True, True, 3600)[0] is True  # caught up: an idle primary is no lag
    assert dbrouter.judge(True, False, 1.0)[0] is True
    usable, reason, lag = dbrouter.judge(True, False, 12.5)
    assert (usable, lag) == (False, 12.5) and "lagging" in reason
    assert dbrouter.judge(False, True, 0)[0] is False  # promoted: not a copy of the primary any more


def test_the_check_against_a_server_that_is_not_a_standby_skips_it(db, monkeypatch):
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    monkeypatch.setattr(dbrouter, "replica_params", lambda: {**params, "autocommit": True})
    health = dbrouter.ReplicaHealth()
    health.check()
    assert health.ok is False and "standby" in health.reason


class FakeHealth(dbrouter.ReplicaHealth):
    def __init__(self, ok=True, version=10, replica_version=10):
        super().__init__()
        self.replica_now = replica_version
        self.record(ok, "lag 0.00 s" if ok else "unreachable", version=version, lag=0.0)
        self.checks = 0

    def check(self):
        self.checks += 1

    def replica_version(self):
        return self.replica_now


def test_a_page_keyed_with_a_newer_version_than_the_replica_has_is_read_from_the_primary(settings):
    settings.REPLICA_CHECK_SECONDS = 60
    health = FakeHealth(version=10, replica_version=10)
    assert health.usable(10) is True
    assert health.usable(11) is False  # published a moment ago, not replayed yet
    health.replica_now = 11
    assert health.usable(11) is True
    assert FakeHealth(ok=False).usable(1) is False


@pytest.fixture
def middleware(monkeypatch, settings):
    """ReplicaMiddleware around a view that notes where its reads would go."""
    settings.REPLICA_STICKY_SECONDS = 15
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouter.pagecache, "content_version", lambda: 10)
    health = FakeHealth()
    monkeypatch.setattr(dbrouter, "health", health)
    seen = []

    def view(request):
        seen.append(router.db_for_read(Article) or "default")
        status = getattr(request, "answer_status", [200]).pop(0) if hasattr(request, "answer_status") else 200
        return HttpResponse("ok", status=status)

    return dbrouter.ReplicaMiddleware(view), seen, health


def test_a_readers_page_reads_from_the_replica(middleware):
    mw, seen, _ = middleware
    response = mw(RequestFactory().get("/tim-kiem/?q=khoa+hoc"))
    assert response.status_code == 200 and seen == ["replica"]
    assert dbrouter._route.get() is None  # and nothing after the request


def test_staff_and_a_reader_who_has_just_written_read_from_the_primary(middleware, settings):
    mw, seen, _ = middleware
    staff = RequestFactory().get("/")
    staff.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    mw(staff)
    post = mw(RequestFactory().post("/gop-y/", {"title": "x"}))
    cookie = post.cookies[dbrouter.WROTE_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == 15 and cookie["httponly"]
    after = RequestFactory().get("/gop-y/da-gui/")
    after.COOKIES[dbrouter.WROTE_COOKIE] = "1"
    mw(after)
    assert seen == ["default", "default", "default"]


def test_a_replica_that_is_down_or_behind_is_skipped(middleware):
    mw, seen, health = middleware
    health.record(False, "unreachable")
    mw(RequestFactory().get("/"))
    health.record(True, "lag 0.00 s", version=9, lag=0.0)
    health.replica_now = 9  # the page is keyed with version 10
    mw(RequestFactory().get("/"))
    assert seen == ["default", "default"]


def test_a_replica_failing_during_a_page_is_answered_again_from_the_primary(middleware):
    mw, seen, health = middleware

    def failing_check():
        health.record(False, "unreachable")

    health.check = failing_check
    request = RequestFactory().get("/chuyen-muc/tin-tuc/")
    request.answer_status = [503, 200]  # the database-away page, then the primary's answer
    response = mw(request)
    assert response.status_code == 200
    assert seen == ["replica", "default"]


def test_the_database_away_page_stays_when_the_replica_is_fine(middleware):
    mw, seen, _ = middleware
    request = RequestFactory().get("/")
    request.answer_status = [503]
    assert mw(request).status_code == 503
    assert seen == ["replica"]
