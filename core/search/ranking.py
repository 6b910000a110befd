"""Ranking full-text matches: `relevance()` and the SQL pieces it is built from.

The sum of ts_rank, a bonus when the title holds every word (more for the exact phrase, more for
the very diacritics typed) and a gentle recency bonus, so a recent row wins among equals but an old
one named after the query still comes first. `AnyOf` restricts a query to a bounded pool of ids.
"""

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank, SearchVector
from django.db.models import BooleanField, Case, ExpressionWrapper, F, FloatField, Func, TextField, Value, When

from .query import CONFIG, positive_words


class _AgeInDays(Func):
    template = "GREATEST(EXTRACT(EPOCH FROM (STATEMENT_TIMESTAMP() - %(expressions)s))::float8 / 86400.0, 0.0)"
    output_field = FloatField()


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


class IdentityCompared:
    """Mixin for big expression trees that are selected: compared and hashed by identity. Django hashes
    every selected expression when it orders by an annotation (SQLCompiler._order_by_pairs), and hashing
    a tree means binding each node's constructor arguments (inspect.signature), recursively: the ranking
    tree and the headlines cost more to hash than to compile. Nothing orders or groups by such an
    expression itself (only by its alias), so identity is all the comparison needed."""

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)


class Score(IdentityCompared, ExpressionWrapper):
    """relevance()'s expression: a float, higher is better."""


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
    return Score(score, output_field=FloatField())
