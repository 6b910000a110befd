"""URLs of `make bench` (portal/settings_bench.py): the portal's, plus the benchmark's floor."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from . import urls


@cache
def floor_body(size):
    return (b"<!doctype html><title>floor</title><p>" + b"x" * size)[:size]


def floor(request):
    """Benchmark floor: a constant page of the article page's size through the same stack."""
    return HttpResponse(floor_body(settings.BENCH_FLOOR_BYTES), content_type="text/html; charset=utf-8")


urlpatterns = list(urls.urlpatterns)
if settings.BENCH_FLOOR_BYTES:
    urlpatterns.insert(0, path("__bench__/floor/", floor, name="bench-floor"))
handler404 = urls.handler404
handler500 = urls.handler500
