"""Vietnamese full-text search primitives every app uses, and the registry of search providers.

How it works (PostgreSQL only):

- A searchable table keeps a generated tsvector in the `vn_unaccent` configuration (news migration
  0003): lower-cased and accent-folded, so `khoa hoc`, `KHOA HỌC` and `khoa học` are the same
  words, with a GIN index (e.g. `Article.search_vector`: title A, summary B, body text C).
- Reader input goes through `search_query()` (query.py): NFC normalisation (phones may send NFD),
  control characters out, at most 200 characters, `websearch_to_tsquery` syntax (`"exact phrase"`,
  `-excluded`, `or`). `SearchBoxField` (forms.py) is the form field that checks it.
- `relevance()` (ranking.py) ranks: ts_rank, plus a bonus when the title holds every word (more for
  the exact phrase, more for the very diacritics typed), plus a gentle recency bonus.
- Snippets (highlighting.py) come from ts_headline with private-use sentinel characters around the
  matches; the whole text is HTML-escaped first and only then are the sentinels turned into <mark>
  tags (`mark_highlights()`), so neither a stored text nor a query can inject markup.
- When nothing matches, `title_suggestions()` (suggestions.py) offers the closest titles by trigram
  word similarity on the accent-folded title, and `corrected_query()` a respelling of the query.
- `filter_by_text()` is the full-text filter for `ModelAdmin.get_search_results` and pickers.
- Each app registers a search provider (providers.py) so a page can search all of them at once.

Each app builds its own searches on these (the article search and /tim-kiem/ live in the news app).
"""

from .forms import SearchBoxField
from .highlighting import headline, mark_highlights
from .query import (
    CONFIG,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    MAX_QUERY_LENGTH,
    ParsedQuery,
    QueryError,
    check_query,
    filter_by_text,
    has_terms,
    normalize_query,
    parse_query,
    positive_words,
    search_query,
)
from .ranking import AnyOf, WeightedQuery, relevance
from .suggestions import corrected_query, fold, fold_text, title_suggestions

__all__ = [
    "CONFIG",
    "HIGHLIGHT_START",
    "HIGHLIGHT_STOP",
    "MAX_QUERY_LENGTH",
    "AnyOf",
    "ParsedQuery",
    "QueryError",
    "SearchBoxField",
    "WeightedQuery",
    "check_query",
    "corrected_query",
    "filter_by_text",
    "fold",
    "fold_text",
    "has_terms",
    "headline",
    "mark_highlights",
    "normalize_query",
    "parse_query",
    "positive_words",
    "relevance",
    "search_query",
    "title_suggestions",
]
