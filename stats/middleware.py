"""Counting and live numbers, on the way out of every response.

Sits right below WhiteNoise and above everything else, the page cache included: a page served from
the cache passes through here like a freshly rendered one, so it is counted and gets current numbers.

An article page, followed through: the article view (news/views.py) marks its response with
`X-Article-Id`; here the reader is told apart (`stats.visitors`: the `vid` cookie, crawlers), the
view is counted (`stats.buffer.record_view`, which returns the count including it; requests without
the cookie only a few times a minute per address, `cookieless_view_counts` and the batch statement), and the page's
markers are replaced by the count and the live blocks (`stats.live.fill`).

Because the live numbers change the bytes, this layer also owns the ETag of the pages it fills:
derived from the inner ETag (or body) plus the numbers put in; a matching If-None-Match gets its
304 here. A reader whose view is counted always gets a new count, hence a new ETag and a full page.
"""

import hashlib
import logging
import re
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from core.clientip import client_ip_hash
from core.pagecache import GzipPieces

from . import buffer, live
from .visitors import (
    SEEN_COOKIE,
    VISITOR_COOKIE,
    VISITOR_MAX_AGE,
    device_class,
    is_crawler,
    make_visitor_id,
    visitor_from_cookie,
)

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
        return self.finish(request, response)

    @staticmethod
    def finish(request, response, digest=None, gzip=False):
        """Counting, live numbers, the visitor cookie and the ETag/304 of a page on its way out: a page from
        below, or a page cache hit answered further out (portal.middleware_cachehit), which gives the stored
        page's `digest` (a hash of its bytes: its cut at the markers is remembered, see `cut_page`) and
        whether the reader takes it gzip-compressed (compressed once per page, see CutPage.gzipped)."""
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
        page = cut_page(content, digest)
        has_markers = bool(page.names)
        if not article_id and not has_markers:
            return response  # not a public page (admin, …)

        reading = request.method == "GET"
        crawler, device = reader_kind(request.META.get("HTTP_USER_AGENT"))
        counting = reading and settings.STATS_COUNTING_ENABLED and not crawler
        visitor = visitor_from_cookie(request)
        new_visitor = visitor is None
        if new_visitor:
            visitor = make_visitor_id()
        now = timezone.now()
        cookieless_client = None
        if article_id and counting and new_visitor:
            cookieless_client = client_ip_hash(request)
            if not cookieless_view_counts(cookieless_client, article_id, now):
                counting = False  # shown, not counted: this address sent too many cookieless views this minute

        views = None
        noted = False
        try:
            if article_id and counting:
                # Notes the visitor too; a cookieless view is held to the cap again when the batch is written.
                views = buffer.record_view(article_id, visitor, now, device, cookieless_client)
            elif article_id and VIEWS in page.names:
                views = buffer.shown_views(article_id)
            elif counting and not new_visitor and not request.COOKIES.get(SEEN_COOKIE) and has_markers:
                # Any other public page: a returning visitor is on the site (at most once a minute).
                # First-time visitors are noted from their second page on or their first article:
                # clients that ignore cookies never cost a write here.
                buffer.note_visitor(visitor, now, device)
                noted = True
        except DatabaseError as exc:  # database away: the view stays held (stats/buffer.py); one line
            logger.warning("stats: could not read the count for %s (%s)", request.path[:300], exc)
        except ValueError:
            logger.exception("stats: could not count %s", request.path)

        if has_markers:
            StatsMiddleware.fill_markers(request, response, page, views, now, gzip)
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
            last_modified = parsed_http_date(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=last_modified, response=response
            )
        return response

    @staticmethod
    def fill_markers(request, response, page, views, now, gzip=False):
        lang = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        fillers, parts = page.fillers(views, lang, now)
        filled = page.gzipped().join(fillers) if gzip else page.join(fillers)
        response.content = filled
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(filled))
        etag = derived_etag(response.get("ETag"), page.content, parts)
        if gzip:
            response["Content-Encoding"] = "gzip"
            etag = etag[:-1] + '-gzip"'  # another representation, another tag
        response["ETag"] = etag


VIEWS = b"views"
MARKERS = re.compile(rb"<!--stats:([a-z][a-z0-9-]*)-->")  # live.marker(name), live.VIEWS_MARKER


