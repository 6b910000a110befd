"""Highlighted snippets that cannot inject markup.

`headline()` is ts_headline with private-use sentinel characters (HIGHLIGHT_START, HIGHLIGHT_STOP)
around the matches; `mark_highlights()` HTML-escapes the whole text first and only then turns the
sentinels into <mark> tags, so neither a stored text nor a query can inject markup. ts_headline
reads all the text it is given, so long texts are cut first (2,000 characters by default).
"""

import re

from django.contrib.postgres.search import SearchHeadline
from django.db.models.functions import Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .query import CONFIG, HIGHLIGHT_START, HIGHLIGHT_STOP
from .ranking import IdentityCompared

__all__ = ["HIGHLIGHT_START", "HIGHLIGHT_STOP", "headline", "mark_highlights"]

_HIGHLIGHT = re.compile(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_STOP}", re.DOTALL)


class Headline(IdentityCompared, SearchHeadline):
    """ts_headline, compared by identity (see IdentityCompared)."""


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
    return Headline(expression, query, config=CONFIG, **options)


def mark_highlights(value) -> str:
    """HTML for a `headline()`: everything escaped, then the sentinels made into <mark>."""
    escaped = str(escape(value or ""))
    marked = _HIGHLIGHT.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, ""))  # noqa: S308 (escaped above)
