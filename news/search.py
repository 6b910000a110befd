"""Full-text search of published articles, and the building blocks other searches reuse.

How it works (PostgreSQL only):

- `Article.search_vector` is a generated tsvector (title A, summary B, body text C) in the
  `vn_unaccent` configuration (migration 0003): lower-cased and accent-folded, so `khoa hoc`,
  `KHOA HỌC` and `khoa học` are the same words. It has a GIN index; the title alone has an
  expression GIN index too (migration 0005).
- Reader input goes through `search_query()`: NFC normalisation (phones may send NFD), control
  characters out, at most 200 characters, `websearch_to_tsquery` syntax (`"exact phrase"`,
  `-excluded`, `or`).
- `relevance()` ranks: ts_rank, plus a bonus when the title holds every word (more for the
  exact phrase, more for the very diacritics typed), plus a gentle recency bonus, so a recent
  article wins among equals but an old one named after the query still comes first.
- Ranking reads each candidate's vector, too slow when a query matches most of a
  100,000-article table (`khoa hoc` does). So the ranked pool is bounded: the newest
  RECENT_POOL matches plus up to TITLE_POOL articles whose title matches. When a query matches
  fewer than RECENT_POOL articles the pool is every match, and ranking and count are exact;
  otherwise the page says "more than 300 results" and suggests narrowing. No COUNT(*) over
  huge result sets.
- Snippets come from ts_headline with private-use sentinel characters around the matches; the
  whole text is HTML-escaped first and only then are the sentinels turned into <mark> tags
  (`mark_highlights()`), so neither an article nor a query can inject markup. ts_headline reads
  all the text it is given, so it gets the first 2,000 characters of the body.
- When nothing matches, `title_suggestions()` offers the closest titles by trigram word
  similarity on the accent-folded title (pg_trgm, GIN index on `vn_unaccent_text(title)`).

Reuse (the Q&A search, other admin searches): `SearchBoxField` for forms, `search_query()` for
a SearchQuery, `relevance()`, `headline()` + `mark_highlights()`, `title_suggestions()`, and
`filter_by_text()` for `ModelAdmin.get_search_results`. Benchmark: scripts/bench_search.py.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time
from urllib.parse import urlencode

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Left, NullIf
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .models import Article, Category

CONFIG = "vn_unaccent"
MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10
RECENT_POOL = 300  # ranked candidates: the newest matches (plus TITLE_POOL title matches)
TITLE_POOL = 200
SUGGESTION_CANDIDATES = 200
# Private-use characters: never typed by readers (stripped from queries), never in ts_headline's output otherwise.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000\ue001\u2028\u2029]")
_HIGHLIGHT = re.compile(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_STOP}", re.DOTALL)
_WORD = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """The reader's input cannot be searched; str(error) is a message to show them."""


