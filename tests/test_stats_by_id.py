"""stats knows articles by id only: what it offers (ranked ids and counts, live blocks, the visitor),
and how news and the dashboard put names on the ids."""

import uuid
from datetime import datetime, timedelta
from io import StringIO
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import labels
from news.models import Article
from news.popular import most_read
from stats import buffer, live
from stats.days import local_day, recent_days
from stats.models import ArticleDay
from stats.services import article_views, top_article_ids, traffic, views_between
from stats.visitors import is_crawler, visitor_from_cookie

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def day_rows(rows):
    """[(article id, days ago, views, shard)] → ArticleDay rows."""
    today = local_day(timezone.now())
    ArticleDay.objects.bulk_create(
        [
            ArticleDay(article_id=pk, day=today - timedelta(days=ago), views=views, shard=shard)
            for pk, ago, views, shard in rows
        ]
    )


@pytest.mark.django_db
def test_top_article_ids_ranks_ids_by_their_views_in_the_period():
    """Ids that are no article at all are ranked like any other: stats does not know articles."""
    day_rows(
        [
            (11, 0, 5, 0),
            (11, 6, 30, 3),  # the oldest day of a 7-day period (today included)
            (22, 1, 40, 0),
            (33, 2, 20, 0),
            (33, 2, 15, 5),  # two shard rows of one day add up
            (44, 7, 9999, 0),  # a day before the period
            (55, 3, 35, 0),  # as many as 11 and 33: the lower id first
        ]
    )
    assert top_article_ids(7) == {22: 40, 11: 35, 33: 35, 55: 35}
    assert list(top_article_ids(7, limit=2)) == [22, 11]
    assert top_article_ids(8)[44] == 9999
    assert top_article_ids(1) == {11: 5}


@pytest.mark.django_db
def test_views_between_counts_the_days_from_start_to_end():
    day_rows([(1, 0, 1, 0), (1, 1, 2, 0), (2, 2, 4, 0), (3, 3, 8, 0)])
    start, end = recent_days(3)
    assert (end - start).days == 2
    assert views_between(start, end) == {2: 4, 1: 3}
    assert views_between(end, end) == {1: 1}
    assert views_between(start, end, limit=1) == {2: 4}
    with CaptureQueriesContext(connection) as queries:
        views_between(start, end)
    assert len(queries) == 1


@pytest.mark.django_db
def test_stats_ranks_an_unpublished_article_and_news_leaves_it_out(make_article, django_assert_num_queries):
    shown, older_tie, draft = (
        make_article("Bài đọc nhiều"),
        make_article("Bài cũ hơn cùng lượt xem", publish_at=timezone.now() - timedelta(days=3)),
        make_article("Bài nháp", status=Article.Status.DRAFT),
    )
    day_rows([(draft.pk, 0, 100, 0), (shown.pk, 0, 10, 0), (older_tie.pk, 1, 10, 0)])
    assert list(top_article_ids(7)) == [draft.pk, shown.pk, older_tie.pk]
    with django_assert_num_queries(2):  # the ranked ids, then the published articles among them
        articles = most_read(days=7, limit=5)
    assert [(a.title, a.recent_views) for a in articles] == [("Bài đọc nhiều", 10), ("Bài cũ hơn cùng lượt xem", 10)]
    assert [a.title for a in most_read(days=7, limit=1)] == ["Bài đọc nhiều"]


@pytest.mark.django_db
def test_news_names_the_articles_stats_counts(article, django_assert_num_queries):
    """The dashboard's names come through core.labels, from the catalogue news registered."""
    with django_assert_num_queries(1):
        named = labels.items("article", [article.pk, 999_999])
    assert list(named) == [article.pk]
    item = named[article.pk]
    assert item.title == article.title
    assert item.url == article.get_absolute_url()
    assert item.admin_url == f"/admin/news/article/{article.pk}/change/"
    assert (item.group_id, item.group) == (article.category_id, "Hoạt động của Sở")
    assert item.published == timezone.localdate(article.publish_at)
    assert [group.name for group in labels.groups("article")] == ["Hoạt động của Sở"]
    assert labels.items("nothing-registered", [1]) == {}
    assert labels.groups("nothing-registered") == []


