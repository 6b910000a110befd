"""The search providers: how one search page can gather from several apps while core knows none.

Each app that has something readers look for registers a provider in its AppConfig.ready():

    # documents/apps.py                          # documents/search.py
    def ready(self):                             def answer_documents(query, *, limit, offset=0):
        from .search import register_providers       ...
        register_providers()                         return providers.Answer(count, results)

                                                 def register_providers():
                                                     providers.register("documents", _("Văn bản"), answer_documents)

A provider is a name (a stable key: "news", "documents"), a label (what its results are, for
readers: "Tin bài", "Văn bản"), a `slug` naming it in URLs (`/tim-kiem/?q=…&loai=van-ban`; the
name by default), an `order` among the others, and a function

    search(query: ParsedQuery, *, limit: int, offset: int = 0) -> Answer

- `query` was checked once for all providers (`parse_query()`, core.search.query): `query.text` is
  the normalised reader input, `query.query` the websearch SearchQuery in the accent-folding
  `vn_unaccent` configuration, so "quyet dinh" matches "Quyết định".
- The Answer holds `count`, the number of matches (a lower bound when `more` is true: counting a
  huge match set exactly costs too much), and `results`: at most `limit` Result, from `offset` on,
  best first. Each Result says what it is (`kind`, the provider's label), its title, URL, date and a
  snippet, as safe HTML with the matches in <mark> (core.search.highlighting).
- `exact` says the first result is the very thing the reader named (a document by its number), so a
  page gathering every provider may show that provider first.
- Only published things; a fixed, small number of queries (one or two) whatever the query; with
  `limit=0` only the count is wanted (one query at most). `counted_page()` gives the count and the
  page in one query (a window count), so most providers answer in one round trip.

`ask()` gets several providers' answers at once: each provider's queries wait on PostgreSQL, so while
one waits another can run. The calling thread answers the first provider itself and a small pool of
threads per process (SEARCH_THREADS, 3 by default; 0 asks one after the other) the others; a provider
nobody has picked up yet when the caller is done is answered by the caller, so a busy pool never
makes a reader wait behind other readers' searches. Each thread answers in the caller's language,
URL prefix and time zone and in a copy of its context variables (the replica decision of
portal.dbrouter), on its own database connection, given back (to the pool) when its answer is done. Inside a transaction (a test's, or a
view's atomic block) the answers come one after the other on the caller's connection, which alone
sees what the transaction wrote. `search_all(text)` asks every provider.

The registry is filled once at start-up by the apps' ready() and only read afterwards (registering a
name again replaces its provider).
"""

import contextvars
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Count, Window
from django.urls import get_script_prefix, get_urlconf, set_script_prefix, set_urlconf
from django.utils import timezone, translation
from django.utils.html import conditional_escape

from .query import ParsedQuery, parse_query


@dataclass
class Result:
    """One thing found. `title_html` and `snippet` are HTML: plain strings given here are escaped,
    safe strings (mark_highlights()) are kept; `title_html` defaults to the escaped title."""

    kind: str
    title: str
    url: str
    date: date | datetime | None = None
    snippet: str = ""
    title_html: str = ""

    def __post_init__(self):
        self.snippet = conditional_escape(self.snippet)
        self.title_html = conditional_escape(self.title_html or self.title)


@dataclass(frozen=True)
class Answer:
    """A provider's answer: how many match (at least, when `more`), and one page of them; `exact` when
    the first result is what the reader named (e.g. a document by its number)."""

    count: int
    results: list[Result] = field(default_factory=list)
    more: bool = False
    exact: bool = False


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    search: Callable[..., Answer]
    order: int = 100
    slug: str = ""

    def __post_init__(self):
        if not self.slug:
            object.__setattr__(self, "slug", self.name)


_providers: dict[str, Provider] = {}  # filled once at start-up by the apps' ready(); read-only afterwards


def register(name: str, label, search: Callable[..., Answer], *, order: int = 100, slug: str = "") -> Provider:
    """Register (or replace) the provider called `name`; returns it. `slug` names it in URLs (default: name)."""
    provider = Provider(name=name, label=label, search=search, order=order, slug=slug)
    _providers[name] = provider
    return provider


