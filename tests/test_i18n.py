"""Languages through Django's machinery: LocaleMiddleware and i18n_patterns(prefix_default_language=False).

English under /en/ (/en/, /en/about/, /en/contact/, /en/rating/), Vietnamese everywhere else, unprefixed
and unchanged. The language comes from the URL only, never from Accept-Language or a cookie: Vietnamese
citizens with English browsers still get Vietnamese at "/".
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.pagecache import view_name
from pages.models import Page

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def html_lang(html):
    return re.search(r'<html lang="([a-z-]+)"', html).group(1)


@pytest.fixture
def english_browser(client):
    """A reader whose browser prefers English and who carries Django's language cookie set to English."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def about(db):
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    page.body = "<p>Tham mưu quản lý nhà nước về khoa học.</p>"
    page.title_en = "About us"
    page.summary_en = "The Department advises the Provincial People's Committee on science and technology."
    page.body_en = "<p>Advises on the state management of science.</p>"
    page.save()
    return page


@pytest.mark.parametrize("url", ["/", "/gioi-thieu/", "/lien-he/", "/van-ban/", "/hoi-dap/"])
def test_english_browsers_get_vietnamese_on_unprefixed_urls(english_browser, article, url):
    for _ in range(2):  # rendered, then (for the cached pages) from the page cache
        response = english_browser.get(url, **ENGLISH_BROWSER)
        html = response.content.decode()
        assert response.status_code == 200
        assert html_lang(html) == "vi" and "Bỏ qua, đến nội dung chính" in html and "Skip to main" not in html
        assert "Thống kê truy cập" in html and "Visitor statistics" not in html
        assert response.get("Content-Language", "vi") == "vi"


