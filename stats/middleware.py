"""Counting and live numbers, on the way out of every response.

Sits right below WhiteNoise and above everything else, the page cache included: a page served from
the cache passes through here like a freshly rendered one, so it is counted and gets current numbers.

An article page, followed through: the article view (news/views.py) marks its response with
`X-Article-Id`; here the reader is told apart (`stats.visitors`: the `vid` cookie, crawlers), the
view is counted (`stats.buffer.record_view`, which returns the count including it; requests without
the cookie only a few times a minute per address, `cookieless_view_counts`), and the page's
markers are replaced by the count and the live blocks (`stats.live.fill`).

Because the live numbers change the bytes, this layer also owns the ETag of the pages it fills:
derived from the inner ETag (or body) plus the numbers put in; a matching If-None-Match gets its
304 here. A reader whose view is counted always gets a new count, hence a new ETag and a full page.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from core.clientip import client_ip_hash

from . import buffer, live
from .visitors import SEEN_COOKIE, VISITOR_COOKIE, VISITOR_MAX_AGE, device_class, is_crawler, visitor_from_cookie

logger = logging.getLogger(__name__)

ARTICLE_HEADER = "X-Article-Id"


class StatsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "HEAD":
            # Answered as a GET inside, so the Content-Length is the filled page's; the server
            # sends no body for HEAD (WSGI servers drop it), and nothing is counted.
            request.method = "GET"
            try:
                response = self.get_response(request)
            finally:
                request.method = "HEAD"
        else:
            response = self.get_response(request)
        article_id = response.get(ARTICLE_HEADER)
        if article_id is not None:
            del response[ARTICLE_HEADER]  # internal: between the article view and this middleware
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        encoded = response.has_header("Content-Encoding")  # compressed below us: cannot edit the body
        content = b"" if encoded else response.content
        has_markers = live.MARKER in content
        if not article_id and not has_markers:
            return response  # not a public page (admin, …)

        reading = request.method == "GET"
        crawler = is_crawler(request.META.get("HTTP_USER_AGENT"))
        counting = reading and settings.STATS_COUNTING_ENABLED and not crawler
        visitor = visitor_from_cookie(request)
        new_visitor = visitor is None
        if new_visitor:
            visitor = uuid.uuid4()
        now = timezone.now()
        if article_id and counting and new_visitor and not cookieless_view_counts(request, article_id, now):
            counting = False  # shown, not counted: this address sent too many cookieless views this minute

        views = None
        noted = False
        try:
            if article_id and counting:
                device = device_class(request.META.get("HTTP_USER_AGENT"))
                views = buffer.record_view(article_id, visitor, now, device)  # notes the visitor too
            elif article_id and live.VIEWS_MARKER in content:
                views = buffer.shown_views(article_id)
            elif counting and not new_visitor and not request.COOKIES.get(SEEN_COOKIE) and has_markers:
                # Any other public page: a returning visitor is on the site (at most once a minute).
                # First-time visitors are noted from their second page on or their first article:
                # clients that ignore cookies never cost a write here.
                buffer.note_visitor(visitor, now, device_class(request.META.get("HTTP_USER_AGENT")))
                noted = True
        except DatabaseError as exc:  # database away: the view stays held (stats/buffer.py); one line
            logger.warning("stats: could not read the count for %s (%s)", request.path[:300], exc)
        except ValueError:
            logger.exception("stats: could not count %s", request.path)

        if has_markers:
            self.fill_markers(request, response, content, views, now)
        if reading and not crawler and (new_visitor or noted):
            secure = request.is_secure()
            if new_visitor:
                set_cookie(response, VISITOR_COOKIE, visitor.hex, VISITOR_MAX_AGE, secure)
            if noted:
                set_cookie(response, SEEN_COOKIE, "1", 60, secure)
            # A page carrying someone's cookie must never be stored by a shared cache for others.
            mark_private(response)
        if has_markers:
            # Browsers send If-None-Match, which wins and covers the numbers. Last-Modified stays the
            # content's date: clients that only send If-Modified-Since (crawlers) get a 304 when the
            # article did not change, whatever the numbers did.
            last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=last_modified, response=response
            )
        return response

    def fill_markers(self, request, response, content, views, now):
        lang = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        filled, parts = live.fill(content, views, lang, now)
        response.content = filled
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(filled))
        response["ETag"] = derived_etag(response.get("ETag"), content, parts)


def cookieless_view_counts(request, article_id, now):
    """Whether a view that came without the visitor cookie counts.

    A browser sends the `vid` cookie back, so a reader counts once per STATS_DEDUP_MINUTES per article
    whatever their address (phones behind a carrier's shared address included). A request without it is
    a first visit, or a script that drops cookies and would count as a new visitor every time: those count
    at most STATS_COOKIELESS_PER_MINUTE times a minute per client address (core.clientip, salted hash)
    per article. Counted in the cache (shared by every worker and server with Redis; without it, per
    worker). Stated to readers on /quyen-rieng-tu/."""
    limit = settings.STATS_COOKIELESS_PER_MINUTE
    key = f"stats:nocookie:{int(now.timestamp() // 60)}:{article_id}:{client_ip_hash(request)}"
    try:
        cache.add(key, 0, 120)
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: a new minute
        return True


def set_cookie(response, name, value, max_age, secure):
    """HttpResponse.set_cookie(name, value, max_age, httponly=True, samesite="Lax", secure=secure),
    without the Expires date (Max-Age is what browsers use; formatting the date cost more than the rest)."""
    response.cookies[name] = value
    morsel = response.cookies[name]
    morsel["max-age"] = max_age
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    if secure:
        morsel["secure"] = True


_private_versions = {}


def mark_private(response):
    """patch_cache_control(response, private=True), remembered per Cache-Control value (pages have few)."""
    current = response.get("Cache-Control")
    if current not in _private_versions:
        patch_cache_control(response, private=True)
        if len(_private_versions) < 64:
            _private_versions[current] = response["Cache-Control"]
        return
    response["Cache-Control"] = _private_versions[current]


def derived_etag(inner_etag, content, parts):
    """The filled page's ETag: the inner page's ETag (or, without one, its bytes) plus what was put in."""
    digest = hashlib.md5(inner_etag.encode() if inner_etag else content, usedforsecurity=False)
    for part in parts:
        digest.update(b"\0" + part)
    tag = f'"{digest.hexdigest()}"'
    return f"W/{tag}" if inner_etag and inner_etag.startswith("W/") else tag
