"""Anonymous readers get cached pages; editors' changes show at once; staff never see a cached page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import ContentVersion
from news.models import Article


@pytest.fixture
def pages(article, category):
    return [reverse("news:home"), category.get_absolute_url(), article.get_absolute_url(), reverse("news:rss")]


def test_second_request_is_a_cache_hit(client, pages, django_assert_num_queries):
    """The second anonymous request for each page is served from the cache, without rendering it again."""
    for url in pages:
        first = client.get(url)
        assert first.status_code == 200 and "X-Cache" not in first
        second = client.get(url)
        assert second["X-Cache"] == "HIT"
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_cache_hit_costs_at_most_the_version_check(client, article, django_assert_max_num_queries):
    """A cached home page for a first-time reader costs one query: the content version check."""
    client.get("/")
    client.cookies.clear()
    with django_assert_max_num_queries(1):  # every PAGE_CACHE_POLL_SECONDS in production, not every request
        assert client.get("/")["X-Cache"] == "HIT"


def test_edit_shows_at_once(client, article, category):
    """Editing a published article changes the cached home, category and article pages immediately."""
    urls = [reverse("news:home"), category.get_absolute_url(), article.get_absolute_url()]
    for url in urls:
        client.get(url)
    article.title = "Tiêu đề mới sau khi sửa"
    article.save()
    for url in urls:
        response = client.get(url)
        assert "X-Cache" not in response
        assert "Tiêu đề mới sau khi sửa" in response.content.decode()


def test_cards_follow_edits_of_their_article_and_category(client, make_article, category):
    """Listing cards are remembered per process; an edited title or a renamed category shows at once."""
    first, second = make_article("Bài thứ nhất"), make_article("Bài thứ hai")
    for url in ("/", second.get_absolute_url()):
        assert "Bài thứ nhất" in client.get(url).content.decode()  # a card on home and under "related"
    first.title = "Bài thứ nhất, tiêu đề đã sửa"
    first.save()
    category.name = "Tên chuyên mục mới"
    category.save()
    home = client.get("/").content.decode()
    assert "Bài thứ nhất, tiêu đề đã sửa" in home
    assert "Tên chuyên mục mới" in home and "Hoạt động của Sở" not in home
    assert "Bài thứ nhất, tiêu đề đã sửa" in client.get(second.get_absolute_url()).content.decode()


def test_unpublish_removes_at_once(client, article):
    url = article.get_absolute_url()
    client.get(url)
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(url).status_code == 404
    assert article.title not in client.get(reverse("news:home")).content.decode()


def test_scheduled_article_appears_on_time(client, make_article):
    """A cached home page changes by itself when a scheduled article's time comes."""
    scheduled = make_article("Tin hẹn giờ đăng", publish_at=timezone.now() + timedelta(hours=2))
    assert "Tin hẹn giờ đăng" not in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "HIT"
    # Time passes: the article's moment has come (moved here instead of waiting).
    Article.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    ContentVersion.objects.filter(pk=1).update(next_publish_at=timezone.now() - timedelta(seconds=1))
    assert "Tin hẹn giờ đăng" in client.get("/").content.decode()


def test_staff_never_get_cached_pages(client, article, publisher):
    """A logged-in editor sees the live page and does not fill the cache for others."""
    client.force_login(publisher)
    url = article.get_absolute_url()
    client.get(url)
    assert "X-Cache" not in client.get(url)
    client.logout()
    assert "X-Cache" not in client.get(url)  # the staff view was not stored


def test_etag_revalidation(client, article):
    """Browsers revalidate with ETag or Last-Modified and get a 304 without the body."""
    url = article.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_head_from_cache(client, article):
    url = article.get_absolute_url()
    client.get(url)
    response = client.head(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Cache"] == "HIT" and response["Content-Type"].startswith("text/html")


def test_random_query_strings_share_one_entry(client, article):
    """Unknown query parameters neither bust nor flood the cache."""
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url, {"utm_source": "zalo", "x": "123"})["X-Cache"] == "HIT"


def test_pagination_and_errors_are_not_mixed(client, make_article, category):
    """?page=2 is its own entry, and a 404 is never stored."""
    for i in range(25):
        make_article(f"Tin {i}")
    url = category.get_absolute_url()
    assert client.get(url).content != client.get(url, {"page": 2}).content
    assert client.get(url, {"page": 9}).status_code == 404
    assert client.get(url, {"page": 9}).status_code == 404
    assert "X-Cache" not in client.get(url, {"page": 9})