def test_english_browser_gets_the_vietnamese_home_page(client, article):
    """The case the portal exists for: "/" with Accept-Language: en is the Vietnamese home page."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Language"] == "vi"
    html = response.content.decode()
    assert html_lang(html) == "vi" and "Trang chủ" in html
    assert article.title in html


def test_the_prefix_decides_whatever_the_browser_says(client, about):
    client.cookies["django_language"] = "vi"
    response = client.get("/en/about/", HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert html_lang(html) == "en" and "Advises on the state management of science." in html


def test_admin_stays_vietnamese_for_english_browsers(english_browser):
    html = english_browser.get("/admin/login/", **ENGLISH_BROWSER).content.decode()
    assert html_lang(html) == "vi"


def test_english_landing_page(client, about, django_assert_max_num_queries):
    client.get("/en/")  # warm the menu and fragment caches, as on a running site
    with django_assert_max_num_queries(5):
        response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert html_lang(html) == "en"
    assert "<title>Department of Science and Technology</title>" in html
    assert '<h1 class="page-title" id="page-title">Department of Science and Technology</h1>' in html
    assert "The Department advises the Provincial People&#x27;s Committee on science and technology." in html
    assert '<a href="/en/about/">About us</a>' in html and '<a href="/en/contact/">Contact</a>' in html
    assert '<a class="language-switch" href="/" hreflang="vi" lang="vi">Tiếng Việt</a>' in html
    assert f'<link rel="canonical" href="{SITE}/en/">' in html
    assert f'<link rel="alternate" hreflang="vi" href="{SITE}/">' in html
    assert "Visitor statistics" in html and "Thống kê truy cập" not in html
    assert '<form class="rating-form" method="post" action="/en/rating/" data-rating-form novalidate>' in html


def test_english_landing_page_without_content_yet(client, db):
    html = client.get("/en/").content.decode()
    assert '<a href="/en/about/">About us</a>' in html and "Nội dung đang được cập nhật" not in html


def test_english_urls_without_the_slash_are_redirected(client, db):
    redirects = (("/en", "/en/"), ("/en/about", "/en/about/"), ("/en/contact", "/en/contact/"))
    for url, target in (*redirects, ("/gioi-thieu", "/gioi-thieu/"), ("/danh-gia/cam-on", "/danh-gia/cam-on/")):
        response = client.get(url)
        assert response.status_code == 301 and response["Location"] == target


@pytest.mark.parametrize(
    "url",
    [
        "/about/",  # the English routes exist under /en/ only
        "/contact/",
        "/rating/",
        "/en/gioi-thieu/",  # and the Vietnamese ones unprefixed only
        "/en/lien-he/",
        "/vi/gioi-thieu/",  # the default language has no prefix
        "/vi/",
        "/en/van-ban/",  # pages without an English version have no /en/ address
        "/en/admin/",
        "/en/rss/",
    ],
)
def test_no_other_spelling_of_a_page_exists(client, db, url):
    assert client.get(url).status_code == 404


def test_english_article_url_is_not_found(client, article):
    assert client.get("/en" + article.get_absolute_url()).status_code == 404


def test_not_found_under_en_is_in_english_and_elsewhere_in_vietnamese(client, db):
    response = client.get("/en/abuot/", **ENGLISH_BROWSER)
    html = response.content.decode()
    assert response.status_code == 404 and html_lang(html) == "en"
    assert "<h1>Page not found</h1>" in html and "Không tìm thấy trang" not in html
    response = client.get("/gioi-thieu-so/", **ENGLISH_BROWSER)
    html = response.content.decode()
    assert response.status_code == 404 and html_lang(html) == "vi"
    assert "<h1>Không tìm thấy trang</h1>" in html and "Page not found" not in html


def test_urls_are_reversed_in_the_active_language_and_pages_name_both(db):
    with translation.override("vi"):
        assert [reverse(n) for n in ("pages:about", "pages:contact", "rating:submit", "rating:thanks")] == [
            "/gioi-thieu/",
            "/lien-he/",
            "/danh-gia/",
            "/danh-gia/cam-on/",
        ]
    with translation.override("en"):
        assert [reverse(n) for n in ("pages:home", "pages:about", "pages:contact", "rating:submit")] == [
            "/en/",
            "/en/about/",
            "/en/contact/",
            "/en/rating/",
        ]
        assert reverse("news:home") == "/"  # the rest of the site has one address only
    page = Page.objects.get(kind=Page.Kind.CONTACT)
    for language in ("vi", "en"):
        with translation.override(language):
            assert (page.get_absolute_url(), page.get_english_url()) == ("/lien-he/", "/en/contact/")


def test_language_switch_on_pages_without_a_counterpart_leads_to_the_english_landing(client, article):
    for url in ("/", article.get_absolute_url(), "/van-ban/"):
        html = client.get(url).content.decode()
        assert '<a class="language-switch" href="/en/" hreflang="en" lang="en">English</a>' in html


def test_english_menu_and_breadcrumb_stay_in_english(client, about):
    html = client.get("/en/about/").content.decode()
    menu = html[html.index('id="menu-list"') : html.index("</nav>", html.index('id="menu-list"'))]
    for link in (
        '<a href="/en/">Home</a>',
        '<a href="/en/about/">About us</a>',
        '<a href="/en/contact/">Contact</a>',
        '<a href="/" hreflang="vi">Vietnamese home page</a>',
    ):
        assert link in menu, link
    breadcrumb = html[html.index('class="breadcrumb') : html.index("</nav>", html.index('class="breadcrumb'))]
    assert '<a href="/en/">Home</a>' in breadcrumb and 'aria-current="page">About us</li>' in breadcrumb


# The page cache holds Vietnamese pages only -------------------------------------------------------------


@pytest.mark.parametrize("url", ["/en/", "/en/about/", "/en/contact/"])
def test_english_pages_are_never_served_from_the_page_cache(client, about, url):
    """On a hit the stats middleware would fill in a Vietnamese visitor box (LocaleMiddleware sits below)."""
    for _ in range(3):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and "X-Cache" not in response
        assert "Visitor statistics" in html and "Thống kê truy cập" not in html


def test_page_cache_resolves_paths_in_the_default_language_whatever_the_thread_was_left_in(client, about):
    """The page cache runs above LocaleMiddleware, in the language the previous request on the thread
    left active; what it caches must not depend on that."""
    view_name.cache_clear()
    try:
        for language in ("en", "vi"):
            view_name.cache_clear()
            with translation.override(language):
                assert view_name("/gioi-thieu/") == "pages:about"
                assert view_name("/lien-he/") == "pages:contact"
                assert view_name("/") == "news:home"
                assert view_name("/en/about/") is None
                assert view_name("/en/") is None
                assert view_name("/danh-gia/") == "rating:submit"
    finally:
        view_name.cache_clear()


def test_after_an_english_page_the_vietnamese_page_is_still_cached_and_the_english_one_never(client, about):
    view_name.cache_clear()
    try:
        client.get("/en/about/")  # leaves English active on this thread, as a worker would be
        assert translation.get_language() == "en"
        client.get("/gioi-thieu/")
        hit = client.get("/gioi-thieu/")
        assert hit["X-Cache"] == "HIT" and html_lang(hit.content.decode()) == "vi"
        translation.activate("en")
        for _ in range(2):
            response = client.get("/en/about/")
            assert "X-Cache" not in response and "Visitor statistics" in response.content.decode()
    finally:
        view_name.cache_clear()
        translation.deactivate()


def test_a_cache_hit_is_the_vietnamese_page_for_english_browsers_too(client, article):
    """A hit is answered above LocaleMiddleware, which the cached (Vietnamese) pages never depend on."""
    first = client.get("/")
    client.cookies.clear()
    hit = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert hit["X-Cache"] == "HIT" and hit.content == first.content
    assert hit["Content-Language"] == "vi"  # stored with the page
