"""Live numbers in pages: the one place that puts them in.

Pages (freshly rendered or from the page cache) carry HTML-comment markers where live numbers go:
`<!--stats:views-->` for the article's "Lượt xem" (templates/stats/_views_slot.html) and
`<!--stats:NAME-->` for a live block (`{% live_block "NAME" %}`, stats_tags). On the way out,
StatsMiddleware hands the page to `fill()`, which replaces them. The numbers are plain HTML in the
page: readers without JavaScript see them too.

A live block is HTML every reader shares for a while: stats' visitor box ("Thống kê truy cập"),
news' "Đọc nhiều". The app that owns it registers how to build it (`register()`, in its
AppConfig.ready()). Renderings are kept in the cache (Redis when several servers share it) and
fetched with one `get_many` per page; a stale one is rebuilt by one request (a short cache lock)
while the others keep serving it, and none outlives midnight ("Hôm nay" must not show yesterday's
number). Blocks are markers rather than part of a cached page, so they stay fresh however long the
page cache keeps the page.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import translation
from django.utils.formats import get_format

from . import buffer
from .days import next_midnight

logger = logging.getLogger(__name__)

MARKER = b"<!--stats:"
VIEWS_MARKER = b"<!--stats:views-->"
# Kept well past its freshness: a stale block is served while one process rebuilds it.
KEEP_SECONDS = 24 * 3600
LOCK_SECONDS = 30
NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Block:
    name: str
    build: Callable[[datetime], str]  # the HTML; "" leaves the marker's place empty
    fresh_seconds: Callable[[], float]  # how long a rendering is served as fresh
    marker: bytes


_blocks = {}


def register(name, build, fresh_seconds):
    """Make `<!--stats:name-->` a live block: `build(now)` renders it (in the reader's language, after
    this worker's counted views are written), `fresh_seconds()` says for how long a rendering is fresh."""
    if name == "views":
        raise ValueError("“views” is the article's count, not a block")
    _blocks[name] = Block(name, build, fresh_seconds, marker(name))


def registered():
    """The registered blocks' names, in the order they were registered (the order `fill` fills them in)."""
    return tuple(_blocks)


def marker(name):
    """The marker a template puts where the live block `name` goes."""
    if not NAME.match(name):
        raise ValueError(f"not a live block name: {name!r}")
    return f"<!--stats:{name}-->".encode()


def page_block(name):
    """A render callable for core.blocks that puts the live block `name`'s marker where the block goes:
    `blocks.register("stats-box", …, render=live.page_block("box"), cache=False)`."""
    html = marker(name).decode()
    return lambda where: html


def format_number(value, lang=None):
    """1234567 → "1.234.567" in Vietnamese ("1,234,567" in English): the locale's thousand separator.

    Django's own `intcomma` groups nothing for `vi` (its NUMBER_GROUPING is unset), hence this."""
    digits = str(int(value))
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    separator = get_format("THOUSAND_SEPARATOR", lang)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + separator.join(groups)


def fill(content, views, lang, now):
    """The page's bytes with its markers replaced, and the pieces put in (they make the ETag).

    `views`: the article's count for `<!--stats:views-->` (None: unknown, shown as "–")."""
    parts = []
    if VIEWS_MARKER in content:
        shown = (format_number(views, lang) if views is not None else "–").encode()
        content = content.replace(VIEWS_MARKER, shown)
        parts.append(shown)
    wanted = [block.name for block in _blocks.values() if block.marker in content]
    if wanted:
        for name, html in rendered(wanted, lang, now).items():
            content = content.replace(_blocks[name].marker, html)
            parts.append(html)
    return content, parts


def block_key(name, lang):
    """The cache key of a block's rendering in a language."""
    return f"stats:fragment:{name}:{lang}"


def rendered(names, lang, now):
    """{name: HTML bytes} of the live blocks, with one cache read (get_many) in the common case."""
    keys = {block_key(name, lang): name for name in names}
    cached = cache.get_many(list(keys))
    out = {}
    for key, name in keys.items():
        entry = cached.get(key)
        try:
            if entry is None:
                out[name] = _rebuild(_blocks[name], key, lang, now)
                continue
            fresh_until, html = entry
            if now.timestamp() >= fresh_until and cache.add(f"{key}:lock", 1, LOCK_SECONDS):
                try:
                    html = _rebuild(_blocks[name], key, lang, now)
                finally:
                    cache.delete(f"{key}:lock")
            out[name] = html
        except DatabaseError:
            logger.exception("stats: could not rebuild the %s block", name)
            out[name] = entry[1] if entry else b""
    return out


def _rebuild(block, key, lang, now):
    buffer.views.flush_quietly()  # the reader who just arrived is in the numbers
    with translation.override(lang):
        html = block.build(now).encode()
    fresh_until = min(now.timestamp() + block.fresh_seconds(), next_midnight(now).timestamp())
    cache.set(key, (fresh_until, html), KEEP_SECONDS)
    return html


def forget(names=None):
    """Drop the renderings of these blocks (all by default): the next page rebuilds them. With the
    local-memory cache only this process forgets; other workers follow when theirs go stale."""
    cache.delete_many([block_key(name, lang) for name in names or _blocks for lang, _label in settings.LANGUAGES])
