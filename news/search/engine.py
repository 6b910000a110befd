"""The article search: a bounded pool of matching ids, then one ranked query per page.

`Article.search_vector` is a generated tsvector (title A, summary B, body text C) in the
`vn_unaccent` configuration (migration 0003) with a GIN index; the title alone has an expression
GIN index too (migration 0005). The primitives (query, ranking, highlighting) are core.search's.

Ranking reads each candidate's vector, too slow when a query matches most of a 100,000-article
table (`khoa hoc` does). So the ranked pool is bounded: the newest RECENT_POOL matches plus up to
TITLE_POOL articles whose title matches. When a query matches fewer than RECENT_POOL articles the
pool is every match, and ranking and count are exact; otherwise the page says "more than 300
results" and suggests narrowing. No COUNT(*) over huge result sets. ts_headline reads all the text
it is given, so snippets get the first 2,000 characters of the body.

`answer()` is the articles' provider for the site-wide search (core.search.providers).
Benchmark: scripts/bench_search.py.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.contrib.postgres.search import SearchQuery
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.search import AnyOf, headline, mark_highlights, providers, relevance, search_query

from ..models import Article, Category

PAGE_SIZE = 10
RECENT_POOL = 300  # ranked candidates: the newest matches (plus TITLE_POOL title matches)
TITLE_POOL = 200


@dataclass
class ArticleSearch:
    """One search: the bounded pool of matching ids, then one ranked query per page."""

    text: str
    category: Category | None = None
    date_from: object = None
    date_to: object = None
    query: SearchQuery = field(init=False)
    pool: list = field(init=False, default_factory=list)
    capped: bool = field(init=False, default=False)

    def __post_init__(self):
        self.query = search_query(self.text)

    def base(self):
        articles = Article.objects.published()
        if self.category is not None:
            articles = articles.filter(category__in=self.category.family_ids())
        tz = timezone.get_current_timezone()
        if self.date_from:
            articles = articles.filter(publish_at__gte=datetime.combine(self.date_from, time.min, tzinfo=tz))
        if self.date_to:
            articles = articles.filter(publish_at__lte=datetime.combine(self.date_to, time.max, tzinfo=tz))
        return articles

    def find(self):
        """Fetch the pool (one query); returns self."""
        base = self.base()
        recent = (
            base.filter(search_vector=self.query)
            .order_by("-publish_at", "-id")
            .values_list("id", Value(True))[:RECENT_POOL]
        )
        # No ORDER BY here on purpose: sorting every title match would read them all.
        by_title = base.filter(title_vector=self.query).order_by().values_list("id", Value(False))[:TITLE_POOL]
        rows = list(recent.union(by_title, all=True))
        recent_ids = [pk for pk, is_recent in rows if is_recent]
        self.capped = len(recent_ids) >= RECENT_POOL
        self.pool = list(dict.fromkeys([*recent_ids, *(pk for pk, is_recent in rows if not is_recent)]))
        return self

    @property
    def count(self):
        """Exact number of matches, or RECENT_POOL when there are more (see `capped`)."""
        return len(self.pool) if not self.capped else RECENT_POOL

    def ranked(self):
        """The pool, best first, with highlighted title and snippet (slice it: one query per page)."""
        snippet_source = Coalesce(NullIf(F("body_text"), Value("")), F("summary"), output_field=TextField())
        return (
            Article.objects.published()
            .filter(AnyOf(F("pk"), self.pool))
            .select_related("category")
            .only(
                "id",
                "title",
                "slug",
                "publish_at",
                "category__id",
                "category__name",
                "category__slug",
            )
            .annotate(
                score=relevance(self.query, self.text, title_words="title_words"),
                title_marked=headline(F("title"), self.query, whole=True),
                snippet_marked=headline(snippet_source, self.query),
            )
            .order_by("-score", "-publish_at", "-id")
        )


class RankedPages:
    """A sized, sliceable view of a search for Django's Paginator: len() from the pool, slices
    from the ranked query; each result gets safe `title_html` and `snippet_html`."""

    def __init__(self, search):
        self.search = search

    def __len__(self):
        return len(self.search.pool)

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("search results are fetched by page")
        results = list(self.search.ranked()[key])
        for article in results:
            article.title_html = mark_highlights(article.title_marked)
            article.snippet_html = mark_highlights(article.snippet_marked)
        return results


LABEL = _("Tin bài")


def answer(query, *, limit, offset=0):
    """The articles' provider (core.search.providers): the pool, then one ranked page (two queries)."""
    search = ArticleSearch(query.text).find()
    articles = RankedPages(search)[offset : offset + limit] if search.pool and limit else []
    results = [
        providers.Result(
            kind=LABEL,
            title=article.title,
            url=article.get_absolute_url(),
            date=article.publish_at,
            snippet=article.snippet_html,
            title_html=article.title_html,
        )
        for article in articles
    ]
    return providers.Answer(count=search.count, results=results, more=search.capped)


def register_provider():
    providers.register("news", LABEL, answer, order=10, slug="tin-bai")
