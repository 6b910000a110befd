"""Public pages: what a citizen sees on home, category and article pages, at a fixed query cost."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from news.models import Article, Category


@pytest.fixture
def many_articles(make_article, category):
    child = Category.objects.create(name="Tin trong tỉnh", parent=category)
    articles = [make_article(f"Tin số {i}", featured=i < 3) for i in range(25)]
    articles += [make_article(f"Tin con {i}", category=child) for i in range(5)]
    return articles


def test_home_shows_featured_newest_and_category_blocks(client, many_articles, category):
    """Home has the slider, the newest list and a block for each menu category."""
    html = client.get(reverse("news:home")).content.decode()
    assert 'aria-roledescription="carousel"' in html
    assert "Tin mới nhất" in html
    assert f'id="cat-{category.slug}"' in html
    assert "Tin số 0" in html


def test_menu_has_two_levels(client, many_articles, category):
    """The menu lists top categories and their children."""
    html = client.get(reverse("news:home")).content.decode()
    assert category.name in html and "Tin trong tỉnh" in html and 'class="submenu"' in html


def test_category_lists_newest_first_paginated(client, many_articles, category):
    """20 a page, newest first; the parent category includes its children's articles; past the end is 404."""
    first = client.get(category.get_absolute_url()).content.decode()
    assert first.index("Tin con 4") < first.index("Tin số 24")
    assert first.count('class="card"') == 20
    assert "Trang 1" in first and "Trang sau" in first
    second = client.get(category.get_absolute_url() + "?page=2").content.decode()
    assert second.count('class="card"') == 10
    for bad in ("3", "0", "-1", "abc", "999999999999999999999"):
        assert client.get(category.get_absolute_url(), {"page": bad}).status_code == 404


def test_unknown_category_is_404(client, db):
    assert client.get("/chuyen-muc/khong-co/").status_code == 404


def test_article_page(client, make_article, category):
    """The article page shows title, date and time, category, cover caption, body, byline and related."""
    article = make_article(
        "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023",
        body='<p>Đoạn một.</p><figure class="image"><img src="/media/x.jpg" alt="Đại biểu">'
        "<figcaption>Các đại biểu dự Hội nghị</figcaption></figure>",
        author="Dương Liễu",
    )
    Article.objects.filter(pk=article.pk).update(publish_at="2023-01-10T07:00:00Z")
    related = make_article("Tin liên quan")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 id="article-title">Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023</h1>' in html
    assert "10/01/2023 14:00" in html
    assert f'href="{category.get_absolute_url()}"' in html
    assert "<figcaption>Các đại biểu dự Hội nghị</figcaption>" in html
    assert html.index("Đoạn một.") < html.index("Dương Liễu")
    assert related.title in html
    assert "In bài viết" in html
    assert "placeholder.svg" in html  # related article without a cover: designed placeholder, not "no image"


def test_related_list_follows_publishing_at_once(client, make_article, category):
    """ "Tin cùng chuyên mục" is read once per content version: a new, an edited or an unpublished
    article shows there on the next page."""
    article = make_article("Bài đang đọc")
    first = make_article("Tin cũ cùng chuyên mục")
    assert first.title in client.get(article.get_absolute_url()).text
    second = make_article("Tin mới đăng cùng chuyên mục")
    assert second.title in client.get(article.get_absolute_url()).text
    first.title = "Tin cũ, tiêu đề đã sửa"
    first.save()
    second.status = Article.Status.DRAFT
    second.save()
    html = client.get(article.get_absolute_url()).text
    assert "Tin cũ, tiêu đề đã sửa" in html and second.title not in html
    assert article.title not in html.split("Tin cùng chuyên mục")[1]  # never itself


@pytest.mark.parametrize("url_name", ["home", "category", "article"])
def test_query_count_is_fixed(client, many_articles, category, url_name, django_assert_max_num_queries):
    """Each public page costs a small, fixed number of queries, however many articles exist."""
    url = {
        "home": reverse("news:home"),
        "category": category.get_absolute_url(),
        "article": many_articles[0].get_absolute_url(),
    }[url_name]
    client.get(url)  # warm the menu cache, as on a running site
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_503_when_database_fails(client, db, monkeypatch):
    """/healthz answers 503 when the database does not."""
    from django.db.utils import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken)
        assert client.get("/healthz").status_code == 503


def test_404_page_in_site_look(client, db):
    response = client.get("/khong-ton-tai/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and 'class="site-header"' in html and 'lang="vi"' in html


def test_500_page(client, db, settings):
    """A server error shows a Vietnamese page in the site's look, not a traceback."""
    from django.test import RequestFactory

    from portal.views import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in html


def test_load_demo_is_idempotent(db, settings, tmp_path):
    """load_demo twice gives the same content: the seed article, the menu, ~30 articles."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    counts = (Category.objects.count(), Article.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Category.objects.count(), Article.objects.count()) == counts
    seed = Article.objects.get(slug="so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023")
    assert seed.author == "Dương Liễu" and seed.is_public and seed.cover
    assert "Đồng chí Nguyễn Trung Thảo" in seed.body_text
    assert "No title" not in seed.body and "Mã kiểm tra" not in seed.body
    assert seed.body.count("<figcaption>") == 2
    assert Category.objects.filter(name="Khen thưởng - Xử phạt", in_menu=True).exists()
    assert Article.objects.published().count() >= 30


def test_load_demo_bulk(db, settings, tmp_path):
    """--articles N adds N published articles (for load tests), and again N on a second run."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", articles=120, verbosity=0)
    base = Article.objects.count()
    call_command("load_demo", articles=10, verbosity=0)
    assert Article.objects.count() == base + 10
