"""Rendered HTML fragments remembered per process.

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
    html = _fragments.get(key)
    if html is None:
        html = mark_safe(render())  # noqa: S308 (rendered by our own template, autoescaped)
        with _lock:
            if len(_fragments) >= _LIMIT:
                _fragments.clear()
            _fragments[key] = html
    return html


def forget():
    """Forget every fragment (tests: a rolled-back test leaves a content version the next one reaches again)."""
    with _lock:
        _fragments.clear()
