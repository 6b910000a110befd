import logging

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core import mediaserve

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 `ok` when the app and the database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        logger.warning("healthz: database unreachable", exc_info=True)
        return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request context processors: the database may be what failed.
    return render(request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500)


def media(request, path):
    """Uploaded files in single-server mode, with byte ranges (core.mediaserve: phones play video only
    so). Attachments download rather than render in the browser."""
    try:
        response = mediaserve.serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:  # a name too long for the file system, or otherwise unreadable
        raise Http404 from error
    response["X-Content-Type-Options"] = "nosniff"
    if path.startswith("attachments/"):
        response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def csrf_failure(request, reason=""):
    """A form sent without its security token (cookies blocked, or a page left open for hours)."""
    return render(request, "403_csrf.html", status=403)


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")
