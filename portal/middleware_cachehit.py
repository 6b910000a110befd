"""The lean path of an anonymous page cache hit (docs/performance.md, "Lean cache-hit path").

Its own module: portal.middleware is imported while logging is configured, before the apps are ready,
and this one needs the stats middleware (models)."""

import re

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.module_loading import import_string

from core import pagecache
from stats.middleware import StatsMiddleware

ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding


class CacheHitMiddleware:
    """The lean path of an anonymous page cache hit, right below the request log.

    A GET that the page cache answers (core.pagecache: no session cookie, a cached view, the page stored)
    is answered here, without the rest of the stack: the stored page (or its 304), then what the stats
    middleware does to every page on its way out (counting, the visitor cookie, live numbers, the ETag
    and the 304 it owns), then the headers the security middlewares above the page cache put on every
    public page (SecurityMiddleware's, CSP and Permissions-Policy), worked out once per kind of request
    (plain or https) by running those middlewares on an empty page, and kept. Nothing between here and
    the page cache has anything else to do for such a request: no session, user, messages, CSRF token or
    language (cached pages are Vietnamese pages only). Anything else (staff with a session cookie, a miss,
    HEAD, a request the HTTPS redirect applies to) goes down the whole stack; a miss is not looked up twice.

    A reader whose browser takes gzip gets the page gzip-compressed, each page compressed once per worker
    (stats.middleware.CutPage.gzipped): about a quarter of the bytes to write, and nothing left for nginx to
    compress (it passes a compressed answer on as it is).
    """

    # The middlewares above the page cache whose headers a hit gets (those that are in MIDDLEWARE): each puts
    # the same headers on every public page, whatever the page. (X-Frame-Options is set below the page cache:
    # it is stored with the page.)
    HEADER_MIDDLEWARE = (
        "django.middleware.security.SecurityMiddleware",
        "portal.middleware.SecurityHeadersMiddleware",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._header_middleware = [
            import_string(path)(_unused_get_response) for path in self.HEADER_MIDDLEWARE if path in settings.MIDDLEWARE
        ]
        self._headers = {}  # request.is_secure() → [(lower-cased name, (name, value)), …]

    def __call__(self, request):
        if request.method != "GET" or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
            return self.get_response(request)
        try:
            found = pagecache.lookup(request)
        except DisallowedHost:  # the whole stack answers it (a 400 with every security header)
            return self.get_response(request)
        if found is None or found[1] is None:
            return self.get_response(request)
        entry = found[1]
        gzip = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
        response = StatsMiddleware.finish(request, pagecache.response_from_entry(request, entry), entry["etag"], gzip)
        store = response.headers._store  # see pagecache.response_from_entry
        store["vary"] = ("Vary", "Accept-Encoding")
        for lowered, item in self._headers_for(request):
            if lowered not in store:
                store[lowered] = item
        return response

    def _headers_for(self, request):
        secure = request.is_secure()
        headers = self._headers.get(secure)
        if headers is None:
            probe = HttpResponse()
            before = set(probe.headers)
            for middleware in reversed(self._header_middleware):  # innermost first, as on the way out
                probe = middleware.process_response(request, probe)
            headers = self._headers[secure] = [
                (name.lower(), (name, value)) for name, value in probe.items() if name not in before
            ]
        return headers


def _unused_get_response(request):
    raise AssertionError("only process_response is used")