class CutPage:
    """A page cut at its live markers (stats.live): the bytes between them, and the markers' names.

    Filling it in joins the pieces once; `live.fill` does the same with a search and a copy of the whole
    page per marker and per registered block (tens of microseconds each on a 30 KB page: HTML is full of
    the `<` and `>` the searches stop at), which was most of what a cache hit cost."""

    __slots__ = ("content", "between", "names", "_gzipped")

    def __init__(self, content):
        pieces = MARKERS.split(content) if live.MARKER in content else [content]
        self.content = content
        self.between = pieces[0::2]
        self.names = pieces[1::2]
        self._gzipped = None

    def fill(self, views, lang, now):
        """What live.fill(content, views, lang, now) returns: the filled page and the pieces put in."""
        fillers, parts = self.fillers(views, lang, now)
        return self.join(fillers), parts

    def join(self, fillers):
        out = [self.between[0]]
        for filler, after in zip(fillers, self.between[1:], strict=True):
            out.append(filler)
            out.append(after)
        return b"".join(out)

    def gzipped(self):
        """The page's pieces compressed once (core.pagecache.GzipPieces), on the first reader who wants it."""
        if self._gzipped is None:
            self._gzipped = GzipPieces(self.between)
        return self._gzipped

    def fillers(self, views, lang, now):
        """What goes in place of each marker, and the pieces put in (for the ETag): the article's count
        first, then the blocks in the order they were registered (as live.fill)."""
        values, parts = {}, []
        if VIEWS in self.names:
            shown = (live.format_number(views, lang) if views is not None else "–").encode()
            values[VIEWS] = shown
            parts.append(shown)
        wanted = [name for name in live.registered() if name.encode() in self.names]
        if wanted:
            for name, html in live.rendered(wanted, lang, now).items():
                values[name.encode()] = html
                parts.append(html)
        # A marker no block is registered for stays as it is (as live.fill leaves it).
        fillers = [values[name] if name in values else b"<!--stats:" + name + b"-->" for name in self.names]
        return fillers, parts


_cut_pages = {}
CUT_PAGES_KEPT = 64


def cut_page(content, digest=None):
    """The page cut at its markers; remembered by `digest` when the caller has one that changes whenever
    the bytes do (the page cache's hash of the stored page). A few pages make most hits: at most
    CUT_PAGES_KEPT are kept per process, all forgotten when that many are."""
    if digest is None:
        return CutPage(content)
    page = _cut_pages.get(digest)
    if page is None:
        if len(_cut_pages) >= CUT_PAGES_KEPT:
            _cut_pages.clear()
        page = _cut_pages[digest] = CutPage(content)
    return page


def cookieless_view_counts(client, article_id, now):
    """Whether a view that came without the visitor cookie may go into this worker's batch.

    A browser sends the `vid` cookie back, so a reader counts once per STATS_DEDUP_MINUTES per article
    whatever their address (phones behind a carrier's shared address included). A request without it is
    a first visit, or a script that drops cookies and would count as a new visitor every time: those count
    at most STATS_COOKIELESS_PER_MINUTE times a minute per client address (`client`: core.clientip's
    salted hash) per article. Stated to readers on /quyen-rieng-tu/.

    Two steps. Here, in the cache, a first filter that keeps a script's flood out of the batch: shared
    by every worker and server with Redis, per worker with the local-memory cache (then each worker
    lets up to the limit through). Then the batch statement (stats/buffer.py, `refused`) counts the
    views that got through in PostgreSQL, exactly, across workers and servers. No query here."""
    limit = settings.STATS_COOKIELESS_PER_MINUTE
    key = f"stats:nocookie:{int(now.timestamp() // 60)}:{article_id}:{client}"
    try:
        cache.add(key, 0, 120)
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: a new minute
        return True


@lru_cache(maxsize=512)
def reader_kind(user_agent):
    """(is a crawler, device class) of a User-Agent, remembered: a few hundred browsers make most requests,
    and the patterns cost more than the rest of counting a view."""
    return is_crawler(user_agent), device_class(user_agent)


@lru_cache(maxsize=64)
def parsed_http_date(value):
    """parse_http_date_safe, remembered: a cached page's Last-Modified is the same on every hit."""
    return parse_http_date_safe(value)


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