def normalize_query(text) -> str:
    """NFC, no control characters, single spaces: what the reader meant to type."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return " ".join(_UNSAFE_CHARS.sub(" ", text).split())


def has_terms(text: str) -> bool:
    """Whether websearch syntax leaves at least one word to look for (not only `-excluded` words)."""
    for token in text.replace('"', " ").split():
        if not token.startswith("-") and token.lower() != "or" and _WORD.search(token):
            return True
    return False


def check_query(text) -> str:
    """Normalise reader input and return it, or raise QueryError with a Vietnamese message."""
    text = normalize_query(text)
    if not text:
        raise QueryError(_("Hãy nhập từ khóa cần tìm."))
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("Từ khóa dài quá %(max)d ký tự (hiện có %(count)d); hãy rút gọn lại.")
            % {"max": MAX_QUERY_LENGTH, "count": len(text)}
        )
    if not has_terms(text):
        raise QueryError(_("Hãy nhập ít nhất một từ cần tìm (chữ hoặc số)."))
    return text


def search_query(text, *, prefix=False) -> SearchQuery:
    """A SearchQuery for reader input, accent- and case-insensitive (`vn_unaccent`).

    Websearch syntax by default. With prefix=True (admin and autocomplete boxes, where people
    type word starts), every word must appear and the last one may be a prefix: `khoa h`.
    Raises QueryError for empty, over-long or word-less input."""
    text = check_query(text)
    if prefix:
        words = _WORD.findall(text)
        terms = [f"'{word}'" for word in words[:-1]] + [f"'{words[-1]}':*"]
        return SearchQuery(" & ".join(terms), search_type="raw", config=CONFIG)
    return SearchQuery(text, search_type="websearch", config=CONFIG)


class SearchBoxField(forms.CharField):
    """A search box: NFC-normalised, at most 200 characters, with Vietnamese messages.

    Not required by default; `clean()` returns "" for an empty box and the normalised text
    otherwise (use `search_query()` on it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Từ khóa"))
        super().__init__(strip=True, **kwargs)
        self.widget.input_type = "search"
        self.widget.attrs.update({"maxlength": str(MAX_QUERY_LENGTH), "autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value):
        return normalize_query(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                check_query(value)
            except QueryError as error:
                raise forms.ValidationError(str(error), code="invalid_query") from error


class _AgeInDays(Func):
    template = "GREATEST(EXTRACT(EPOCH FROM (STATEMENT_TIMESTAMP() - %(expressions)s))::float8 / 86400.0, 0.0)"
    output_field = FloatField()


def positive_words(text: str) -> list[str]:
    """The words a websearch query asks for (not the `-excluded` ones, not `or`)."""
    words = []
    for token in text.split():
        if token.startswith("-") or token.lower() == "or":
            continue
        words.extend(_WORD.findall(token))
    return words


class AnyOf(Func):
    """`expression = ANY('{1,2,3}'::bigint[])`: the whole id list as one text parameter. A pool of
    hundreds of ids binds and plans much faster than an IN list of as many parameters."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s::bigint[]))"
    output_field = BooleanField()

    def __init__(self, expression, ids):
        literal = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        super().__init__(expression, Value(literal, output_field=TextField()))


class Matches(Func):
    """`vector @@ query` as a boolean expression (usable in When/filter with any query expression)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _bonus(condition, points):
    return Case(When(condition, then=Value(points)), default=Value(0.0), output_field=FloatField())


class WeightedQuery(Func):
    """The query with every word restricted to `weight` ("A": the title part of the vector).

    PostgreSQL has no setweight() for a tsquery, so the label is added to each quoted lexeme of
    the query's text form (keeping a prefix mark: 'h':* becomes 'h':*A). For a constant query
    the planner folds the whole expression once."""

    template = r"(regexp_replace((%(expressions)s)::text, '(''(?:[^'']|'''')*'')(?::(\*))?', '\1:\2%(weight)s', 'g'))::tsquery"

    def __init__(self, query, weight="A"):
        if weight not in {"A", "B", "C", "D"}:
            raise ValueError("weight must be A, B, C or D")
        super().__init__(query, weight=weight, output_field=SearchQueryField())


def relevance(
    query,
    text="",
    *,
    vector="search_vector",
    title_weight="A",
    title="title",
    title_words=None,
    date_field="publish_at",
    recency=0.3,
    half_life_days=180,
):
    """How well a row answers the query, highest first. The sum of:

    - ts_rank of the weighted vector (about 0.1 to 1);
    - +1 when the title (the `title_weight` part of the vector) holds every word, then +0.5
      when it holds them as a phrase, and +0.5 when the `title` column holds them with the very
      diacritics typed (`sở` over `số`);
    - a gentle recency bonus: `recency` for today, half of it after half_life_days.

    Pass the reader's normalised `text` for the phrase and diacritics bonuses; title_weight=None
    or date_field=None leave those parts out. All checks read the stored vector; the diacritics
    one reads `title_words` (a stored `simple` vector of the title) when given, otherwise it parses
    the title, only for rows whose title already matched."""
    score = SearchRank(F(vector), query)
    if title_weight:
        extra = Value(0.0)
        words = positive_words(text)
        if len(words) > 1:
            phrase = SearchQuery(" ".join(words), search_type="phrase", config=CONFIG)
            extra = extra + _bonus(Matches(F(vector), WeightedQuery(phrase, title_weight)), 0.5)
        if title and words and not " ".join(words).isascii():
            exact = SearchQuery(" ".join(words), search_type="plain", config="simple")
            title_vector = F(title_words) if title_words else SearchVector(title, config="simple")
            extra = extra + _bonus(Matches(title_vector, exact), 0.5)
        in_title = Matches(F(vector), WeightedQuery(query, title_weight))
        score = score + Case(When(in_title, then=Value(1.0) + extra), default=Value(0.0), output_field=FloatField())
    if date_field:
        score = score + recency / (1.0 + _AgeInDays(F(date_field)) / float(half_life_days))
    return ExpressionWrapper(score, output_field=FloatField())


def headline(expression, query, *, whole=False, max_chars=2000):
    """ts_headline with sentinel highlight marks; render it with `mark_highlights()`.

    whole=True highlights a short text entirely (a title); otherwise two fragments of the text
    around the matches (the first words when only other fields matched). Long texts are cut
    at max_chars first: ts_headline reads the whole text it is given."""
    options = {"start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP}
    if whole:
        options["highlight_all"] = True
    else:
        expression = Left(expression, max_chars)
        options.update(max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ")
    return SearchHeadline(expression, query, config=CONFIG, **options)


def mark_highlights(value) -> str:
    """HTML for a `headline()`: everything escaped, then the sentinels made into <mark>."""
    escaped = str(escape(value or ""))
    marked = _HIGHLIGHT.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, ""))  # noqa: S308 (escaped above)


def fold(expression):
    """`vn_unaccent_text(expression)`: lower-cased, accent-folded, immutable (trigram indexes)."""
    return Func(expression, function="vn_unaccent_text", output_field=TextField())


def fold_text(text: str) -> str:
    """Python twin of vn_unaccent_text for Vietnamese: no diacritics, đ → d, lower case."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def corrected_query(text: str, titles) -> str:
    """A respelling of `text` from the words of the closest titles, or "" when nothing changes.

    Each query word that none of the titles contains is replaced by the most similar title word
    (a swapped pair of letters, `khao` → `khoa`, counts as very similar); words that do appear
    take the titles' diacritics. Queries with websearch syntax are left alone."""
    if any(mark in text for mark in ('"', "-")) or not titles:
        return ""
    vocabulary = {}
    for title in titles:
        for word in _WORD.findall(title):
            vocabulary.setdefault(fold_text(word), word.lower())
    corrected, changed = [], False
    for word in _WORD.findall(text):
        folded = fold_text(word)
        if folded in vocabulary:
            corrected.append(vocabulary[folded])
            continue

        def closeness(candidate, folded=folded):
            ratio = difflib.SequenceMatcher(None, folded, candidate).ratio()
            return ratio + (0.1 if sorted(candidate) == sorted(folded) else 0.0)

        best = max(vocabulary, key=closeness)
        if closeness(best) < 0.6:
            return ""
        corrected.append(vocabulary[best])
        changed = True
    return " ".join(corrected) if changed else ""


def title_suggestions(queryset, text, *, field="title", limit=5, only=("slug",)):
    """Distinct titles closest to `text` by trigram word similarity, best first.

    Uses the GIN trigram index on vn_unaccent_text(<field>). The candidates are capped (a title
    repeated thousands of times would otherwise be rechecked each time); one row per distinct
    accent-folded title remains, `limit` of them."""
    folded = fold(Value(normalize_query(text)[:MAX_QUERY_LENGTH], output_field=TextField()))
    candidates = (
        queryset.annotate(_folded_title=fold(F(field)))
        .filter(_folded_title__trigram_word_similar=folded)
        .order_by()
        .values("pk")[:SUGGESTION_CANDIDATES]
    )
    rows = (
        queryset.filter(pk__in=candidates)
        .only("pk", field, *only)
        .annotate(_folded_title=fold(F(field)))
        .annotate(similarity=TrigramWordSimilarity(folded, F("_folded_title")))
        .order_by("_folded_title", "-similarity", "-pk")
        .distinct("_folded_title")
    )
    return sorted(rows, key=lambda item: (-item.similarity, -item.pk))[:limit]


def filter_by_text(queryset, text, *, vector="search_vector", prefix=True, extra=None):
    """Full-text filter for admin searches (`ModelAdmin.get_search_results`) and pickers.

    Empty text leaves the queryset alone; unsearchable text matches nothing. `extra` is an
    optional Q OR-ed in (e.g. an exact slug)."""
    if not normalize_query(text):
        return queryset
    try:
        query = search_query(text, prefix=prefix)
    except QueryError:
        return queryset.none()
    condition = Q(**{vector: query})
    if extra is not None:
        condition |= extra
    return queryset.filter(condition)


# Article search ---------------------------------------------------------------------------------


def _category_choices_queryset():
    return Category.objects.select_related("parent").order_by(
        Coalesce("parent__position", "position"),
        Coalesce("parent_id", "id"),
        F("parent_id").asc(nulls_first=True),
        "position",
        "name",
    )


class RememberedSelect(forms.Select):
    """A <select> of categories: its options come from the database but change only with the site's
    content, so its HTML is remembered per process for each content version, language, value and
    attributes (rendering it through the form templates cost ~7 ms of every search page)."""

    def render(self, name, value, attrs=None, renderer=None):
        from core.fragments import remembered
        from core.pagecache import content_version

        version = content_version()
        if version is None or len(str(value)) > 64:  # slugs are short: anything longer is not remembered
            return super().render(name, value, attrs, renderer)
        key = ("select", name, str(value), tuple(sorted((attrs or {}).items())), get_language(), version)
        return remembered(key, lambda: super(RememberedSelect, self).render(name, value, attrs, renderer))


class CategoryChoiceField(forms.ModelChoiceField):
    widget = RememberedSelect

    def label_from_instance(self, obj):
        return f"— {obj.name}" if obj.parent_id else obj.name


class ArticleSearchForm(forms.Form):
    """Validates the search page's GET parameters; nothing reaches the database unchecked."""

    MIN_DATE = datetime(1900, 1, 1).date()
    MAX_DATE = datetime(2100, 12, 31).date()
    DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
    date_error = _("Ngày không hợp lệ; hãy chọn một ngày có thật, ví dụ 10/01/2023.")

    q = SearchBoxField(label=_("Từ khóa"))
    chuyen_muc = CategoryChoiceField(
        queryset=_category_choices_queryset(),
        to_field_name="slug",
        required=False,
        label=_("Chuyên mục"),
        empty_label=_("Tất cả chuyên mục"),
        error_messages={"invalid_choice": _("Chuyên mục này không tồn tại.")},
    )
    tu_ngay = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": date_error},
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": date_error},
    )

    def _check_range(self, name):
        value = self.cleaned_data.get(name)
        if value and not (self.MIN_DATE <= value <= self.MAX_DATE):
            raise forms.ValidationError(_("Hãy chọn một ngày trong khoảng năm 1900 đến năm 2100."), code="range")
        return value

    def clean_tu_ngay(self):
        return self._check_range("tu_ngay")

    def clean_den_ngay(self):
        return self._check_range("den_ngay")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", _("“Đến ngày” phải sau hoặc trùng “Từ ngày”."))
        return cleaned

    def query_string(self):
        """The search's own parameters (no page), for pagination links."""
        params = {}
        for name in ("q", "chuyen_muc", "tu_ngay", "den_ngay"):
            value = self.cleaned_data.get(name)
            if isinstance(value, Category):
                value = value.slug
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            if value:
                params[name] = value
        return urlencode(params)


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


class _RankedPages:
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


class SearchView(TemplateView):
    """/tim-kiem/?q=…&chuyen_muc=…&tu_ngay=…&den_ngay=…&page=N"""

    template_name = "news/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ArticleSearchForm(self.request.GET)
        # What the reader typed stays in the boxes, also when it is wrong.
        context.update(form=form, search_query=normalize_query(self.request.GET.get("q", ""))[:1000])
        if not form.is_valid():
            return context
        text = form.cleaned_data["q"]
        if not text:
            context["empty_query"] = "q" in self.request.GET  # a first visit gets no reproach
            return context
        search = ArticleSearch(
            text,
            category=form.cleaned_data.get("chuyen_muc"),
            date_from=form.cleaned_data.get("tu_ngay"),
            date_to=form.cleaned_data.get("den_ngay"),
        ).find()
        paginator = Paginator(_RankedPages(search), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            searched=True,
            search=search,
            page_obj=page,
            results=page.object_list,
            is_paginated=page.has_other_pages(),
            query_string=form.query_string(),
        )
        if not search.pool:
            suggestions = title_suggestions(search.base(), text)
            correction = corrected_query(text, [article.title for article in suggestions])
            context.update(
                suggestions=suggestions,
                correction=correction,
                correction_query=urlencode({"q": correction}) if correction else "",
            )
        return context
