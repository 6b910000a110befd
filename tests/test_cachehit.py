"""The lean path of an anonymous page cache hit (portal.middleware_cachehit): it skips the middleware a cached
page does not need, and keeps every promise of the full stack: security headers, the visitor cookie, one
counted view per reader, live numbers, ETag/304, and the language of the page."""

import gzip
from contextlib import ExitStack
from unittest.mock import patch

import pytest
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client

from stats.services import article_views, set_initial_views

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Request-ID",
)


def reader(number=1):
    """A new reader: a browser of its own (no cookie yet), from an address of its own."""
    return Client(REMOTE_ADDR=f"198.51.100.{number}", HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def guard():
    """While `guard.on`, a request that walks the session, CSRF or messages middleware fails: a cached page
    for an anonymous reader needs none of them."""

    class Guard:
        on = False

    def guarded(original):
        def process_request(self, request):
            if Guard.on:
                raise AssertionError("the request walked the session, CSRF or messages middleware")
            return original(self, request)

        return process_request

    with ExitStack() as stack:
        for cls in (SessionMiddleware, CsrfViewMiddleware, MessageMiddleware):
            stack.enter_context(patch.object(cls, "process_request", guarded(cls.process_request)))
        yield Guard


def test_a_hit_skips_sessions_csrf_and_messages(article, guard):
    url = article.get_absolute_url()
    reader(1).get(url)  # the miss renders the page through the whole stack
    guard.on = True
    response = reader(2).get(url)
    assert response.status_code == 200 and response["X-Cache"] == "HIT"
    assert article.title in response.text


@pytest.mark.parametrize("secure", [False, True])
def test_a_hit_carries_the_same_security_headers_as_the_rendered_page(article, settings, secure):
    settings.SECURE_HSTS_SECONDS = 3600  # production's HSTS (only over https)
    url = article.get_absolute_url()
    rendered = reader(1).get(url, secure=secure)
    hit = reader(2).get(url, secure=secure)
    assert "X-Cache" not in rendered and hit["X-Cache"] == "HIT"
    for name in SECURITY_HEADERS:
        assert hit[name] and (name == "X-Request-ID" or hit[name] == rendered[name]), name
    csp = hit["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert ("Strict-Transport-Security" in hit) is secure
    assert hit["Content-Language"] == "vi" and hit["Content-Type"] == rendered["Content-Type"]


def test_a_new_reader_on_a_hit_gets_the_cookie_and_is_counted_once(article):
    set_initial_views(article.pk, 207)
    url = article.get_absolute_url()
    reader(1).get(url)
    second = reader(2)
    response = second.get(url)
    assert response["X-Cache"] == "HIT"
    cookie = response.cookies["vid"]
    assert len(cookie.value) == 32 and cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert "private" in response["Cache-Control"]  # a page carrying someone's cookie is not for shared caches
    assert "Lượt xem: 209" in response.text and "<!--stats:" not in response.text
    assert int(response["Content-Length"]) == len(response.content)
    assert article_views(article.pk) == 209
    again = second.get(url)  # the same reader, back with the cookie: shown, not counted again
    assert again["X-Cache"] == "HIT" and "vid" not in again.cookies
    assert "Lượt xem: 209" in again.text and article_views(article.pk) == 209


def test_live_numbers_are_filled_in_on_a_hit(article):
    reader(1).get("/")
    response = reader(2).get("/")
    assert response["X-Cache"] == "HIT"
    assert "Thống kê truy cập" in response.text and "<!--stats:" not in response.text


def test_a_reader_who_has_the_page_gets_304_from_a_hit(article):
    browser = reader(1)
    first = browser.get("/")
    browser.get("/")  # now a hit (and noted as a returning visitor: the same numbers from here on)
    page = browser.get("/")
    assert page["X-Cache"] == "HIT"
    not_modified = browser.get("/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert "script-src 'self'" in not_modified["Content-Security-Policy"]
    assert browser.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert browser.get("/", HTTP_IF_NONE_MATCH='"khac"').status_code == 200


def test_staff_with_a_session_never_get_the_anonymous_page(article, publisher, guard):
    url = article.get_absolute_url()
    reader(1).get(url)
    staff = Client(HTTP_USER_AGENT=BROWSER)
    staff.force_login(publisher)
    guard.on = True
    assert reader(2).get(url)["X-Cache"] == "HIT"
    with pytest.raises(AssertionError, match="walked the session"):
        staff.get(url)  # the whole stack (sessions included), not the lean path
    guard.on = False
    response = staff.get(url)
    assert response.status_code == 200 and "X-Cache" not in response
    assert "Cookie" in response["Vary"]  # the page of a session, not the anonymous one


def test_english_pages_are_english_and_cached_pages_stay_vietnamese(article):
    browser = reader(1)
    browser.get("/")
    for _ in range(2):
        english = browser.get("/en/")
        assert english.status_code == 200 and "X-Cache" not in english
        assert '<html lang="en">' in english.text and english["Content-Language"] == "en"
        hit = browser.get("/")  # served after an English page by the same worker
        assert hit["X-Cache"] == "HIT" and '<html lang="vi">' in hit.text and hit["Content-Language"] == "vi"
        assert "Thống kê truy cập" in hit.text


def test_head_of_a_cached_page_goes_the_whole_way(article):
    url = article.get_absolute_url()
    reader(1).get(url)
    response = reader(2).head(url)
    assert response.status_code == 200 and response.content == b"" and response["X-Cache"] == "HIT"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_browser_that_takes_gzip_gets_the_page_compressed(article):
    set_initial_views(article.pk, 207)
    url = article.get_absolute_url()
    plain = reader(1).get(url)
    browser = reader(2)
    response = browser.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["X-Cache"] == "HIT" and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 2
    page = gzip.decompress(response.content).decode()
    assert page == plain.text.replace("Lượt xem: 208", "Lượt xem: 209")  # the same page, its own count
    assert response.cookies["vid"] and article_views(article.pk) == 209
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # Its tag is not the uncompressed page's: a cache in between never mixes the two.
    same_numbers = browser.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain_again = browser.get(url)
    assert same_numbers["ETag"] != plain_again["ETag"]
    again = browser.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=same_numbers["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert article_views(article.pk) == 209  # one reader, one view


def test_a_request_for_another_host_gets_400_with_the_security_headers(article, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    url = article.get_absolute_url()
    reader(1).get(url)
    response = reader(2).get(url, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "script-src 'self'" in response["Content-Security-Policy"] and response["X-Content-Type-Options"]


def test_the_cut_page_fills_in_what_live_fill_does(article):
    """The hit path fills a page cut once at its markers: the same bytes and pieces as stats.live.fill."""
    from django.utils import timezone

    from stats import live
    from stats.middleware import CutPage

    blocks = [live.marker(name) for name in live.registered()]
    page = (
        b"<p>Luot xem: <!--stats:views--></p>"
        + b"".join(b"<div>" + marker + b"</div>" for marker in blocks)
        + b"<!--stats:views--><!--stats:khong-co--><p>het</p>"
    )
    now = timezone.now()
    for views in (1234567, None):
        assert CutPage(page).fill(views, "vi", now) == live.fill(page, views, "vi", now)
    assert CutPage(b"<p>no markers</p>").fill(5, "vi", now) == live.fill(b"<p>no markers</p>", 5, "vi", now)
