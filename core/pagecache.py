"""Whole-page cache for anonymous readers.

Anonymous GET/HEAD requests for the pages named in settings.PAGE_CACHE_VIEWS are
answered from the cache (local memory by default, Redis with REDIS_URL) without
touching sessions, templates or the database. Placed right below the stats
middleware, so view counting and the live visitor box still happen on every hit
(they are spliced into the cached HTML on the way out), and above everything
that reads cookies or sessions.

Freshness: the key contains the site's content version (portal.models.ContentVersion),
which any article/category/attachment change bumps, and which moves on by itself
when a scheduled article's time comes. Workers read it from the database at most
every PAGE_CACHE_POLL_SECONDS.

A GET hit is answered further out still, by portal.middleware_cachehit (the lean path: this module's
`lookup` and `response_from_entry`, then the stats middleware's `finish`, then the security headers),
so it walks none of the middleware in between.

Anyone with a session cookie (staff, or anyone logged in) bypasses the cache and
is never stored. Responses that set cookies, are private, or are not 200 are not
stored either. Browsers and proxies revalidate with ETag / Last-Modified.

Database away: the last version this worker read is used and a page found under it is served with
`X-Cache: STALE` (a change made meanwhile may be missing); a page not in the cache gets the 503 page.
"""

import hashlib
import logging
import struct
import threading
import time
import zlib
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from .models import ContentVersion

# Only these query parameters change what a cached page shows; others are ignored,
# so random query strings cannot flood the cache.
KEY_PARAMS = ("page", "p")
logger = logging.getLogger(__name__)
_lock = threading.Lock()
_state = {"checked": 0.0, "version": None, "next_publish_at": None}


# The version a request in progress on this thread has seen: one page is built from one version
# (the page cache, the remembered menu and footer), and reads it at most once.
_request = threading.local()


def _request_started(**kwargs):
    _request.version = None
    _request.stale = False
    _request.active = True


def _request_finished(**kwargs):
    _request.version = None
    _request.stale = False
    _request.active = False


request_started.connect(_request_started, dispatch_uid="pagecache-request-started")
request_finished.connect(_request_finished, dispatch_uid="pagecache-request-finished")


def content_version():
    """The current content version, read from the database at most every PAGE_CACHE_POLL_SECONDS
    (and at most once per request)."""
    if getattr(_request, "active", False):
        if _request.version is None:
            _request.version = _read_content_version()
        return _request.version
    return _read_content_version()


def _read_content_version():
    now = time.monotonic()
    poll = getattr(settings, "PAGE_CACHE_POLL_SECONDS", 1.0)
    with _lock:
        fresh = _state["version"] is not None and now - _state["checked"] < poll
        if fresh and not _due(_state["next_publish_at"]):
            return _state["version"]
    try:
        version, next_publish_at = ContentVersion.current()
        if _due(next_publish_at):
            version, next_publish_at = ContentVersion.bump()  # a scheduled article just went live
    except DatabaseError:
        if _state["version"] is None:
            logger.warning("pagecache: content version unavailable and none known; not caching", exc_info=True)
            return None
        # The database is away: keep serving the pages we have rather than nothing, marked stale
        # (`X-Cache: STALE`): a change made since they were stored may be missing.
        logger.warning("pagecache: content version unavailable, serving cached pages")
        _request.stale = True
        return _state["version"]
    with _lock:
        _state.update(checked=now, version=version, next_publish_at=next_publish_at)
    return version


@lru_cache(maxsize=8192)
def view_name(path):
    """The URL name a path resolves to (None when it resolves to nothing), remembered: the URL patterns
    never change while the process runs, and resolving walks every include before the news URLs.

    Only pages in the default language are cached: on a hit the stats middleware fills in the visitor
    box in that language (nothing below has run to say otherwise). So a path under another language's
    prefix (i18n_patterns: /en/…) is None, and the rest resolve in the default language, whatever
    language the thread was left in (this runs above LocaleMiddleware)."""
    if translation.get_language_from_path(path) not in (None, settings.LANGUAGE_CODE):
        return None
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return resolve(path).view_name
        except Resolver404:
            return None


def forget_content_version():
    """Make the next request re-read the version (after a local change, and in tests)."""
    with _lock:
        _state.update(checked=0.0, version=None, next_publish_at=None)
    _request.version = None


def _due(moment):
    return moment is not None and moment <= timezone.now()


def lookup(request):
    """(key, entry) of the page this request asks for when the page cache answers it (entry None: not
    stored yet), or None when it does not (not an anonymous GET/HEAD of a cached view, cache off, no
    version). Looked up once per request: the lean path further out (portal.middleware_cachehit) and
    the middleware below share the answer."""
    try:
        return request._pagecache_lookup
    except AttributeError:
        pass
    found = None
    if eligible(request):
        version = content_version()
        if version is not None:
            key = cache_key(request, version)
            found = (key, cache.get(key))
    request._pagecache_lookup = found
    return found


