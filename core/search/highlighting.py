"""Highlighted snippets that cannot inject markup.

`headline()` is ts_headline with private-use sentinel characters (HIGHLIGHT_START, HIGHLIGHT_STOP)
around the matches; `mark_highlights()` HTML-escapes the whole text first and only then turns the
sentinels into <mark> tags, so neither a stored text nor a query can inject markup. ts_headline
reads all the text it is given, so long texts are cut first (2,000 characters by default).
"""

import re

from django.db.models import Func, TextField
from django.db.models.functions import Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .query import CONFIG, HIGHLIGHT_START, HIGHLIGHT_STOP
from .ranking import IdentityCompared

__all__ = ["HIGHLIGHT_START", "HIGHLIGHT_STOP", "headline", "mark_highlights"]

_HIGHLIGHT = re.compile(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_STOP}", re.DOTALL)


class Headline(IdentityCompared, Func):
    """ts_headline(config, text, query, options), compared by identity (see IdentityCompared). Like
    Django's SearchHeadline, but with one of the two options strings below, written once, instead of
    options composed (quoted through the connection) for every headline of every search."""

    output_field = TextField()

    def __init__(self, expression, query, *, options):
        super().__init__(expression, query)
        self.options = options

    def as_sql(self, compiler, connection, **extra_context):
        (text, text_params), (query, query_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"ts_headline(%s::regconfig, {text}, {query}, %s)", [CONFIG, *text_params, *query_params, self.options]


# The sentinels are single private-use characters and the delimiter holds no quote: nothing to escape.
WHOLE = f"StartSel='{HIGHLIGHT_START}', StopSel='{HIGHLIGHT_STOP}', HighlightAll=true"
FRAGMENTS = (
    f"StartSel='{HIGHLIGHT_START}', StopSel='{HIGHLIGHT_STOP}', MaxWords=35, MinWords=15, MaxFragments=2, "
    "FragmentDelimiter=' … '"
)


def headline(expression, query, *, whole=False, max_chars=2000):
    """ts_headline with sentinel highlight marks; render it with `mark_highlights()`.

    whole=True highlights a short text entirely (a title); otherwise two fragments of the text
    around the matches (the first words when only other fields matched). Long texts are cut
    at max_chars first: ts_headline reads the whole text it is given."""
    if whole:
        return Headline(expression, query, options=WHOLE)
    return Headline(Left(expression, max_chars), query, options=FRAGMENTS)


def mark_highlights(value) -> str:
    """HTML for a `headline()`: everything escaped, then the sentinels made into <mark>."""
    escaped = str(escape(value or ""))
    marked = _HIGHLIGHT.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, ""))  # noqa: S308 (escaped above)