def providers() -> list[Provider]:
    """Every registered provider, in order (then by name)."""
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.name))


def get(name: str) -> Provider:
    """The provider called `name` (KeyError when no app registered it)."""
    return _providers[name]


def by_slug(slug: str) -> Provider | None:
    """The provider named `slug` in URLs, or None."""
    return next((provider for provider in _providers.values() if provider.slug == slug), None)


def counted_page(queryset, *, limit: int, offset: int = 0) -> tuple[int, list]:
    """(number of matches, the rows from `offset`, at most `limit`), in one query: the count is a
    window count (`COUNT(*) OVER ()`) riding on the page's rows. The count needs a query of its own
    only when the page is empty past the first one, or when only the count is wanted (limit=0).
    Order the queryset first; expensive select-list columns (ts_headline) are still computed for the
    page's rows only."""
    if not limit:
        return queryset.count(), []
    rows = list(queryset.annotate(matches_in_all=Window(Count("pk")))[offset : offset + limit])
    if rows:
        return rows[0].matches_in_all, rows
    return (queryset.count() if offset else 0), []


class _Threads:
    """This process's search threads, started at first use (a forked worker starts its own)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pid = None
        self.executor = None

    def get(self):
        size = getattr(settings, "SEARCH_THREADS", 3)
        if size <= 0:
            return None
        with self.lock:
            if self.pid != os.getpid():
                self.executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="search")
                self.pid = os.getpid()
            return self.executor


_threads = _Threads()


@dataclass(frozen=True)
class _Surroundings:
    """What Django keeps per thread (asgiref Locals, deliberately not inherited by other threads) that
    a provider's results depend on: the language (labels, English URLs), the URL prefix and conf, the
    time zone; and the caller's context variables (the replica decision of portal.dbrouter)."""

    context: contextvars.Context
    language: str | None
    script_prefix: str
    urlconf: object
    timezone: object

    @classmethod
    def here(cls):
        return cls(
            contextvars.copy_context(),
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            timezone.get_current_timezone(),
        )

    def run(self, function, *args, **kwargs):
        def inside():
            set_script_prefix(self.script_prefix)
            set_urlconf(self.urlconf)
            try:
                with translation.override(self.language), timezone.override(self.timezone):
                    return function(*args, **kwargs)
            finally:
                set_urlconf(None)

        return self.context.copy().run(inside)


def _answer_in_thread(surroundings, provider, query, limit):
    close_old_connections()  # as at the start of a request: a broken or expired connection goes
    try:
        return surroundings.run(provider.search, query, limit=limit)
    finally:
        close_old_connections()  # back to the pool (or closed) as at the end of a request


def ask(query: ParsedQuery, wanted: Sequence[tuple[Provider, int]]) -> list[Answer]:
    """The answers of the `(provider, limit)` pairs, in their order: concurrently (see the module's
    docstring) unless inside a transaction, SEARCH_THREADS is 0 or there is only one."""
    executor = None if len(wanted) < 2 or connection.in_atomic_block else _threads.get()
    if executor is None:
        return [provider.search(query, limit=limit) for provider, limit in wanted]
    surroundings = _Surroundings.here()
    futures = [
        executor.submit(_answer_in_thread, surroundings, provider, query, limit) for provider, limit in wanted[1:]
    ]
    provider, limit = wanted[0]
    answers = [provider.search(query, limit=limit)]
    for future, (provider, limit) in zip(futures, wanted[1:], strict=True):
        # Not started yet (the pool busy with other readers): answer it here rather than wait.
        answers.append(provider.search(query, limit=limit) if future.cancel() else future.result())
    return answers


def search_all(text, *, limit: int = 5) -> list[tuple[Provider, Answer]]:
    """Every provider's answer to reader input, in order; raises QueryError for unsearchable input."""
    query: ParsedQuery = parse_query(text)
    every = providers()
    return list(zip(every, ask(query, [(provider, limit) for provider in every]), strict=True))
