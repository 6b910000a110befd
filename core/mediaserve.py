"""Serving stored files when the app serves its own media (SERVE_MEDIA=1: one server, no nginx in front).

What nginx does for static files, so that phones play video from the app alone: iPhones (Safari) ask
for an MP4 in byte ranges and refuse to play it from a server that answers them with the whole file.

- `Range: bytes=a-b`, `a-` and `-n` (one range) get `206 Partial Content` with `Content-Range`; a range
  that starts past the end gets `416` with `Content-Range: bytes */size`; a header that is malformed, of
  another unit, or asks several ranges is ignored (the whole file, 200), as RFC 9110 §14.2 allows.
- Every answer says `Accept-Ranges: bytes` and carries a strong ETag (modification time and size, as
  nginx makes it) and `Last-Modified`; `If-None-Match` / `If-Modified-Since` give 304, `If-Match` /
  `If-Unmodified-Since` 412 (Django's get_conditional_response), and `If-Range` with a validator that
  no longer matches turns a range request into the whole, new file.
- The file is streamed in chunks (a whole file through the server's sendfile, FileResponse): never
  read into memory, whatever its size.
"""

import mimetypes
import posixpath
import re
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

CHUNK = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.I)


@require_safe
def serve(request, path, document_root):
    """The file `path` under `document_root`, answering byte ranges and conditional requests."""
    path = posixpath.normpath(path).lstrip("/")
    try:
        full = Path(safe_join(document_root, path))
        stat = full.stat()
    except (ValueError, OSError) as error:  # outside the root (SuspiciousFileOperation), missing, name too long
        raise Http404 from error
    if not full.is_file():
        raise Http404
    size, mtime = stat.st_size, int(stat.st_mtime)
    etag = f'"{mtime:x}-{size:x}"'
    content_type, encoding = mimetypes.guess_type(str(full))
    content_type = content_type or "application/octet-stream"

    unchanged = get_conditional_response(request, etag=etag, last_modified=mtime)
    if unchanged is not None:  # 304 or 412
        return _with_validators(unchanged, etag, mtime)

    wanted = _wanted_range(request, size, etag, mtime)
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _with_validators(response, etag, mtime)

    if wanted is None:
        if request.method == "HEAD":
            response = HttpResponse(content_type=content_type)
        else:
            response = FileResponse(full.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        length = end - start + 1
        body = () if request.method == "HEAD" else _chunks(full, start, length)
        response = StreamingHttpResponse(body, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    return _with_validators(response, etag, mtime)


def _with_validators(response, etag, mtime):
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(mtime)
    return response


def _wanted_range(request, size, etag, mtime):
    """(first, last) byte to send, None for the whole file, or "unsatisfiable"."""
    header = request.headers.get("Range")
    if not header or not _if_range_holds(request.headers.get("If-Range"), etag, mtime):
        return None
    match = _RANGE.match(header)
    if not match or not any(match.groups()):
        return None  # another unit, several ranges, or nonsense: ignored
    first, last = match.groups()
    if not first:  # the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - suffix), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid range-spec: ignored
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def _if_range_holds(value, etag, mtime):
    """No If-Range, or one naming the file as it is now (a strong ETag, or exactly its date)."""
    if not value:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == etag  # a weak validator never matches (RFC 9110 §13.1.5)
    return parse_http_date_safe(value) == mtime


def _chunks(full, start, length):
    with open(full, "rb") as file:
        file.seek(start)
        left = length
        while left > 0:
            data = file.read(min(CHUNK, left))
            if not data:
                break  # the file was shortened meanwhile: the client sees a short body
            left -= len(data)
            yield data
