"""Rendered HTML fragments (and a few small query results) remembered per process.

Some fragments are the same for every reader and change only with the code (the feedback form under
an article, the footer's rating form): rendering their forms costs a few milliseconds per page, so
each process keeps the rendered HTML. It lives in process memory, not the shared cache, so a deploy
(a restart) always renders afresh.
"""

import threading

from django.utils.safestring import mark_safe

_LIMIT = 4096
_fragments = {}
_lock = threading.Lock()


def remembered(key, render):
    """The HTML `render()` returns, rendered once per process for `key`."""
    return remembered_value(key, lambda: mark_safe(render()))  # noqa: S308 (our own templates, autoescaped)


def remembered_value(key, compute):
    """What `compute()` returns, computed once per process for `key` (which must say everything the
    value depends on, e.g. the content version). The value is shared by all threads: never change it."""
    value = _fragments.get(key)
    if value is None:
        value = compute()
        with _lock:
            if len(_fragments) >= _LIMIT:
                _fragments.clear()
            _fragments[key] = value
    return value


def forget():
    """Forget every fragment (tests: a rolled-back test leaves a content version the next one reaches again)."""
    with _lock:
        _fragments.clear()
