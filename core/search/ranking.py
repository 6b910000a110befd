"""Ranking full-text matches: `relevance()` and the SQL pieces it is built from.

The sum of ts_rank, a bonus when the title holds every word (more for the exact phrase, more for
the very diacritics typed) and a gentle recency bonus, so a recent row wins among equals but an old
one named after the query still comes first. `AnyOf` restricts a query to a bounded pool of ids.
"""

from django.contrib.postgres.search import SearchQueryField
from django.db.models import BooleanField, F, FloatField, Func, TextField, Value

from .query import TextQuery, positive_words


class AnyOf(Func):
    """`expression = ANY('{1,2,3}'::bigint[])`: the whole id list as one text parameter. A pool of
    hundreds of ids binds and plans much faster than an IN list of as many parameters."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s::bigint[]))"
    output_field = BooleanField()

    def __init__(self, expression, ids):
        literal = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        super().__init__(expression, Value(literal, output_field=TextField()))


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

    @classmethod
    def as_template(cls, compiled, weight):
        """The same SQL around an already compiled query: (sql, params)."""
        sql, params = compiled
        return cls.template % {"expressions": sql, "weight": weight}, params


class Relevance(IdentityCompared, Func):
    """relevance()'s expression: a float, higher is better, written as one SQL expression.

    Its columns (the vector, the title or its `simple` vector, the date) are resolved and compiled by
    Django; the formula around them is written here. Built from Case/When/Value nodes, the same formula
    cost more Python time to resolve and compile (about 1 ms per kind searched) than PostgreSQL needs
    to answer most searches."""

    output_field = FloatField()

    def __init__(self, vector, query, *, weight, phrase, typed_column, typed, date_column, recency, half_life_days):
        columns = [vector]
        if typed_column is not None:
            columns.append(typed_column)
        if date_column is not None:
            columns.append(date_column)
        super().__init__(*columns)
        self.query, self.weight, self.phrase, self.typed = query, weight, phrase, typed
        self.has_typed, self.has_date = typed_column is not None, date_column is not None
        self.recency, self.half_life_days = float(recency), float(half_life_days)

    def weighted(self, compiler, query):
        return WeightedQuery.as_template(compiler.compile(query), self.weight)

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(expression) for expression in self.get_source_expressions()]
        vector, vector_params = compiled.pop(0)
        query, query_params = compiler.compile(self.query)
        sql, params = f"ts_rank({vector}, {query})", [*vector_params, *query_params]
        if self.weight:
            bonus, bonus_params = "1.0", []
            if self.phrase is not None:
                phrase, phrase_params = self.weighted(compiler, self.phrase)
                bonus += f" + CASE WHEN {vector} @@ {phrase} THEN 0.5 ELSE 0.0 END"
                bonus_params += [*vector_params, *phrase_params]
            if self.has_typed:
                title, title_params = compiled.pop(0)
                kind, value = self.typed
                if kind == "vector":  # the title's stored `simple` vector holds the words as typed
                    condition = f"{title} @@ plainto_tsquery('simple'::regconfig, %s)"
                    condition_params = [*title_params, value]
                else:  # the lower-cased title holds each word as typed
                    condition = " AND ".join(f"LOWER({title}::text) LIKE %s" for _word in value)
                    condition_params = []
                    for word in value:
                        condition_params += [*title_params, f"%{connection.ops.prep_for_like_query(word)}%"]
                bonus += f" + CASE WHEN {condition} THEN 0.5 ELSE 0.0 END"
                bonus_params += condition_params
            in_title, in_title_params = self.weighted(compiler, self.query)
            sql += f" + CASE WHEN {vector} @@ {in_title} THEN {bonus} ELSE 0.0 END"
            params += [*vector_params, *in_title_params, *bonus_params]
        if self.has_date:
            date, date_params = compiled.pop(0)
            age = f"GREATEST(EXTRACT(EPOCH FROM (STATEMENT_TIMESTAMP() - {date}))::float8 / 86400.0, 0.0)"
            sql += f" + {self.recency!r} / (1.0 + {age} / {self.half_life_days!r})"
            params += date_params
        return f"({sql})", params


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
    one reads `title_words` (a stored `simple` vector of the title) when given, otherwise it looks
    for each word as typed in the lower-cased `title` (parsing each title into a vector cost ~10 µs
    a row: 20 ms for the 2,000 documents holding "công nghệ"), only for rows whose title matched."""
    if title_weight and title_weight not in {"A", "B", "C", "D"}:
        raise ValueError("title_weight must be A, B, C or D")
    words = positive_words(text) if title_weight else []
    phrase = TextQuery(" ".join(words), search_type="phrase") if len(words) > 1 else None
    typed_column = typed = None
    if title and words and not " ".join(words).isascii():
        typed_column = F(title_words or title)
        typed = ("vector", " ".join(words)) if title_words else ("words", [word.lower() for word in words])
    return Relevance(
        F(vector),
        query,
        weight=title_weight,
        phrase=phrase,
        typed_column=typed_column,
        typed=typed,
        date_column=F(date_field) if date_field else None,
        recency=recency,
        half_life_days=half_life_days,
    )
