"""Drafts for public comment in the site-wide search (core.search.providers): title A, summary B, drafting
unit C, on the stored `search_vector` (vn_unaccent: accents optional)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.search import headline, mark_highlights, providers, relevance

from .models import Consultation

LABEL = _("Lấy ý kiến dự thảo")


def answer(query, *, limit, offset=0):
    found = Consultation.objects.published().filter(search_vector=query.query)
    ranked = (
        found.defer("search_vector", "report")
        .annotate(
            score=relevance(query.query, query.text, date_field="opens_at"),
            title_marked=headline(F("title"), query.query, whole=True),
            summary_marked=headline(F("summary"), query.query),
        )
        .order_by("-score", "-opens_at")
    )
    count, page = providers.counted_page(ranked if limit else found, limit=limit, offset=offset)
    results = [
        providers.Result(
            kind=LABEL,
            title=item.title,
            title_html=mark_highlights(item.title_marked),
            url=item.get_absolute_url(),
            date=item.opens_at,
            snippet=mark_highlights(item.summary_marked),
        )
        for item in page
    ]
    return providers.Answer(count=count, results=results)


def register_provider():
    providers.register("consultation", LABEL, answer, order=35, slug="lay-y-kien")
