"""View counting rules: what counts, what does not, and what the reader sees."""

import re
import uuid
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from stats.days import local_day
from stats.models import ArticleDay, ArticleViews, VisitorDay
from stats.services import article_views, set_initial_views, traffic

BROWSER = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) "
    "Chrome/131.0.6778.204 Safari/537.36",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "curl/8.5.0",
    "",
]
READERS = [
    BROWSER,
    # Cốc Cốc, the Vietnamese browser: not its crawler.
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/124.0.192 "
    "Chrome/118.0.5993.192 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "Zalo iOS/471 ZaloTheme/light ZaloLanguage/vi",
    "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
]


def read(client, article, user_agent=BROWSER, method="get", **extra):
    return getattr(client, method)(article.get_absolute_url(), HTTP_USER_AGENT=user_agent, **extra)


def views(article):
    return article_views(article.pk)


def frozen(moment):
    return patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def client_factory():
    """New readers: each a browser of its own, from its own address (so the cookieless rule, a few counted
    views a minute per address per article, never applies to them; test_cookieless_* test that rule)."""
    import itertools

    from django.test import Client

    addresses = (f"198.51.{n // 250}.{n % 250 + 1}" for n in itertools.count())
    return lambda: Client(REMOTE_ADDR=next(addresses))


@pytest.fixture
def seeded(article):
    """The seed article with the old site's count."""
    set_initial_views(article.pk, 207)
    return article


@pytest.mark.django_db
def test_first_view_counts_and_the_page_shows_it(client, seeded):
    """A reader's view is counted and "Lượt xem" already includes it."""
    response = read(client, seeded)
    assert response.status_code == 200
    assert "Lượt xem: 208" in response.text
    assert views(seeded) == 208
    today = local_day(timezone.now())
    assert ArticleDay.objects.get(article_id=seeded.pk, day=today).views == 1
    assert traffic()[today] == (1, 1)  # (visits, views)
    assert "<!--stats:" not in response.text


@pytest.mark.django_db
def test_pages_served_from_the_page_cache_are_counted_too(client_factory, seeded):
    read(client_factory(), seeded)
    second = read(client_factory(), seeded)
    assert second["X-Cache"] == "HIT"
    assert "Lượt xem: 209" in second.text
    assert "X-Article-Id" not in second.headers
    assert views(seeded) == 209


@pytest.mark.django_db
def test_counts_are_shown_in_vietnamese_format(client, article):
    set_initial_views(article.pk, 1233)
    assert "Lượt xem: 1.234" in read(client, article).text


@pytest.mark.django_db
def test_internal_header_does_not_leave_the_server(client, article):
    response = read(client, article)
    assert "X-Article-Id" not in response.headers


@pytest.mark.django_db
def test_content_length_matches_the_filled_in_page(client, article):
    response = read(client, article)
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.django_db
def test_visitor_cookie_is_random_first_party_and_long_lived(client, article):
    response = read(client, article)
    cookie = response.cookies["vid"]
    assert uuid.UUID(hex=cookie.value).version == 4
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert not cookie["secure"]
    assert read(client, article).cookies.get("vid") is None  # known visitor: not set again


@pytest.mark.django_db
def test_visitor_cookie_is_secure_over_https(client, article):
    response = read(client, article, secure=True)
    assert response.cookies["vid"]["secure"] is True


@pytest.mark.django_db
def test_one_visitor_ten_times_within_thirty_minutes_counts_once(client, seeded):
    start = timezone.now()
    for minute in range(0, 30, 3):  # 0, 3, … 27: ten readings
        with frozen(start + timedelta(minutes=minute)):
            response = read(client, seeded)
        assert "Lượt xem: 208" in response.text
    assert views(seeded) == 208
    with frozen(start + timedelta(minutes=30, seconds=1)):
        assert "Lượt xem: 209" in read(client, seeded).text  # the window has passed
    assert traffic()[local_day(start + timedelta(minutes=31))][0] == 1  # one visit


@pytest.mark.django_db
def test_dedup_window_is_a_setting(client, article, settings):
    settings.STATS_DEDUP_MINUTES = 5
    start = timezone.now()
    with frozen(start):
        read(client, article)
    with frozen(start + timedelta(minutes=4)):
        read(client, article)
    with frozen(start + timedelta(minutes=6)):
        read(client, article)
    assert views(article) == 2


@pytest.mark.django_db
def test_distinct_visitors_each_count(client_factory, article):
    for _ in range(3):
        read(client_factory(), article)
    assert views(article) == 3
    assert traffic()[local_day(timezone.now())] == (3, 3)