def test_the_visitor_is_public_for_other_apps():
    factory = RequestFactory()
    visitor = uuid.uuid4()
    assert visitor_from_cookie(factory.get("/", HTTP_COOKIE=f"vid={visitor.hex}")) == visitor
    assert visitor_from_cookie(factory.get("/", HTTP_COOKIE="vid=<script>")) is None
    assert visitor_from_cookie(factory.get("/", HTTP_COOKIE="vid=" + "z" * 32)) is None
    assert visitor_from_cookie(factory.get("/")) is None
    assert is_crawler("Googlebot/2.1") and not is_crawler(BROWSER)


@pytest.mark.django_db
def test_a_registered_live_block_is_filled_in_and_cached(monkeypatch):
    monkeypatch.setattr(live, "_blocks", dict(live._blocks))
    built = []

    def build(now):
        built.append(now)
        return f"<p>{len(built)}</p>"

    live.register("probe", build, lambda: 60)
    page = b"<main><!--stats:probe--> <!--stats:views--> <!--stats:unknown--></main>"
    now = timezone.now()
    filled, parts = live.fill(page, 1234, "vi", now)
    assert filled == b"<main><p>1</p> 1.234 <!--stats:unknown--></main>"
    assert parts == [b"1.234", b"<p>1</p>"]
    assert (
        live.fill(page, None, "vi", now + timedelta(seconds=59))[0]
        == b"<main><p>1</p> \xe2\x80\x93 <!--stats:unknown--></main>"
    )
    assert live.fill(page, 1, "vi", now + timedelta(seconds=61))[0].startswith(b"<main><p>2</p>")
    live.forget(["probe"])
    assert live.fill(page, 1, "vi", now + timedelta(seconds=62))[0].startswith(b"<main><p>3</p>")
    with pytest.raises(ValueError):
        live.register("views", build, lambda: 60)
    with pytest.raises(ValueError):
        live.marker("box--><script>")


@pytest.mark.django_db
def test_a_zero_flush_interval_writes_in_the_request_through_the_batch_statement(client, article, settings):
    """One counting path: with STATS_FLUSH_SECONDS = 0 the batch is written before the page is sent,
    by the statement the background thread uses; a returning visitor on another page likewise."""
    settings.STATS_FLUSH_SECONDS = 0
    client.get("/", HTTP_USER_AGENT="Googlebot/2.1")  # the visitor box is now cached
    with CaptureQueriesContext(connection) as queries:
        assert "Lượt xem: 1" in client.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER).text
    [statement] = [q["sql"] for q in queries if "stats_" in q["sql"]]
    assert statement.lstrip().startswith("WITH batch AS")
    assert article_views(article.pk) == 1
    client.cookies.pop("vid_seen", None)
    with CaptureQueriesContext(connection) as queries:
        client.get("/chuyen-muc/hoat-dong-cua-so/", HTTP_USER_AGENT=BROWSER)
    [statement] = [q["sql"] for q in queries if "stats_" in q["sql"]]
    assert statement.lstrip().startswith("WITH batch AS")
    assert buffer.views.views == {} and buffer.views.visits == {}


@pytest.mark.django_db
def test_a_view_written_in_the_request_is_kept_when_the_database_is_away(article, settings):
    settings.STATS_FLUSH_SECONDS = 0
    now = datetime(2026, 11, 27, 9, 0, tzinfo=VN)
    with (
        patch.object(buffer, "write_batch", side_effect=OperationalError("database away")),
        pytest.raises(OperationalError),
    ):
        buffer.record_view(article.pk, uuid.uuid4(), now)
    assert article_views(article.pk) == 0
    assert buffer.record_view(article.pk, uuid.uuid4(), now) == 2  # the kept view is written with this one
    assert article_views(article.pk) == 2


@pytest.mark.django_db
def test_stats_demo_invents_history_for_the_published_articles_once(make_article):
    published, draft = (
        make_article("Bài đã đăng", publish_at=timezone.now() - timedelta(days=30)),
        make_article("Bài nháp", status=Article.Status.DRAFT),
    )
    out = StringIO()
    call_command("stats_demo", days=10, stdout=out)
    assert "Invented traffic for 10 day(s)" in out.getvalue()
    days = traffic()
    assert len(days) == 10 and local_day(timezone.now()) not in days
    assert article_views(published.pk) > 0
    assert article_views(draft.pk) == 0
    before = (days, article_views(published.pk))
    out = StringIO()
    call_command("stats_demo", days=10, stdout=out)
    assert out.getvalue().strip() == "Nothing to fill."
    assert (traffic(), article_views(published.pk)) == before
