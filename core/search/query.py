"""Reader input → a PostgreSQL full-text query, accent- and case-insensitive.

`search_query()` is the one way reader input becomes a SearchQuery: NFC normalisation (phones may
send NFD), control characters out, at most MAX_QUERY_LENGTH characters, `websearch_to_tsquery`
syntax (`"exact phrase"`, `-excluded`, `or`) in the `vn_unaccent` configuration (news migration 0003).
`parse_query()` checks it once and hands the site-wide search providers both forms (core.search.providers).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CONFIG = "vn_unaccent"
MAX_QUERY_LENGTH = 200
# Private-use characters marking highlights in ts_headline's output (core.search.highlighting): never
# typed by readers (stripped from queries here), never in ts_headline's output otherwise.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000\ue001\u2028\u2029]")
WORD = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """The reader's input cannot be searched; str(error) is a message to show them."""


def normalize_query(text) -> str:
    """NFC, no control characters, single spaces: what the reader meant to type."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return " ".join(_UNSAFE_CHARS.sub(" ", text).split())


def has_terms(text: str) -> bool:
    """Whether websearch syntax leaves at least one word to look for (not only `-excluded` words)."""
    for token in text.replace('"', " ").split():
        if not token.startswith("-") and token.lower() != "or" and WORD.search(token):
            return True
    return False


def positive_words(text: str) -> list[str]:
    """The words a websearch query asks for (not the `-excluded` ones, not `or`)."""
    words = []
    for token in text.split():
        if token.startswith("-") or token.lower() == "or":
            continue
        words.extend(WORD.findall(token))
    return words


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


class TextQuery(SearchQuery):
    """A SearchQuery of a constant text, compiled once. A ranked search names its query five or six
    times (the filter, ts_rank, the title and phrase checks, each headline), and Django compiles a
    SearchQuery's config and value anew each time (a CharField made per Value): ~0.1 ms each, more
    than PostgreSQL takes for a small search. Holds no column, so resolving it is itself."""

    def __init__(self, value, *, search_type, config=CONFIG):
        super().__init__(value, search_type=search_type, config=config)
        self.compiled = (f"{self.SEARCH_TYPES[search_type]}(%s::regconfig, %s)", (config, value))

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = self.compiled
        return (f"!!({sql})" if self.invert else sql), list(params)


def search_query(text, *, prefix=False) -> SearchQuery:
    """A SearchQuery for reader input, accent- and case-insensitive (`vn_unaccent`).

    Websearch syntax by default. With prefix=True (admin and autocomplete boxes, where people
    type word starts), every word must appear and the last one may be a prefix: `khoa h`.
    Raises QueryError for empty, over-long or word-less input."""
    text = check_query(text)
    if prefix:
        words = WORD.findall(text)
        terms = [f"'{word}'" for word in words[:-1]] + [f"'{words[-1]}':*"]
        return TextQuery(" & ".join(terms), search_type="raw")
    return TextQuery(text, search_type="websearch")


@dataclass(frozen=True)
class ParsedQuery:
    """Reader input checked once: `text` (normalised, for phrase/diacritics bonuses, number parsing,
    suggestions) and `query` (the websearch SearchQuery on `vn_unaccent` vectors)."""

    text: str
    query: SearchQuery


def parse_query(text) -> ParsedQuery:
    """The ParsedQuery for reader input; raises QueryError (a message for the reader) like search_query()."""
    text = check_query(text)
    return ParsedQuery(text, search_query(text))


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