@pytest.mark.django_db
def test_the_same_visitor_reading_two_articles_is_one_visit(client, make_article):
    first, second = make_article("Bài thứ nhất"), make_article("Bài thứ hai")
    read(client, first)
    read(client, second)
    assert traffic()[local_day(timezone.now())] == (1, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("user_agent", CRAWLERS)
def test_crawlers_are_not_counted(client, seeded, user_agent):
    response = read(client, seeded, user_agent)
    assert response.status_code == 200
    assert "Lượt xem: 207" in response.text  # they see the count, they do not raise it
    assert views(seeded) == 207
    assert not traffic()
    assert "vid" not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("user_agent", READERS)
def test_browsers_are_counted(client, article, user_agent):
    read(client, article, user_agent)
    assert views(article) == 1


@pytest.mark.django_db
def test_head_is_not_counted(client, seeded):
    response = read(client, seeded, method="head")
    assert response.status_code == 200
    assert views(seeded) == 207
    assert "X-Article-Id" not in response.headers


@pytest.mark.django_db
def test_missing_article_is_not_counted(client, article):
    response = client.get("/bai-viet/khong-co-bai-nay/", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not ArticleViews.objects.exists()
    assert not traffic()


@pytest.mark.django_db
def test_staff_preview_of_a_draft_is_not_counted(client, publisher, make_article):
    draft = make_article("Bản nháp chưa đăng", status=Article.Status.DRAFT)
    client.force_login(publisher)
    response = read(client, draft)
    assert response.status_code == 200
    assert "Xem trước" in response.text
    assert "Lượt xem" not in response.text
    assert "no-store" in response["Cache-Control"]
    assert not ArticleViews.objects.exists()
    assert not traffic()


@pytest.mark.django_db
def test_staff_preview_of_a_scheduled_article_is_not_counted(client, publisher, make_article):
    scheduled = make_article("Bài hẹn giờ", publish_at=timezone.now() + timedelta(days=1))
    client.force_login(publisher)
    assert read(client, scheduled).status_code == 200
    assert views(scheduled) == 0


@pytest.mark.django_db
def test_a_cookie_that_is_not_ours_means_a_new_visitor(client, article):
    client.cookies["vid"] = "<script>alert(1)</script>"
    response = read(client, article)
    assert views(article) == 1
    assert uuid.UUID(hex=response.cookies["vid"].value)


@pytest.mark.django_db
def test_counting_switched_off_still_shows_the_count(client, seeded, settings):
    settings.STATS_COUNTING_ENABLED = False
    response = read(client, seeded)
    assert "Lượt xem: 207" in response.text
    assert views(seeded) == 207
    assert not traffic()


def shown_count(response):
    return int(re.search(r"Lượt xem: ([\d.]+)", response.text).group(1).replace(".", ""))


@pytest.mark.django_db
def test_readers_wait_for_no_write_and_the_batch_is_one_statement(client_factory, article):
    """Counted views are held by the worker (stats/buffer.py): the requests write nothing, each
    reader still sees their own view, and the whole batch is written in one statement."""
    from django.core.signals import request_finished

    from stats import buffer

    client_factory().get("/", HTTP_USER_AGENT=CRAWLERS[0])  # the visitor box is now cached
    request_finished.disconnect(dispatch_uid="tests-stats-batches")  # no writing after each request
    with CaptureQueriesContext(connection) as queries:
        shown = [shown_count(read(client_factory(), article)) for _ in range(5)]
    assert shown == [1, 2, 3, 4, 5]
    stats_sql = [q["sql"] for q in queries if "stats_" in q["sql"]]
    assert len(stats_sql) == 1  # the count, read once and remembered for a second
    assert stats_sql[0].startswith("SELECT COALESCE(sum(views)")
    assert views(article) == 0  # nothing written yet
    with CaptureQueriesContext(connection) as queries:
        assert buffer.views.flush() == 5
    assert len(queries) == 1
    assert views(article) == 5
    assert traffic()[local_day(timezone.now())] == (5, 5)
    assert VisitorDay.objects.count() == 5


@pytest.mark.django_db
def test_written_in_the_request_when_batches_are_switched_off(client, seeded, settings):
    settings.STATS_FLUSH_SECONDS = 0
    client.get("/", HTTP_USER_AGENT=CRAWLERS[0])  # the visitor box is now cached
    for shown in (208, 208):  # counted, then de-duplicated: one statement each
        with CaptureQueriesContext(connection) as queries:
            assert f"Lượt xem: {shown}" in read(client, seeded).text
        assert len([q for q in queries if "stats_" in q["sql"]]) == 1
        assert views(seeded) == 208


@pytest.mark.django_db
def test_returning_visitor_on_other_pages_is_noted_at_most_once_a_minute(client, article):
    home = "/"
    first = client.get(home, HTTP_USER_AGENT=BROWSER)
    assert "vid" in first.cookies  # a newcomer gets the cookie…
    assert not VisitorDay.objects.exists()  # …and costs nothing until the browser shows it keeps cookies
    with CaptureQueriesContext(connection) as queries:
        client.get(home, HTTP_USER_AGENT=BROWSER)
    assert VisitorDay.objects.count() == 1
    assert traffic()[local_day(timezone.now())] == (1, 0)
    assert len([q for q in queries if "stats_visitorday" in q["sql"]]) == 1
    with CaptureQueriesContext(connection) as queries:
        client.get(home, HTTP_USER_AGENT=BROWSER)  # within the minute: no write
    assert not [q for q in queries if "stats_" in q["sql"]]
    assert VisitorDay.objects.count() == 1


@pytest.mark.django_db
def test_crawlers_cost_no_query_once_the_box_is_cached(client, article):
    client.get("/", HTTP_USER_AGENT=CRAWLERS[0])
    with CaptureQueriesContext(connection) as queries:
        client.get("/chuyen-muc/hoat-dong-cua-so/", HTTP_USER_AGENT=CRAWLERS[0])
    assert not [q for q in queries if "stats_" in q["sql"]]


@pytest.mark.django_db
def test_initial_views_never_lower_a_count(article):
    set_initial_views(article.pk, 207)
    set_initial_views(article.pk, 100)
    assert views(article) == 207
    set_initial_views(article.pk, 300)
    assert views(article) == 300


@pytest.mark.django_db
def test_pages_that_are_not_html_are_left_alone(client, article):
    response = client.get("/robots.txt", HTTP_USER_AGENT=BROWSER)
    assert "vid" not in response.cookies
    assert not traffic()


@pytest.mark.django_db
def test_revalidation_gets_304_only_while_the_numbers_are_the_same(client_factory, seeded):
    """A browser revalidating its copy: 304 if nothing it shows changed, else the new page (and count)."""
    reader = client_factory()
    start = timezone.now()
    with frozen(start):
        first = read(reader, seeded)
    etag = first["ETag"]
    with frozen(start + timedelta(minutes=1)):
        again = read(reader, seeded, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    assert views(seeded) == 208
    with frozen(start + timedelta(minutes=2)):
        read(client_factory(), seeded)  # someone else reads it
    with frozen(start + timedelta(minutes=2, seconds=1)):
        # If-None-Match wins over If-Modified-Since: the article did not change, its count did.
        changed = read(reader, seeded, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200
    assert "Lượt xem: 209" in changed.text
    with frozen(start + timedelta(minutes=40)):
        later = read(reader, seeded, HTTP_IF_NONE_MATCH=changed["ETag"])  # past the window: counted
    assert later.status_code == 200
    assert "Lượt xem: 210" in later.text
    assert views(seeded) == 210


@pytest.mark.django_db
def test_responses_that_set_a_cookie_are_private(client, article):
    response = read(client, article)
    assert "vid" in response.cookies
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_head_reports_the_length_of_the_filled_page(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    body = read(client, article).content
    head = read(client, article, method="head")
    assert int(head["Content-Length"]) == len(body)


@pytest.mark.django_db
def test_the_counting_statement_is_planned_once_per_connection(client, article):
    read(client, article)
    read(type(client)(), article)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%stats_viewdedup%'")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_cookieless_requests_count_a_few_a_minute_per_address(client_factory, article, settings):
    """The cookieless rule: requests that come back without the visitor cookie (a script) count at most
    STATS_COOKIELESS_PER_MINUTE a minute per client address per article; the next minute a few more."""
    from django.test import Client

    assert settings.STATS_COOKIELESS_PER_MINUTE == 3
    start = timezone.now().replace(second=0, microsecond=0)
    with frozen(start):
        for _ in range(20):
            assert read(Client(REMOTE_ADDR="203.0.113.9"), article).status_code == 200
    assert views(article) == 3
    with frozen(start + timedelta(seconds=30)):
        read(Client(REMOTE_ADDR="203.0.113.9"), article)  # same minute: still 3
        read(Client(REMOTE_ADDR="203.0.113.10"), article)  # another address: counted
    assert views(article) == 4
    with frozen(start + timedelta(minutes=1)):
        for _ in range(5):
            read(Client(REMOTE_ADDR="203.0.113.9"), article)
    assert views(article) == 7


@pytest.mark.django_db
def test_cookieless_rule_spares_readers_who_keep_the_cookie(article):
    """The cookie-keeping rule, unchanged: ten phones behind one carrier address, each keeping its cookie,
    all count (once each, per STATS_DEDUP_MINUTES), while a script at the same address is held to 3."""
    from django.test import Client

    phones = [Client(REMOTE_ADDR="203.0.113.50") for _ in range(10)]
    for phone in phones:  # their first pages: cookieless, the first three count at once…
        read(phone, article)
    for _ in range(30):  # …and a script at the same address uses up the minute's cookieless views
        read(Client(REMOTE_ADDR="203.0.113.50"), article)
    assert all("vid" in phone.cookies for phone in phones)
    for phone in phones:  # …the others count from their next page, with the cookie
        read(phone, article)
    for phone in phones:  # re-reading within the window: not again
        read(phone, article)
    assert views(article) == 10
