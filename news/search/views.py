"""/tim-kiem/: one search across every kind of thing the portal publishes.

Each app answers through its provider registered in core (core.search.providers): articles,
documents, procedures, Q&A, the Department's pages. "Tất cả" (no `loai`) shows the best few of each
kind in sections, a kind whose first result is exactly what was typed (a document number) first;
`loai=<slug>` shows one kind with pages, and for articles the category and date filters. Every tab
shows its kind's count (a lower bound, "300+", when the provider says `more`). Queries: one or two
per provider, whatever the input.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.views.generic import TemplateView

from core.search import corrected_query, normalize_query, parse_query, providers, title_suggestions
from stats.services import record_search

from .engine import PAGE_SIZE, ArticleSearch, RankedPages
from .forms import SiteSearchForm

SECTION_SIZE = 3  # results per kind on "Tất cả"


def record_quickly(text, found):
    """Count the search for the leaders' dashboard (top searches, those that found nothing) without
    waiting for the disk: the upsert commits with synchronous_commit off, so the reader does not wait
    for the WAL flush (4 ms median, 36 ms at worst measured on a busy machine). A crash may forget the
    last fraction of a second of search counts; nothing else is written in that transaction (inside a
    transaction already, the count simply joins it)."""
    if connection.in_atomic_block:
        record_search(text, found)
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        record_search(text, found)


class ProviderPages:
    """One provider's results as a sized, sliceable sequence for Django's Paginator: len() is the
    count already known (from the tabs), a slice is one call to the provider."""

    def __init__(self, provider, query, count):
        self.provider, self.query, self.count = provider, query, count

    def __len__(self):
        return self.count

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("search results are fetched by page")
        if key.stop <= key.start:
            return []
        return self.provider.search(self.query, limit=key.stop - key.start, offset=key.start).results


class Tab:
    def __init__(self, provider, answer, *, query_string, active):
        self.provider = provider
        self.label = provider.label if provider else None
        self.count = answer.count if answer else None
        self.more = bool(answer and answer.more)
        self.query_string = query_string
        self.active = active


class SearchView(TemplateView):
    """/tim-kiem/?q=…&loai=…&chuyen_muc=…&tu_ngay=…&den_ngay=…&page=N"""

    template_name = "news/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SiteSearchForm(self.request.GET)
        # What the reader typed stays in the boxes, also when it is wrong.
        context.update(form=form, search_query=normalize_query(form["q"].value())[:1000])
        # The article filters belong to the articles' kind (and stay open to show their errors).
        context["show_filters"] = form["loai"].value() == form.ARTICLES or any(
            form[name].value() for name in form.ARTICLE_FILTERS
        )
        if not form.is_valid():
            return context
        text = form.cleaned_data["q"]
        if not text:
            context["empty_query"] = "q" in form.data  # a first visit gets no reproach
            return context
        query = parse_query(text)
        chosen = form.provider
        context.update(searched=True, kind=chosen, query_string=form.query_string())
        if chosen is None:
            wanted = [(provider, SECTION_SIZE) for provider in form.providers]
            answers = list(zip(form.providers, providers.ask(query, wanted), strict=True))
            # Stable sort: a kind that found exactly what was named (a document number) comes first.
            sections = sorted(((p, a) for p, a in answers if a.results), key=lambda pair: not pair[1].exact)
            context.update(
                sections=sections,
                total=sum(answer.count for _p, answer in answers),
                total_more=any(answer.more for _p, answer in answers),
            )
            if not sections:
                self.suggest(context, ArticleSearch(text).base(), text)
            record_quickly(text, context["total"])
        else:
            others = [provider for provider in form.providers if provider is not chosen]
            counts = iter(providers.ask(query, [(provider, 0) for provider in others]))  # the other tabs' counts
            if chosen.slug == form.ARTICLES:
                answer = self.articles(context, form, text)
            else:
                answer = self.one_kind(context, form, chosen, query)
            answers = [(p, answer if p is chosen else next(counts)) for p in form.providers]
        q = context["tab_query"] = urlencode({"q": text})
        context["tabs"] = [
            Tab(None, None, query_string=q, active=chosen is None),
            *(Tab(p, a, query_string=f"{q}&{urlencode({'loai': p.slug})}", active=p is chosen) for p, a in answers),
        ]
        return context

    def one_kind(self, context, form, provider, query):
        """One kind with pages: the count first (one query), then the page asked for."""
        counted = provider.search(query, limit=0)
        paginator = Paginator(ProviderPages(provider, query, counted.count), PAGE_SIZE)
        page = paginator.get_page(form.cleaned_data["page"])
        context.update(page_obj=page, results=page.object_list, is_paginated=page.has_other_pages())
        context["kind_count"] = counted.count
        context["kind_more"] = counted.more
        return providers.Answer(count=counted.count, more=counted.more)

    def articles(self, context, form, text):
        """The articles' tab: the article search with its filters, ranked pages, suggestions."""
        search = ArticleSearch(
            text,
            category=form.cleaned_data.get("chuyen_muc"),
            date_from=form.cleaned_data.get("tu_ngay"),
            date_to=form.cleaned_data.get("den_ngay"),
        ).find()
        paginator = Paginator(RankedPages(search), PAGE_SIZE)
        page = paginator.get_page(form.cleaned_data["page"])
        context.update(search=search, page_obj=page, results=page.object_list, is_paginated=page.has_other_pages())
        if not search.pool:
            self.suggest(context, search.base(), text)
        return providers.Answer(count=search.count, more=search.capped)

    @staticmethod
    def suggest(context, articles, text):
        suggestions = title_suggestions(articles, text)
        correction = corrected_query(text, [article.title for article in suggestions])
        context.update(
            suggestions=suggestions,
            correction=correction,
            correction_query=urlencode({"q": correction}) if correction else "",
        )
