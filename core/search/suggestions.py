"""Suggestions ("did you mean"): the closest titles when nothing matches, and a respelling of the query from them.

`title_suggestions()` ranks by trigram word similarity on the accent-folded title (pg_trgm, GIN index
on `vn_unaccent_text(title)`); `corrected_query()` respells the query with those titles' words.
"""

import difflib
import unicodedata

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import F, Func, TextField, Value

from .query import MAX_QUERY_LENGTH, WORD, normalize_query

SUGGESTION_CANDIDATES = 200


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
        for word in WORD.findall(title):
            vocabulary.setdefault(fold_text(word), word.lower())
    corrected, changed = [], False
    for word in WORD.findall(text):
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
