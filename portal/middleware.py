"""Request ids with one structured log line per request, a friendly 503 when the database is away, a 413
for oversized public form posts, and one-line logging of scripted noise."""

import contextvars
import json
import logging
import random
import time
from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.template import loader

from portal.db.base import DatabaseBackingOff

access_logger = logging.getLogger("portal.access")
logger = logging.getLogger(__name__)
current_request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every log record (errors can then be matched to a request)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class SecurityNoiseFilter(logging.Filter):
    """Django logs each suspicious request (a bad Host header, `../` in a path, a mangled upload) at ERROR
    with a traceback on a `django.security.*` logger. Scripts send them all day: one WARNING line each is
    enough (the request id and the kind of problem stay in it)."""

    def filter(self, record):
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = record.stack_info = None
            record.msg = " ".join(str(record.msg).split())[:300]  # one line, whatever the request put in
        return True


class RequestBodyLimitMiddleware:
    """A POST (PUT, PATCH) body over its path's limit gets a Vietnamese 413 page from its Content-Length,
    before anything reads it. The limit is per path (settings.REQUEST_BODY_LIMITS, the first prefix that
    matches): large where staff upload videos and photos, modest elsewhere in the admin, and
    PUBLIC_POST_MAX_BYTES (a few kilobytes) for every public form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0  # Django reads nothing of a body whose length it cannot parse
            limit, upload = body_limit(request.path_info, request.META.get("CONTENT_TYPE", ""))
            if length > limit:
                return request_too_large_response(request, length, limit, upload)
        return self.get_response(request)


def body_limit(path, content_type=""):
    """(the most bytes a body sent to `path` may have, whether the path is one of the upload places).
    An entry (prefix, limit, "multipart") applies to file uploads only (a public form that takes files:
    its plain posts keep the public limit)."""
    for prefix, limit, *only in settings.REQUEST_BODY_LIMITS:
        if path.startswith(prefix):
            if only and not content_type.startswith("multipart/form-data"):
                break
            return limit, True
    return settings.PUBLIC_POST_MAX_BYTES, False


def request_too_large_response(request, length, limit=None, upload=False):
    from django.http import HttpResponse
    from django.template.defaultfilters import filesizeformat

    limit = settings.PUBLIC_POST_MAX_BYTES if limit is None else limit
    html = loader.get_template("413.html").render(
        {
            "request_id": getattr(request, "request_id", ""),
            "limit_kb": limit // 1024,
            "upload": upload,
            "limit_size": filesizeformat(limit),
            "sent_size": filesizeformat(length),
        }
    )
    response = HttpResponse(html, status=413)
    response["Cache-Control"] = "no-store"
    response["Connection"] = "close"  # the body was not read: do not reuse the connection
    logger.warning("request body of %d bytes refused for %s", length, request.path[:300])
    return response


class RequestLogMiddleware:
    """Outermost: gives each request an id (shown on the 500 page, sent as X-Request-ID) and logs
    method, path, status and duration as one JSON line, with no personal data (no IP, no cookies)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # 64 random bits: unique enough to find a request in the logs, and no system call (uuid4() reads
        # os.urandom: 4 % of a worker's time on cached pages). Python reseeds `random` in forked workers.
        request_id = f"{random.getrandbits(64):016x}"
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            access_logger.info(
                json.dumps(
                    {
                        "request_id": request_id,
                        "method": request.method,
                        "path": request.path[:300],
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                    ensure_ascii=False,
                )
            )
            current_request_id.reset(token)


class DatabaseUnavailableMiddleware:
    """When PostgreSQL cannot be reached, readers get a Vietnamese 503 page (and a Retry-After)
    instead of a 500; the connection pool reconnects by itself once the database is back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) and not _is_connection_error(exception):
            return None
        if isinstance(exception.__cause__, DatabaseBackingOff):
            # Not tried (portal/db/base.py): the failure that started the back-off was logged in full.
            logger.warning("database unavailable (backing off) while serving %s", request.path[:300])
        else:
            logger.error("database unavailable while serving %s", request.path[:300], exc_info=exception)
        return database_unavailable_response(request)


def _is_connection_error(exception):
    return isinstance(exception, DatabaseError) and "connection" in str(exception).lower()


def database_unavailable_response(request):
    from django.http import HttpResponse

    # A template with no context processors: they may need the database that just failed.
    html = loader.get_template("503.html").render({"request_id": getattr(request, "request_id", "")})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class SecurityHeadersMiddleware(CSPMiddleware):
    """Content Security Policy (django-csp) plus Permissions-Policy.

    Public pages get a strict policy: scripts and styles only from our own static files, no inline
    script or style at all. The admin (CKEditor 5 included) gets its own, which allows the inline
    styles and blob: images the editor needs, still without inline scripts."""

    def __init__(self, get_response):
        super().__init__(get_response)
        # The site-wide policies depend on the settings alone: built once per middleware instance (each
        # handler, e.g. each test client, makes its own), for public pages and for the admin.
        self._built = {}

    def process_response(self, request, response):
        if HEADER not in response and not _customised(request, response):
            # The common case: the site-wide policy, built once per kind of page instead of every response.
            kind = request.path_info.startswith(ADMIN_PREFIXES)
            policy = self._built.get(kind)
            if policy is None:
                policy = self._built[kind] = build_policy(**asdict(self.get_policy_parts(request, response)))
            response[HEADER] = policy
        if HEADER not in response:
            response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            from csp.utils import default_config

            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts


def _customised(request, response):
    """A view changed the policy (django-csp's decorators) or used a nonce: build this one in full."""
    return (
        getattr(request, "_csp_nonce", None) is not None
        or any(
            getattr(response, name, None) is not None
            for name in ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
        )
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    )


ADMIN_PREFIXES = ("/admin/", "/ckeditor5/")
