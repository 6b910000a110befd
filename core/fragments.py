"""Rendered HTML fragments (and a few small query results) kept in Django's cache.

Some pieces are the same for every reader until the content or the code changes: the menu and the
footer, a listing's cards, the feedback form under an article. Rendering them costs a few milliseconds
per page, so the rendered HTML is kept in the cache framework, in its "fragments" cache (local memory
in each worker, even when the default cache is Redis: see portal/settings.py). Keys say everything a
piece depends on (the content version when it shows content, the language, the values it is rendered
from), so the value under a key never changes and every worker that has one has the right one; the
cache's key prefix holds the deploy version, so a new release never serves an old fragment. Entries
expire after FRAGMENT_SECONDS, and the backend evicts the least used first: nothing grows without
bound, and nothing has to be reset by hand.
"""

import hashlib

from django.core.cache import caches
from django.utils.safestring import mark_safe

FRAGMENT_SECONDS = 24 * 3600
_MISSING = object()


def cache_key(key) -> str:
    """A short key of the cache for a tuple of plain values (names, ids, dates, versions)."""
    digest = hashlib.md5(repr(key).encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()
    return f"fragment:{digest}"


def remembered(key, render):
    """The HTML `render()` returns, rendered once for `key` and kept in the cache."""
    return mark_safe(remembered_value(key, render))  # noqa: S308 (our own templates, autoescaped)


def remembered_value(key, compute, timeout=FRAGMENT_SECONDS):
    """What `compute()` returns, computed once for `key` (which must say everything the value depends on,
    e.g. the content version) and kept in the cache. The value must pickle (the cache stores a copy)."""
    name = cache_key(key)
    cache = caches["fragments"]
    value = cache.get(name, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(name, value, timeout)
    return value
