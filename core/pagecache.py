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

Anyone with a session cookie (staff, or anyone logged in) bypasses the cache and
is never stored. Responses that set cookies, are private, or are not 200 are not
stored either. Browsers and proxies revalidate with ETag / Last-Modified.

Database away: the last version this worker read is used and a page found under it is served with
`X-Cache: STALE` (a change made meanwhile may be missing); a page not in the cache gets the 503 page.
"""

import hashlib
import logging
import threading
import time
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


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        version = content_version()
        if version is None:
            return self.get_response(request)
        key = self._key(request, version)
        entry = cache.get(key)
        if entry is not None:
            return self._from_entry(request, entry)
        response = self.get_response(request)
        if self._storable(request, response):
            entry = self._entry(response)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            self._add_validators(response, entry)
        return response

    def _eligible(self, request):
        if not (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return False
        return view_name(request.path_info) in settings.PAGE_CACHE_VIEWS

    def _key(self, request, version):
        params = "&".join(f"{k}={request.GET.get(k)}" for k in KEY_PARAMS if k in request.GET)
        raw = f"{request.get_host()}{request.path}?{params}"
        digest = hashlib.md5(raw.encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()
        return f"page:{version}:{digest}"

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
        return {"headers": headers, "content": content, "etag": etag, "modified": int(time.time())}

    def _add_validators(self, response, entry):
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["modified"])
        response["Cache-Control"] = "public, max-age=0, must-revalidate"

    def _from_entry(self, request, entry):
        if self._not_modified(request, entry):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(b"" if request.method == "HEAD" else entry["content"])
        for name, value in entry["headers"]:
            if response.status_code == 304 and name.lower() in ("content-length", "content-type"):
                continue
            response[name] = value
        if request.method == "HEAD" and response.has_header("Content-Length"):
            # Live numbers are spliced into GET responses further out, so the stored length is not the GET's.
            del response["Content-Length"]
        self._add_validators(response, entry)
        response["X-Cache"] = "STALE" if getattr(_request, "stale", False) else "HIT"
        return response

    def _not_modified(self, request, entry):
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            # Weak comparison: the stats middleware marks tags weak (live numbers change the bytes, not the page).
            tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
            return entry["etag"] in tags or "*" in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and since >= entry["modified"]
