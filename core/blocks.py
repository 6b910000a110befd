"""Page blocks: the pieces an app puts on pages it does not own (the sidebar, the home page).

core knows no app: each app registers its blocks in its AppConfig.ready(), and a template renders the
blocks of a place with `{% page_blocks "sidebar" %}` (core/templatetags/page_blocks.py). A block has a
name, a Vietnamese title (for the admin and the docs), the places it goes to ("sidebar", "home", "home-top"),
the page types it shows on (None: every page), an order, and either a `render(where)` callable returning
HTML or a `template` with a `context(where)` callable returning the template's context (None or "" means
"nothing to show": the place simply has one block less).

Example (in an app's AppConfig.ready())::

    from django.utils.translation import gettext_lazy as _
    from core import blocks

    def week_context(where):
        entries = list(Entry.objects.published().this_week())
        return {"entries": entries} if entries else None

    blocks.register(
        "calendar-week",
        _("Lịch công tác tuần này"),
        places=("home",),          # the home page's main column
        template="calendar/_week_block.html",
        context=week_context,
        order=30,
    )

`where` is a `Where(place, page_type, request)`; `request` may be None (rendered outside a request).

Caching: by default (`cache=True`) a block's HTML is kept as a fragment (core.fragments) keyed by its
name, place, page type, the language and the site's content version (core.models.ContentVersion,
bumped when anything public is saved: your models' post_save/post_delete must bump it, as
portal/signals.py and navigation/signals.py do). So on a page whose fragments are warm the blocks cost
no query. What also changes with the clock (an announcement expiring, a banner's end date) sets
`cache_seconds`: the key then also holds the current period of that many seconds. A block whose output
is per reader, or already cheap and live (a stats live-block marker, see stats.live), sets `cache=False`.

Page types: a page's type is the `page_type` variable of its template context if there is one, else
the type registered for its URL name with `page_type()` (news registers "news:home" → "home",
"news:article" → "article", …), else "other".
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

DEFAULT_PAGE_TYPE = "other"

# Places a template may ask for; an app may add its own by registering a block for it.
SIDEBAR = "sidebar"
HOME = "home"  # the home page's main column, under the newest articles
HOME_TOP = "home-top"  # across the top of the home page (banners)


@dataclass(frozen=True)
class Where:
    """Where a block is being rendered: the place, the page type, and the request (None outside one)."""

    place: str
    page_type: str
    request: object = None


@dataclass(frozen=True)
class Block:
    name: str
    title: str
    places: frozenset
    pages: frozenset | None  # page types it shows on; None: all
    not_pages: frozenset  # page types it never shows on (a page that shows the same thing itself)
    order: int
    render: Callable | None  # render(where) → HTML ("" for nothing)
    template: str | None
    context: Callable | None  # context(where) → dict (None: nothing to show)
    cache: bool
    cache_seconds: int | None

    def shows(self, place, page_type):
        return (
            place in self.places
            and (self.pages is None or page_type in self.pages)
            and page_type not in self.not_pages
        )

    def html(self, where):
        if self.render is not None:
            return self.render(where) or ""
        context = self.context(where) if self.context is not None else {}
        if context is None:
            return ""
        return render_to_string(self.template, {"where": where, **context}, request=where.request)


_blocks = {}  # name → Block; filled at start-up (the apps' ready()), read-only afterwards
_page_types = {}  # URL name ("news:home") → page type ("home"); likewise


def register(
    name,
    title,
    *,
    places,
    pages=None,
    not_pages=(),
    order=100,
    render=None,
    template=None,
    context=None,
    cache=True,
    cache_seconds=None,
):
    """Add (or replace, by name) a block. Give `render`, or `template` (with an optional `context`)."""
    if (render is None) == (template is None):
        raise ValueError("a block needs either render= or template=")
    if isinstance(places, str):
        places = (places,)
    if isinstance(pages, str):
        pages = (pages,)
    _blocks[name] = Block(
        name=name,
        title=title,
        places=frozenset(places),
        pages=frozenset(pages) if pages is not None else None,
        not_pages=frozenset((not_pages,) if isinstance(not_pages, str) else not_pages),
        order=order,
        render=render,
        template=template,
        context=context,
        cache=cache,
        cache_seconds=cache_seconds,
    )


def unregister(name):
    _blocks.pop(name, None)


def registered():
    """Every block, in order."""
    return sorted(_blocks.values(), key=lambda block: (block.order, block.name))


def page_type(view_name, kind):
    """Say that the page at URL name `view_name` ("news:article") is of type `kind` ("article")."""
    _page_types[view_name] = kind


def page_type_of(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return DEFAULT_PAGE_TYPE
    return _page_types.get(match.view_name, DEFAULT_PAGE_TYPE)


def blocks_for(place, page_type):
    return [block for block in registered() if block.shows(place, page_type)]


def _key(block, where, version):
    key = ("block", block.name, where.place, where.page_type, get_language(), version)
    if block.cache_seconds:
        key += (int(time.time() // block.cache_seconds),)
    return key


def render_place(place, page_type, request=None):
    """The HTML of every block of `place` on a page of `page_type`, in order."""
    from .fragments import remembered
    from .pagecache import content_version

    where = Where(place, page_type, request)
    version = None
    parts = []
    for block in blocks_for(place, page_type):
        try:
            if block.cache:
                if version is None:
                    version = content_version()  # read at most once per request
                if version is not None:
                    parts.append(remembered(_key(block, where, version), lambda block=block: block.html(where)))
                    continue
            parts.append(block.html(where))
        except DatabaseError:
            # One block never takes a page down (the database is away: the rest of the page may be cached).
            logger.warning("blocks: %s could not be rendered", block.name, exc_info=True)
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (our own templates, autoescaped)