def eligible(request):
    """An anonymous (no session cookie) GET or HEAD of a page named in PAGE_CACHE_VIEWS."""
    if not (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return False
    return view_name(request.path_info) in settings.PAGE_CACHE_VIEWS


def cache_key(request, version):
    query = request.GET
    params = "&".join(f"{k}={query.get(k)}" for k in KEY_PARAMS if k in query) if query else ""
    raw = f"{request.get_host()}{request.path}?{params}"
    digest = hashlib.md5(raw.encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()
    return f"page:{version}:{digest}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = lookup(request)
        if found is None:
            return self.get_response(request)
        key, entry = found
        if entry is not None:
            return response_from_entry(request, entry)
        response = self.get_response(request)
        if self._storable(request, response):
            entry = self._entry(response)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            _add_validators(response, entry)
        return response

    def _storable(self, request, response):
        if response.status_code != 200 or response.streaming:
            return False
        if response.cookies or response.has_header("Set-Cookie"):
            return False
        cache_control = response.get("Cache-Control", "")
        return "private" not in cache_control and "no-store" not in cache_control

    def _entry(self, response):
        content = response.content
        etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
        headers = [(k, v) for k, v in response.items() if k.lower() not in ("etag", "last-modified", "vary")]
        modified = int(time.time())
        # Headers a hit sends as they are: validated once here (the response's own checks), not on every hit.
        return {
            "headers": headers,
            "content": content,
            "etag": etag,
            "modified": modified,
            "validators": [
                ("ETag", etag),
                ("Last-Modified", http_date(modified)),
                ("Cache-Control", "public, max-age=0, must-revalidate"),
            ],
        }


def _add_validators(response, entry):
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["modified"])
    response["Cache-Control"] = "public, max-age=0, must-revalidate"


def response_from_entry(request, entry):
    """The response for a stored page: the page (no body for HEAD) or a 304 when the reader has it."""
    not_modified = _not_modified(request, entry)
    if not_modified:
        response = HttpResponseNotModified()
        headers = [(k, v) for k, v in entry["headers"] if k.lower() not in ("content-length", "content-type")]
    else:
        response = HttpResponse(b"" if request.method == "HEAD" else entry["content"])
        headers = entry["headers"]
    # The stored headers were checked by HttpResponse when the page was rendered: put in as they are
    # (ResponseHeaders keeps them by lower-cased name), instead of checking ten headers again on every hit.
    store = response.headers._store
    for name, value in headers:
        store[name.lower()] = (name, value)
    if request.method == "HEAD" and "content-length" in store:
        # Live numbers are spliced into GET responses further out, so the stored length is not the GET's.
        del store["content-length"]
    if "validators" in entry:
        for name, value in entry["validators"]:
            store[name.lower()] = (name, value)
    else:  # an entry stored before validators were kept in it
        _add_validators(response, entry)
    response["X-Cache"] = "STALE" if getattr(_request, "stale", False) else "HIT"
    return response


def _not_modified(request, entry):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        # Weak comparison: the stats middleware marks tags weak (live numbers change the bytes, not the page).
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return entry["etag"] in tags or "*" in tags
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if not if_modified_since:
        return False
    since = parse_http_date_safe(if_modified_since)
    return since is not None and since >= entry["modified"]


class GzipPieces:
    """A page made of fixed pieces with changing ones between them (live numbers), sent gzip-compressed
    without compressing the whole page for every reader: each fixed piece is compressed once (a raw deflate
    stream ended with a sync flush, so pieces compressed apart can be put one after the other), and the
    pieces put in per request, a few hundred bytes, go in as stored (uncompressed) deflate blocks. One
    gzip member: the header, the blocks, a final empty block, the CRC-32 and length of the whole page."""

    HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, no time
    LAST_BLOCK = b"\x03\x00"  # a final, empty block of fixed codes

    def __init__(self, pieces, level=6):
        self.pieces = pieces
        self.compressed = []
        for piece in pieces:
            deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
            self.compressed.append(deflate.compress(piece) + deflate.flush(zlib.Z_SYNC_FLUSH))

    def join(self, fillers):
        """The gzip bytes of pieces[0] + fillers[0] + pieces[1] + … (one filler between two pieces)."""
        out = [self.HEADER, self.compressed[0]]
        crc = zlib.crc32(self.pieces[0])
        size = len(self.pieces[0])
        for filler, piece, compressed in zip(fillers, self.pieces[1:], self.compressed[1:], strict=True):
            for start in range(0, len(filler), 0xFFFF):
                chunk = filler[start : start + 0xFFFF]
                out.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
            out.append(compressed)
            crc = zlib.crc32(piece, zlib.crc32(filler, crc))
            size += len(filler) + len(piece)
        out.append(self.LAST_BLOCK + struct.pack("<II", crc, size & 0xFFFFFFFF))
        return b"".join(out)
