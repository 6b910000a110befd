"""The app's own media serving (SERVE_MEDIA=1) answers byte ranges as nginx does, so phones play video from
it: real HTTP requests to the portal under gunicorn (Django's live server would answer /media/ itself, with
its own handler), and one large file streamed without being read into memory."""

import http.client as httpclient
import os
import tracemalloc
from urllib.parse import urlsplit

import pytest
from django.utils.http import http_date

from . import subprocesses

CONTENT = bytes(range(256)) * 40  # 10,240 bytes, each position recognisable


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker, tmp_path_factory):
    """The portal under gunicorn (development settings, SERVE_MEDIA=1) with a few stored files."""
    media = tmp_path_factory.mktemp("media")
    (media / "library" / "2026").mkdir(parents=True)
    path = media / "library" / "2026" / "hoi-nghi.mp4"
    path.write_bytes(CONTENT)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    (media / "attachments").mkdir()
    (media / "attachments" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4 test")
    with django_db_blocker.unblock():
        env = subprocesses.environment(
            DEBUG="1",
            DJANGO_SETTINGS_MODULE="portal.settings",
            MEDIA_ROOT=str(media),
            SERVE_MEDIA="1",
            GUNICORN_WORKERS="1",
            GUNICORN_LOG_LEVEL="warning",
            GUNICORN_ACCESS_LOG="/dev/null",
            ACCESS_LOG_LEVEL="WARNING",
        )
    with subprocesses.running_gunicorn("-c", "gunicorn.conf.py", env=env) as (url, server):
        assert subprocesses.get(url + "/healthz")[0] == 200, server.output()
        yield url


@pytest.fixture
def stored():
    return "/media/library/2026/hoi-nghi.mp4"


@pytest.fixture
def http(portal):
    """One request over a real connection: (status, headers as a dict, body)."""
    parts = urlsplit(portal)

    def request(method, path, headers=None):
        connection = httpclient.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()

    return request


def test_ranges_give_206_with_exactly_the_bytes_asked(stored, http):
    """bytes=a-b, a- and -n (what Safari sends for an MP4) each give 206, Content-Range and those bytes."""
    size = len(CONTENT)
    status, headers, body = http("GET", stored)
    assert status == 200 and body == CONTENT
    assert headers["accept-ranges"] == "bytes" and headers["content-type"] == "video/mp4"
    assert headers["content-length"] == str(size)

    status, headers, body = http("GET", stored, {"Range": "bytes=0-1"})  # Safari's first probe
    assert (status, body) == (206, CONTENT[:2])
    assert headers["content-range"] == f"bytes 0-1/{size}" and headers["content-length"] == "2"

    for spec, expected, first, last in [
        ("bytes=100-355", CONTENT[100:356], 100, 355),
        ("bytes=10000-", CONTENT[10000:], 10000, size - 1),
        ("bytes=-40", CONTENT[-40:], size - 40, size - 1),
        ("bytes=10200-99999", CONTENT[10200:], 10200, size - 1),  # the end past the file: up to the end
        ("bytes=-99999", CONTENT, 0, size - 1),
    ]:
        status, headers, body = http("GET", stored, {"Range": spec})
        assert status == 206, spec
        assert body == expected, spec
        assert headers["content-range"] == f"bytes {first}-{last}/{size}", spec
        assert headers["content-length"] == str(len(expected)), spec
        assert headers["accept-ranges"] == "bytes", spec


def test_unsatisfiable_ranges_get_416_and_nonsense_is_ignored(stored, http):
    size = len(CONTENT)
    for spec in [f"bytes={size}-", "bytes=20000-20010", "bytes=-0"]:
        status, headers, body = http("GET", stored, {"Range": spec})
        assert status == 416, spec
        assert headers["content-range"] == f"bytes */{size}", spec
    # Malformed, another unit, several ranges, or an end before the start: the whole file (RFC 9110 §14.2).
    for spec in ["bytes=abc", "items=0-10", "bytes=0-1,5-6", "bytes=50-10", "bytes="]:
        status, headers, body = http("GET", stored, {"Range": spec})
        assert (status, body) == (200, CONTENT), spec


def test_conditional_requests(stored, http):
    status, headers, _ = http("GET", stored)
    etag, modified = headers["etag"], headers["last-modified"]
    assert etag.startswith('"') and modified == http_date(1_700_000_000)

    assert http("GET", stored, {"If-None-Match": etag})[0] == 304
    assert http("GET", stored, {"If-Modified-Since": modified})[0] == 304
    assert http("GET", stored, {"If-Modified-Since": http_date(1_600_000_000)})[0] == 200
    assert http("GET", stored, {"If-Match": '"autre"'})[0] == 412
    assert http("GET", stored, {"If-Unmodified-Since": http_date(1_600_000_000)})[0] == 412

    # If-Range: the range only while the file is the one the client has part of; else the whole new file.
    assert http("GET", stored, {"Range": "bytes=0-9", "If-Range": etag})[0] == 206
    assert http("GET", stored, {"Range": "bytes=0-9", "If-Range": modified})[0] == 206
    status, _, body = http("GET", stored, {"Range": "bytes=0-9", "If-Range": '"cu-hon"'})
    assert (status, body) == (200, CONTENT)
    status, _, body = http("GET", stored, {"Range": "bytes=0-9", "If-Range": http_date(1_600_000_000)})
    assert (status, body) == (200, CONTENT)


def test_head_missing_outside_and_posted(stored, http):
    status, headers, body = http("HEAD", stored, {"Range": "bytes=0-99"})
    assert status == 206 and body == b"" and headers["content-range"].startswith("bytes 0-99/")
    status, headers, body = http("HEAD", stored)
    assert status == 200 and body == b"" and headers["content-length"] == str(len(CONTENT))
    assert http("GET", "/media/library/2026/khong-co.mp4")[0] == 404
    assert http("GET", "/media/library/2026/")[0] == 404  # a folder
    assert http("GET", "/media/../settings.py")[0] in (400, 404)
    assert http("GET", "/media/..%2f..%2fetc%2fpasswd")[0] in (400, 404)  # never the file
    assert http("POST", stored)[0] in (403, 405)  # no CSRF token; with one, 405


def test_attachments_still_download(stored, http):
    status, headers, body = http("GET", "/media/attachments/ke-hoach.pdf", {"Range": "bytes=0-3"})
    assert (status, body) == (206, b"%PDF")
    assert headers["content-disposition"] == "attachment"
    assert headers["x-content-type-options"] == "nosniff"


def test_a_large_file_is_streamed_not_read_whole(client, settings, tmp_path):
    """64 MB asked whole or from the middle: the worker never holds more than a few chunks of it."""
    settings.MEDIA_ROOT = tmp_path
    big = tmp_path / "video.mp4"
    with big.open("wb") as out:
        out.truncate(64 * 1024 * 1024)
    tracemalloc.start()
    try:
        for headers in ({}, {"HTTP_RANGE": "bytes=1000-"}):
            response = client.get("/media/video.mp4", **headers)
            assert response.streaming
            total = sum(len(chunk) for chunk in response.streaming_content)
            response.close()
            assert total in (64 * 1024 * 1024, 64 * 1024 * 1024 - 1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak
