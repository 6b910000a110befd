"""The Department's own pages (Giới thiệu, Liên hệ) in the site-wide search (core.search.providers).

Two rows only, so the vector is computed in the query (title A, summary B, body C; the body's HTML
tags are not words in `vn_unaccent`) instead of a stored, indexed column. Vietnamese texts only:
the English twins are reached from the English pages.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import F
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from core.search import CONFIG, headline, mark_highlights, providers, relevance

from .models import Page

LABEL = _("Giới thiệu, liên hệ")


def answer(query, *, limit, offset=0):
    """Pages whose title, summary or text match, best first (one query)."""
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )
    found = list(
        Page.objects.annotate(search_vector=vector)
        .filter(search_vector=query.query)
        .annotate(
            score=relevance(query.query, query.text, date_field=None),
            title_marked=headline(F("title"), query.query, whole=True),
            summary_marked=headline(F("summary"), query.query),
        )
        .order_by("-score", "kind")
    )
    results = [
        providers.Result(
            kind=LABEL,
            title=page.title,
            title_html=mark_highlights(page.title_marked),
            url=page.get_absolute_url(),
            date=page.updated_at,
            snippet=mark_highlights(page.summary_marked) if page.summary else escape(page.description),
        )
        for page in found[offset : offset + limit]
    ]
    return providers.Answer(count=len(found), results=results)


def register_provider():
    providers.register("pages", LABEL, answer, order=40, slug="gioi-thieu")
