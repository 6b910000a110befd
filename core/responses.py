"""Response helpers every app's views share."""

from django.utils.cache import add_never_cache_headers, patch_cache_control


def private(response):
    """Per-reader pages: never stored by the page cache, a proxy or the browser."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def retry_later(response, seconds):
    response["Retry-After"] = str(seconds)
    return private(response)
